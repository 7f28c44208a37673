"""Radicale's own sharing (``[sharing]``, Radicale 3.7 and later): its CSV database,
``collection-db/sharing.csv`` in the storage folder (``[sharing] database_path``).

A ``map`` row shares the owner's collection ``PathMapped`` with ``User`` under the
path ``PathOrToken`` in that user's home; it becomes a davshare share, with the
nearest rights never wider, when both its owner and its user had enabled it (a row
not enabled gives no access in Radicale, so none is made). A ``token`` row is a
link that opens a collection without a login: davshare has none, it is reported.
"""

import csv
from pathlib import Path

from davshare.migrate.rights_file import Grant, RightsPlan, share_rights
from davshare.model.errors import InvalidInput

DEFAULT_PATH = Path("collection-db") / "sharing.csv"


def find_database(folder: Path) -> Path | None:
    """Radicale's sharing database beside ``collection-root``, if there is one."""
    for base in (folder, folder.parent):
        if (base / DEFAULT_PATH).is_file():
            return base / DEFAULT_PATH
    return None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "on")


def _collection(path: str) -> tuple[str, str] | None:
    parts = [p for p in path.split("/") if p]
    return (parts[0], parts[1]) if len(parts) == 2 else None


def plan_sharing(path: Path, logins: dict[str, str]) -> RightsPlan:
    """The shares Radicale's sharing database at ``path`` holds between migrated users."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InvalidInput(f"cannot read Radicale's sharing database {path}: {e}") from None
    plan = RightsPlan()
    for number, row in enumerate(rows, 2):
        where = f"{path.name} line {number}"
        kind, mapped = row.get("ShareType", ""), row.get("PathMapped", "")
        if kind == "token":
            plan.problems.append(
                f"{where}: a link by token to {mapped} (no login needed): davshare has no such "
                "links, not carried over"
            )
            continue
        target = _collection(mapped)
        owner, user = logins.get(row.get("Owner", "")), logins.get(row.get("User", ""))
        if kind != "map" or target is None:
            plan.problems.append(f"{where}: not a share of a collection, not carried over")
        elif owner is None or user is None:
            plan.problems.append(f"{where}: {row.get('Owner')} or {row.get('User')} not migrated")
        elif not (_true(row.get("EnabledByOwner")) and _true(row.get("EnabledByUser"))):
            plan.problems.append(
                f"{where}: the share of {mapped} with {row.get('User')} was not enabled by both "
                "in Radicale (no access there): not shared"
            )
        else:
            rights = share_rights(row.get("Permissions", ""))
            if rights is None:
                plan.problems.append(f"{where}: {row.get('Permissions')!r} gives no read access")
            else:
                plan.grants.append(Grant(owner, target[1], user, rights))
                if row.get("PathOrToken", "").strip("/") != f"{row.get('User')}/{target[1]}":
                    plan.problems.append(
                        f"{where}: {row.get('User')} saw it at {row.get('PathOrToken')}; in "
                        f"davshare it is {target[1]}~{owner} in their home"
                    )
    return plan
