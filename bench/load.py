"""Loading the data by HTTP PUT, which is also the "import of N by PUT" workload.

Contacts go one PUT per item: sequentially into the address book the other
workloads use, then with 4 concurrent clients into a separate address book.
Both stop at a time budget (stock Radicale's PUT costs O(items in the book), so
a 10,000-contact import would take hours); the address book is then completed
with one PUT of the whole collection, and the figure is marked partial.
Events and tasks always go in one PUT of the whole collection each.
"""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bench import dav
from bench.data import Item
from bench.servers import LOGIN, PASSWORD
from bench.workloads import CALENDAR, CONTACTS, IMPORT, TASKS, Target

Progress = Callable[[str], None]


@dataclass
class ImportResult:
    """How many items went in, in how many seconds, and whether the budget cut it short."""

    items: int
    seconds: float
    total: int
    errors: list[str]

    @property
    def ms_per_item(self) -> float:
        """Wall time per item (for 4 clients: wall time of the batch / items)."""
        return 1000 * self.seconds / self.items if self.items else float("nan")

    @property
    def partial(self) -> bool:
        """Whether fewer items than asked were imported."""
        return self.items < self.total


def _reporter(progress: Progress, label: str, total: int) -> Callable[[int], None]:
    """A counter that prints at every tenth of the way and at most every 5 s otherwise."""
    state = {"last": time.monotonic(), "step": 0}

    def report(done: int) -> None:
        step = done * 10 // max(total, 1)
        now = time.monotonic()
        if step > state["step"] or now - state["last"] > 5:
            state["step"], state["last"] = step, now
            progress(f"{label}: {done}/{total}")

    return report


def import_sequential(
    t: Target,
    items: list[Item],
    budget: float,
    progress: Progress,
    path: str = CONTACTS,
    book: dict[str, str] | None = None,
) -> ImportResult:
    """PUT the contacts one after the other into the address book, within ``budget`` seconds.

    ``path`` and ``book`` default to the account's address book and ``t.book``; the
    group workloads load the group's book through the admin's mount the same way.
    """
    book = t.book if book is None else book
    report = _reporter(progress, f"  import {t.name} into {path} (1 client)", len(items))
    start = time.perf_counter()
    done, errors = 0, []
    for item in items:
        if time.perf_counter() - start > budget:
            break
        try:
            t.client.put(path + item.href, item.text, expect=(201,))
        except dav.BadAnswer as e:
            errors.append(str(e))
            if len(errors) >= 5:
                break
            continue
        done += 1
        book[item.href] = item.text
        report(done)
    return ImportResult(done, time.perf_counter() - start, len(items), errors)


def import_concurrent(
    t: Target, items: list[Item], budget: float, progress: Progress, clients: int = 4
) -> ImportResult:
    """PUT the contacts with ``clients`` concurrent clients into a new address book."""
    t.client.mkcol_addressbook(IMPORT)
    report = _reporter(progress, f"  import {t.name} ({clients} clients)", len(items))
    queue: Iterator[Item] = iter(items)
    lock = threading.Lock()
    counts = {"done": 0}
    errors: list[str] = []
    start = time.perf_counter()

    def worker() -> None:
        client = dav.Client(t.server.url, LOGIN, PASSWORD)
        try:
            while time.perf_counter() - start <= budget and len(errors) < 5:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                try:
                    client.put(IMPORT + item.href, item.text, expect=(201,))
                except (dav.BadAnswer, OSError) as e:
                    errors.append(str(e))
                with lock:
                    counts["done"] += 1
                    report(counts["done"])
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = ImportResult(counts["done"], time.perf_counter() - start, len(items), errors)
    t.client.request("DELETE", IMPORT, expect=(200, 204))
    return result


def vcards(items: list[Item]) -> str:
    """Many vCards in one body."""
    return "".join(item.text for item in items)


def icalendar(items: list[Item]) -> str:
    """Many iCalendar objects merged into one VCALENDAR."""
    inner = [
        item.text.split("PRODID:-//davshare bench//EN\r\n", 1)[1].rsplit("END:VCALENDAR", 1)[0]
        for item in items
    ]
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davshare bench//EN\r\n"
        + "".join(inner)
        + "END:VCALENDAR\r\n"
    )


def put_collection(t: Target, path: str, body: str) -> float:
    """Replace a whole collection by one PUT; returns the seconds it took."""
    kind = "text/vcard" if body.startswith("BEGIN:VCARD") else "text/calendar"
    start = time.perf_counter()
    t.client.request("PUT", path, body, (201, 204), **{"Content-Type": kind + "; charset=utf-8"})
    return time.perf_counter() - start


def complete_book(t: Target, contacts: list[Item]) -> float:
    """Replace the address book by all the contacts in one PUT (after a partial import)."""
    seconds = put_collection(t, CONTACTS, vcards(contacts))
    t.book = {item.href: item.text for item in contacts}
    return seconds


def load_calendars(t: Target, events: list[Item], tasks: list[Item]) -> tuple[float, float]:
    """Events and tasks, one PUT of the whole collection each; returns both durations."""
    return put_collection(t, CALENDAR, icalendar(events)), put_collection(
        t, TASKS, icalendar(tasks)
    )
