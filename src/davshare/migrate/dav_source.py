"""Reading an account from any CalDAV/CardDAV server over HTTP.

Discovery as clients do it: the URL (or its ``/.well-known/caldav`` and
``/.well-known/carddav``) -> ``current-user-principal`` -> the calendar and
address book home sets -> their collections (PROPFIND Depth 1) with their
properties, kept under Radicale's names (``D:displayname``, ``ICAL:calendar-color``...).
Each collection lists its items' etags; an item is fetched with a plain GET, so
its bytes are exactly what the server stores.
"""

import urllib.parse
from collections.abc import Iterator
from typing import Any

import requests
from defusedxml import ElementTree

from davshare.migrate.source import SourceCollection, SourceItem
from davshare.model.errors import InvalidInput

NS = {
    "D": "DAV:",
    "C": "urn:ietf:params:xml:ns:caldav",
    "CR": "urn:ietf:params:xml:ns:carddav",
    "I": "http://apple.com/ns/ical/",
}
# The properties copied, as PROPFIND names them and as Radicale's storage keys them.
PROPS = {
    "{DAV:}displayname": "D:displayname",
    "{http://apple.com/ns/ical/}calendar-color": "ICAL:calendar-color",
    "{http://apple.com/ns/ical/}calendar-order": "ICAL:calendar-order",
    "{urn:ietf:params:xml:ns:caldav}calendar-description": "C:calendar-description",
    "{urn:ietf:params:xml:ns:carddav}addressbook-description": "CR:addressbook-description",
}
_COMPONENTS = "{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set"
_BODY = (
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" '
    'xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" '
    'xmlns:I="http://apple.com/ns/ical/"><D:prop>{}</D:prop></D:propfind>'
)
MAX_REDIRECTS = 5
TIMEOUT = 60


class SourceError(InvalidInput):
    """The source server could not be read; what was copied so far stays."""


class DavSource:
    """One account on a DAV server, reached at ``url`` with ``user`` and ``password``."""

    def __init__(self, url: str, user: str, password: str) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.session = requests.Session()
        self.session.auth = (user, password)
        self.user = user
        self.principal_url = ""
        self.not_owned: list[str] = []  # collections of others listed in the homes

    def request(self, method: str, url: str, body: str = "", depth: str = "0") -> requests.Response:
        """One request, following redirects with the same method (as DAV clients do)."""
        headers = {"Depth": depth, "Content-Type": "application/xml; charset=utf-8"}
        for _ in range(MAX_REDIRECTS):
            try:
                response = self.session.request(
                    method,
                    url,
                    data=body.encode(),
                    headers=headers,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
            except requests.RequestException as e:
                raise SourceError(f"cannot reach {url}: {e}") from None
            if response.status_code not in (301, 302, 307, 308):
                break
            url = urllib.parse.urljoin(url, response.headers.get("Location", ""))
        if response.status_code == 401:
            raise SourceError(f"{url}: the server refused {self.user}'s password")
        return response

    def propfind(self, url: str, props: str, depth: str = "0") -> list[tuple[str, Any]]:
        """(absolute URL, propstat element list) per response of a PROPFIND."""
        response = self.request("PROPFIND", url, _BODY.format(props), depth)
        if response.status_code != 207:
            return []
        try:
            root = ElementTree.fromstring(response.content)
        except Exception:
            raise SourceError(f"{url}: the PROPFIND answer is not XML") from None
        found = []
        for r in root.findall("D:response", NS):
            href = urllib.parse.urljoin(response.url, r.findtext("D:href", "", NS))
            ok = [
                p.find("D:prop", NS)
                for p in r.findall("D:propstat", NS)
                if " 200" in (p.findtext("D:status", "", NS))
            ]
            found.append((href, [p for p in ok if p is not None]))
        return found

    def _hrefs(self, url: str, prop: str) -> list[str]:
        found = self.propfind(url, f"<{prop}/>")
        hrefs = []
        for _, props in found[:1]:
            for p in props:
                for h in p.iterfind(f"{prop}/D:href", NS):
                    hrefs.append(urllib.parse.urljoin(url, h.text or ""))
        return hrefs

    def principal(self) -> str:
        """The account's principal URL, from the URL or its well-known addresses."""
        for start in (
            self.url,
            urllib.parse.urljoin(self.url, "/.well-known/caldav"),
            urllib.parse.urljoin(self.url, "/.well-known/carddav"),
        ):
            found = self._hrefs(start, "D:current-user-principal")
            if found:
                return found[0]
        raise SourceError(f"{self.url}: no current-user-principal: give the server's DAV URL")

    def home_sets(self) -> list[str]:
        """The calendar and address book home sets of the account."""
        principal = self.principal_url = self.principal()
        homes = self._hrefs(principal, "C:calendar-home-set")
        homes += self._hrefs(principal, "CR:addressbook-home-set")
        if not homes:
            raise SourceError(f"{principal}: the principal names no calendar or address book home")
        return list(dict.fromkeys(homes))

    def collections(self, owner: str) -> list[SourceCollection]:
        """Every calendar and address book in the account's homes, with its properties."""
        wanted = (
            "<D:resourcetype/><D:displayname/><I:calendar-color/><I:calendar-order/>"
            "<C:calendar-description/><CR:addressbook-description/>"
            "<C:supported-calendar-component-set/><D:owner/>"
        )
        found: dict[str, SourceCollection] = {}
        for home in self.home_sets():
            for url, props in self.propfind(home, wanted, depth="1"):
                collection = self._collection(owner, home, url, props)
                if collection is not None:
                    found.setdefault(url, collection)
        return sorted(found.values(), key=lambda c: c.name)

    def _collection(
        self, owner: str, home: str, url: str, props: list[Any]
    ) -> SourceCollection | None:
        values: dict[str, str] = {}
        for prop in props:
            for element in prop:
                if element.tag == "{DAV:}resourcetype":
                    kinds = {child.tag for child in element}
                    if "{urn:ietf:params:xml:ns:caldav}calendar" in kinds:
                        values["tag"] = "VCALENDAR"
                    elif "{urn:ietf:params:xml:ns:carddav}addressbook" in kinds:
                        values["tag"] = "VADDRESSBOOK"
                elif element.tag == _COMPONENTS:
                    names = [c.get("name", "") for c in element]
                    if names:
                        values["C:supported-calendar-component-set"] = ",".join(names)
                elif element.tag == "{DAV:}owner" and not self._owns(url, element):
                    self.not_owned.append(url)
                    return None
                elif element.tag in PROPS and (element.text or "").strip():
                    values[PROPS[element.tag]] = element.text.strip()
        relative = urllib.parse.urlparse(url).path[len(urllib.parse.urlparse(home).path) :]
        name = urllib.parse.unquote(relative.strip("/"))
        if not values.get("tag") or not name or "/" in name:
            return None
        if values["tag"] == "VADDRESSBOOK":
            values.pop("C:supported-calendar-component-set", None)

        def read(url: str = url) -> Iterator[SourceItem]:
            return self.items(url)

        return SourceCollection(owner, name, values, read, url=url)

    def _owns(self, url: str, owner: Any) -> bool:
        """Whether the ``DAV:owner`` of the collection at ``url`` is the account (or unsaid)."""
        href = owner.findtext("D:href", "", NS).strip()
        if not href or not self.principal_url:
            return True
        path = urllib.parse.urlparse(urllib.parse.urljoin(url, href)).path
        return path.rstrip("/") == urllib.parse.urlparse(self.principal_url).path.rstrip("/")

    def etags(self, url: str) -> dict[str, str]:
        """href (file name) -> etag of each item of the collection at ``url``."""
        found = {}
        for href, props in self.propfind(url, "<D:getetag/><D:resourcetype/>", depth="1"):
            name = urllib.parse.unquote(
                urllib.parse.urlparse(href).path.rstrip("/").rsplit("/", 1)[-1]
            )
            if href.rstrip("/") == url.rstrip("/") or href.endswith("/"):
                continue
            etag = next(
                (
                    p.findtext("D:getetag", "", NS)
                    for p in props
                    if p.find("D:getetag", NS) is not None
                ),
                "",
            )
            found[name] = etag
        return found

    def get(self, url: str, href: str) -> SourceItem:
        """The item ``href`` of the collection at ``url``, its bytes as served."""
        item_url = urllib.parse.urljoin(url, urllib.parse.quote(href))
        response = self.request("GET", item_url)
        if response.status_code != 200:
            raise SourceError(
                f"{item_url}: the server answered {response.status_code}; run the same command "
                "again to carry on from there"
            )
        return SourceItem(href, response.content, response.headers.get("ETag", ""))

    def items(self, url: str) -> Iterator[SourceItem]:
        """Every item of the collection at ``url``, fetched one by one."""
        for href, etag in sorted(self.etags(url).items()):
            item = self.get(url, href)
            yield SourceItem(href, item.data, etag or item.etag)
