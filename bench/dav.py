"""WebDAV requests over plain HTTP: the bodies the workloads send and what they read back."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import requests

NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav", "CR": "urn:ietf:params:xml:ns:carddav"}
_XMLNS = (
    'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" '
    'xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"'
)
_XML = {"Content-Type": "application/xml; charset=utf-8"}


class BadAnswer(Exception):
    """A server answered something the benchmark did not expect."""


@dataclass
class Client:
    """One HTTP connection to one server, logged in as the benchmark's account."""

    base: str
    login: str
    password: str
    timeout: float = 600

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.auth = (self.login, self.password)

    def url(self, path: str) -> str:
        """The absolute URL of a path below the server root."""
        return self.base + path

    def request(
        self,
        method: str,
        path: str,
        body: str = "",
        expect: tuple[int, ...] = (200,),
        **headers: str,
    ) -> requests.Response:
        """Send one request; raise BadAnswer on an unexpected status."""
        response = self.session.request(
            method,
            self.url(path),
            data=body.encode() if body else None,
            headers=headers,
            timeout=self.timeout,
        )
        if response.status_code not in expect:
            raise BadAnswer(f"{method} {path} -> {response.status_code}: {response.text[:300]}")
        return response

    def put(self, path: str, text: str, expect: tuple[int, ...] = (201, 204)) -> requests.Response:
        """PUT a vCard or iCalendar object."""
        kind = "text/vcard" if text.startswith("BEGIN:VCARD") else "text/calendar"
        return self.request("PUT", path, text, expect, **{"Content-Type": kind + "; charset=utf-8"})

    def propfind(self, path: str, props: str, depth: str) -> requests.Response:
        """PROPFIND for the given ``<D:prop>`` children."""
        body = f'<?xml version="1.0"?><D:propfind {_XMLNS}><D:prop>{props}</D:prop></D:propfind>'
        return self.request("PROPFIND", path, body, (207,), Depth=depth, **_XML)

    def report(self, path: str, body: str, depth: str = "1") -> requests.Response:
        """A REPORT with an XML body."""
        return self.request("REPORT", path, body, (207,), Depth=depth, **_XML)

    def mkcol_addressbook(self, path: str) -> None:
        """Create an address book (extended MKCOL, RFC 5689)."""
        body = (
            f'<?xml version="1.0"?><D:mkcol {_XMLNS}><D:set><D:prop><D:resourcetype>'
            "<D:collection/><CR:addressbook/></D:resourcetype>"
            "<D:displayname>Import</D:displayname></D:prop></D:set></D:mkcol>"
        )
        self.request("MKCOL", path, body, (201,), **_XML)

    def close(self) -> None:
        """Close the connection."""
        self.session.close()


def responses(response: requests.Response) -> list[ET.Element]:
    """The ``D:response`` elements of a multistatus answer."""
    return ET.fromstring(response.content).findall("D:response", NS)


def ok_hrefs(response: requests.Response) -> list[str]:
    """The hrefs of a multistatus whose propstat (or status) is 200."""
    found = []
    for r in responses(response):
        statuses = [s.text or "" for s in r.iter("{DAV:}status")]
        if any(" 200 " in s for s in statuses):
            found.append(r.findtext("D:href", namespaces=NS) or "")
    return found


def sync_token(response: requests.Response) -> str:
    """The new sync token of a sync-collection answer."""
    return ET.fromstring(response.content).findtext("D:sync-token", namespaces=NS) or ""


def propfind_token(response: requests.Response) -> str:
    """The sync-token property of a PROPFIND answer ("" when absent)."""
    return ET.fromstring(response.content).findtext(".//D:sync-token", namespaces=NS) or ""


def multiget_body(hrefs: list[str]) -> str:
    """addressbook-multiget of ``hrefs`` asking for etag and vCard data."""
    items = "".join(f"<D:href>{h}</D:href>" for h in hrefs)
    return (
        f'<?xml version="1.0"?><CR:addressbook-multiget {_XMLNS}>'
        f"<D:prop><D:getetag/><CR:address-data/></D:prop>{items}</CR:addressbook-multiget>"
    )


def addressbook_query_body(prop: str, text: str) -> str:
    """addressbook-query: ``prop`` contains ``text``, asking for etag and vCard data."""
    return (
        f'<?xml version="1.0"?><CR:addressbook-query {_XMLNS}>'
        "<D:prop><D:getetag/><CR:address-data/></D:prop>"
        f'<CR:filter><CR:prop-filter name="{prop}">'
        f'<CR:text-match collation="i;unicode-casemap" match-type="contains">{text}</CR:text-match>'
        "</CR:prop-filter></CR:filter></CR:addressbook-query>"
    )


def sync_body(token: str = "") -> str:
    """sync-collection (RFC 6578) from ``token`` ("" for the initial sync), etags only."""
    return (
        f'<?xml version="1.0"?><D:sync-collection {_XMLNS}>'
        f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )


def calendar_query_body(start: str, end: str) -> str:
    """calendar-query for the VEVENTs overlapping [start, end), asking for etag and data."""
    return (
        f'<?xml version="1.0"?><C:calendar-query {_XMLNS}>'
        "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        f'<C:time-range start="{start}" end="{end}"/>'
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )
