"""Source and destination compared item by item: the same hrefs, UIDs and bytes."""

from dataclasses import dataclass, field

from radicale import item as radicale_item

from davshare.migrate.source import SourceCollection
from davshare.storage.backend import Storage


@dataclass
class Verification:
    """How many collections and items were compared, and every difference found."""

    collections: int = 0
    items: int = 0
    differences: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a person."""
        state = f"{len(self.differences)} difference(s)" if self.differences else "identical"
        return f"verified {self.collections} collection(s), {self.items} item(s): {state}"


def _uid(data: bytes) -> str:
    try:
        components = radicale_item.read_components(data.decode("utf-8"))
        return radicale_item.get_uid_from_object(components[0]) or ""
    except Exception:
        return ""


def _props(source: SourceCollection, stored: dict[str, str]) -> list[str]:
    return [
        f"property {key}: {value!r} there, {stored.get(key)!r} here"
        for key, value in sorted(source.props.items())
        if stored.get(key) != value
    ]


def verify_collection(storage: Storage, login: str, source: SourceCollection) -> Verification:
    """Compare ``source`` with ``login``'s collection of the same name."""
    found = Verification(collections=1)
    where = f"{source.label()} -> {login}/{source.name}"
    destination = storage.collection(f"{login}/{source.name}")
    if destination is None:
        found.differences.append(f"{where}: missing here")
        return found
    found.differences += [f"{where}: {d}" for d in _props(source, dict(destination.get_meta()))]
    stored = {str(item.href): item for item in destination.get_all()}
    for item in source.items():
        found.items += 1
        here = stored.pop(item.href, None)
        if here is None:
            found.differences.append(f"{where}/{item.href}: missing here")
        elif here.serialize().encode("utf-8") != item.data:
            uid = _uid(item.data)
            what = f"UID {uid!r} there, {here.uid!r} here" if uid != here.uid else "content differs"
            found.differences.append(f"{where}/{item.href}: {what}")
    found.differences += [
        f"{where}/{href}: only here, not in the source" for href in sorted(stored)
    ]
    return found


def verify_all(
    storage: Storage, collections: list[SourceCollection], logins: dict[str, str]
) -> Verification:
    """Compare every source collection whose owner has a davshare login."""
    total = Verification()
    for source in collections:
        login = logins.get(source.owner)
        if login is None:
            continue
        one = verify_collection(storage, login, source)
        total.collections += one.collections
        total.items += one.items
        total.differences += one.differences
    return total
