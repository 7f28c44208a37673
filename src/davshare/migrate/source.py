"""What a migration source holds, whichever server it is read from."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceItem:
    """One item as the source stores it: its file name (href), its bytes and the source's etag."""

    href: str
    data: bytes
    etag: str = ""


@dataclass
class SourceCollection:
    """A collection of a source account: its name in the owner's home, its DAV properties
    (Radicale's keys: ``tag``, ``D:displayname``, ``ICAL:calendar-color``...) and its items,
    read when asked (``items()``)."""

    owner: str
    name: str
    props: dict[str, str]
    read_items: Callable[[], Iterator[SourceItem]]
    # href -> the source's etag, when the source lists them without reading the items
    etags: dict[str, str] = field(default_factory=dict)
    url: str = ""  # where the source serves it, when read over HTTP

    @property
    def tag(self) -> str:
        """VCALENDAR, VADDRESSBOOK or "" (a plain WebDAV folder, not copied)."""
        return self.props.get("tag", "")

    def items(self) -> Iterator[SourceItem]:
        """The items, read one by one."""
        return self.read_items()

    def label(self) -> str:
        """``owner/name``, as the source's URLs say it."""
        return f"{self.owner}/{self.name}"
