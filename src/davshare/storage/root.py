"""The root collection "/": it always exists and lists the principals."""

from collections.abc import Iterable, Iterator
from typing import Any

from radicale import item as radicale_item
from radicale import storage as radicale_storage


class Root(radicale_storage.BaseCollection):
    """The root collection "/": it always exists and lists the principals."""

    @property
    def path(self) -> str:
        return ""

    @property
    def etag(self) -> str:
        return '"root"'

    @property
    def last_modified(self) -> str:
        return "Thu, 01 Jan 1970 00:00:00 GMT"

    def get_meta(self, key: str | None = None) -> Any:
        return {} if key is None else None

    def get_all(self) -> Iterator[radicale_item.Item]:
        return iter(())

    def get_multi(self, hrefs: Iterable[str]) -> Iterator[tuple[str, radicale_item.Item | None]]:
        return ((href, None) for href in hrefs)
