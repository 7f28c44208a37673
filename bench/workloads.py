"""The timed request workloads: one function per workload, one request timed per call.

Every function gets the server (``Target``), the size's shared ``Run`` and a
random generator seeded by workload, size and repetition, so that every server
sees exactly the same requests. Set-up requests (e.g. the changes before an
incremental sync) are not timed. Each returns the seconds of the timed request,
what the answer held (a count) and what it should have held.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from bench import dav
from bench.data import YEAR, Dataset, Item, extra_contacts
from bench.servers import LOGIN, PASSWORD, ServerProcess

HOME = f"/{LOGIN}/"
CONTACTS = HOME + "contacts/"
CALENDAR = HOME + "calendar/"
TASKS = HOME + "tasks/"
IMPORT = HOME + "import/"
T = TypeVar("T")


@dataclass
class Target:
    """One server under test during one size, and what its address book should hold."""

    name: str
    server: ServerProcess
    book: dict[str, str] = field(default_factory=dict)  # href -> vCard text
    sync_token: str = ""
    added: int = 0
    failed: str = ""  # why the server was given up on

    def __post_init__(self) -> None:
        self.client = dav.Client(self.server.url, LOGIN, PASSWORD)


@dataclass
class Run:
    """What every workload of one size shares."""

    size: int
    data: Dataset
    domain: str
    city: str


@dataclass
class Sample:
    """One timed request: seconds, the count found in the answer and the count expected."""

    seconds: float
    result: int | None = None
    expected: int | None = None


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """(seconds, value) of one call."""
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def get_contact(t: Target, run: Run, rng: random.Random) -> Sample:
    """GET one contact picked at random."""
    item = rng.choice(run.data.contacts)
    seconds, response = timed(lambda: t.client.request("GET", CONTACTS + item.href))
    return Sample(seconds, int("UID:" in response.text), 1)


def put_new_contact(t: Target, run: Run, rng: random.Random) -> Sample:
    """PUT one new contact into the full address book."""
    t.added += 1
    item = extra_contacts(f"new{t.added}", 1)[0]
    seconds, response = timed(lambda: t.client.put(CONTACTS + item.href, item.text, expect=(201,)))
    t.book[item.href] = item.text
    return Sample(seconds, response.status_code, 201)


def poll(t: Target, run: Run, rng: random.Random) -> Sample:
    """PROPFIND Depth 0 for getctag and sync-token: what DAVx5 and Thunderbird repeat."""
    props = "<CS:getctag/><D:sync-token/>"
    seconds, response = timed(lambda: t.client.propfind(CONTACTS, props, "0"))
    return Sample(seconds, int(bool(dav.propfind_token(response))), 1)


def propfind_depth1(t: Target, run: Run, rng: random.Random) -> Sample:
    """PROPFIND Depth 1 on the address book, getetag only."""
    seconds, response = timed(lambda: t.client.propfind(CONTACTS, "<D:getetag/>", "1"))
    return Sample(seconds, len(dav.responses(response)) - 1, len(t.book))


def multiget_100(t: Target, run: Run, rng: random.Random) -> Sample:
    """addressbook-multiget of 100 contacts picked at random (etag and data)."""
    picked = rng.sample(run.data.contacts, min(100, len(run.data.contacts)))
    body = dav.multiget_body([CONTACTS + item.href for item in picked])
    seconds, response = timed(lambda: t.client.report(CONTACTS, body))
    return Sample(seconds, len(dav.ok_hrefs(response)), len(picked))


def _count_lines(book: dict[str, str], prefix: str, text: str) -> int:
    return sum(
        any(line.startswith(prefix) and text.lower() in line.lower() for line in v.split("\r\n"))
        for v in book.values()
    )


def query_email_domain(t: Target, run: Run, rng: random.Random) -> Sample:
    """addressbook-query: EMAIL contains one employer's domain (about 1 % of the book)."""
    body = dav.addressbook_query_body("EMAIL", "@" + run.domain)
    seconds, response = timed(lambda: t.client.report(CONTACTS, body))
    return Sample(
        seconds, len(dav.ok_hrefs(response)), _count_lines(t.book, "EMAIL", "@" + run.domain)
    )


def query_city(t: Target, run: Run, rng: random.Random) -> Sample:
    """addressbook-query: ADR contains one city (about 1 % of the book)."""
    body = dav.addressbook_query_body("ADR", run.city)
    seconds, response = timed(lambda: t.client.report(CONTACTS, body))
    return Sample(seconds, len(dav.ok_hrefs(response)), _count_lines(t.book, "ADR", run.city))


def sync_initial(t: Target, run: Run, rng: random.Random) -> Sample:
    """sync-collection with no token: every href and etag of the book."""
    seconds, response = timed(lambda: t.client.report(CONTACTS, dav.sync_body(), depth="0"))
    t.sync_token = dav.sync_token(response)
    return Sample(seconds, len(dav.ok_hrefs(response)), len(t.book))


def edit_contact(t: Target, href: str, note: str) -> None:
    """Change the note of an existing contact (untimed set-up and mixed-load write)."""
    text = t.book[href]
    head, _, tail = text.partition("NOTE:")
    new_text = head + f"NOTE:{note}\r\n" + tail.split("\r\n", 1)[1]
    t.client.put(CONTACTS + href, new_text, expect=(204, 201))
    t.book[href] = new_text


def sync_incremental(t: Target, run: Run, rng: random.Random) -> Sample:
    """sync-collection from the last token after 10 contacts changed (the changes are untimed)."""
    if not t.sync_token:
        t.sync_token = dav.sync_token(t.client.report(CONTACTS, dav.sync_body(), depth="0"))
    changed = rng.sample(run.data.contacts, min(10, len(run.data.contacts)))
    for item in changed:
        edit_contact(t, item.href, f"changed {rng.random()}")
    body = dav.sync_body(t.sync_token)
    seconds, response = timed(lambda: t.client.report(CONTACTS, body, depth="0"))
    t.sync_token = dav.sync_token(response)
    return Sample(seconds, len(dav.ok_hrefs(response)), len(changed))


def _event_times(item: Item) -> tuple[datetime, int]:
    """(first start, number of weekly occurrences) of a benchmark event."""
    start = item.text.split("DTSTART:", 1)[1][:16]
    count = 10 if "RRULE:FREQ=WEEKLY;COUNT=10" in item.text else 1
    return datetime.strptime(start, "%Y%m%dT%H%M%SZ"), count


def events_in(events: list[Item], start: datetime, end: datetime) -> int:
    """How many of the events have an occurrence overlapping [start, end)."""
    found = 0
    for item in events:
        first, count = _event_times(item)
        occurrences = (first + timedelta(weeks=k) for k in range(count))
        found += any(s < end and s + timedelta(hours=1) > start for s in occurrences)
    return found


def calendar_query_week(t: Target, run: Run, rng: random.Random) -> Sample:
    """calendar-query: the events of one week picked at random in the year."""
    start = datetime(YEAR, 1, 5) + timedelta(weeks=rng.randrange(50))
    end = start + timedelta(weeks=1)
    body = dav.calendar_query_body(start.strftime("%Y%m%dT%H%M%SZ"), end.strftime("%Y%m%dT%H%M%SZ"))
    seconds, response = timed(lambda: t.client.report(CALENDAR, body))
    return Sample(seconds, len(dav.ok_hrefs(response)), events_in(run.data.events, start, end))


def get_floor(t: Target, run: Run, rng: random.Random) -> Sample:
    """GET on the trivial WSGI app: waitress, HTTP and the client, nothing else."""
    seconds, response = timed(lambda: t.client.request("GET", "/"))
    return Sample(seconds, int(response.text == "ok"), 1)


Workload = Callable[[Target, Run, random.Random], Sample]

# key -> (label, function), in the order they run and are shown.
WORKLOADS: dict[str, tuple[str, Workload]] = {
    "get_contact": ("GET one contact", get_contact),
    "poll": ("poll: PROPFIND Depth 0 getctag + sync-token", poll),
    "put_new_contact": ("PUT one new contact", put_new_contact),
    "propfind_depth1": ("PROPFIND Depth 1 (getetag)", propfind_depth1),
    "multiget_100": ("addressbook-multiget 100", multiget_100),
    "query_email_domain": ("query: e-mail domain (~1%)", query_email_domain),
    "query_city": ("query: city (~1%)", query_city),
    "sync_initial": ("sync-collection initial", sync_initial),
    "sync_incremental": ("sync-collection after 10 changes", sync_incremental),
    "calendar_query_week": ("calendar-query one week", calendar_query_week),
}
# Cheap workloads are repeated this many times more: a median of a few ms needs more samples
# (GET and the floor, about 3 ms: 60 at 10,000 contacts, so that a few percent can be read).
REPEAT = {
    "get_contact": 20,
    "poll": 10,
    "get_floor": 20,
    "multiget_100": 2,
    "calendar_query_week": 2,
}
