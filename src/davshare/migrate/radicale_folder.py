"""Reading Radicale's file storage: ``collection-root/<user>/<collection>/`` with its
``.Radicale.props`` (JSON) and one file per item, named by its href.

Radicale's own files (``.Radicale.props``, ``.Radicale.cache``, ``.Radicale.lock``,
``.Radicale.tmp-*``) start with a dot; nothing else does.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from davshare.migrate.source import SourceCollection, SourceItem
from davshare.model.errors import InvalidInput

PROPS_FILE = ".Radicale.props"


@dataclass
class Folder:
    """What a Radicale folder holds: per user, their collections; what could not be read."""

    root: Path
    collections: dict[str, list[SourceCollection]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def find_root(path: Path) -> Path:
    """The ``collection-root`` folder: ``path`` itself, or inside it (Radicale's
    ``[storage] filesystem_folder`` holds it)."""
    if not path.is_dir():
        raise InvalidInput(f"{path} is not a folder: give Radicale's [storage] filesystem_folder")
    inner = path / "collection-root"
    if inner.is_dir():
        return inner
    if path.name == "collection-root" or any(p.is_dir() for p in path.iterdir()):
        return path
    raise InvalidInput(f"{path} holds no collection-root: give Radicale's filesystem_folder")


def _props(folder: Path) -> dict[str, str] | None:
    try:
        raw = (folder / PROPS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None
    try:
        props = json.loads(raw)
    except ValueError:
        return None
    return {str(k): str(v) for k, v in props.items()} if isinstance(props, dict) else None


def _reader(folder: Path) -> Iterator[SourceItem]:
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        yield SourceItem(path.name, path.read_bytes())


def _user_collections(home: Path, folder: Folder) -> list[SourceCollection]:
    found = []
    for sub in sorted(home.iterdir()):
        if sub.name.startswith(".") or not sub.is_dir():
            continue
        props = _props(sub)
        if props is None:
            folder.problems.append(f"{home.name}/{sub.name}: {PROPS_FILE} is unreadable, skipped")
            continue
        if not props.get("tag"):
            folder.problems.append(
                f"{home.name}/{sub.name}: a plain folder (no calendar or address book), skipped"
            )
            continue
        nested = [p.name for p in sub.iterdir() if p.is_dir() and not p.name.startswith(".")]
        if nested:
            folder.problems.append(
                f"{home.name}/{sub.name}: holds sub-folders ({', '.join(nested)}), not copied"
            )

        def read(path: Path = sub) -> Iterator[SourceItem]:
            return _reader(path)

        found.append(SourceCollection(home.name, sub.name, props, read))
    return found


def read_folder(path: Path) -> Folder:
    """Every user's collections under Radicale's folder ``path`` (items read later)."""
    root = find_root(path)
    folder = Folder(root)
    for home in sorted(root.iterdir()):
        if home.name.startswith(".") or not home.is_dir():
            continue
        folder.collections[home.name] = _user_collections(home, folder)
    return folder
