"""The change log after many writes to one collection, and what its pruning buys (issue 18 §4).

``python -m bench.change_log`` writes N changes (default 1,000,000) into one address book
straight through the layer every write of the storage goes through (``item_rows``: the
revision bumped, the item replaced, the views' index and the change log written), in
batches of one transaction each, overwriting a fixed set of contacts (``--items``) so that
the change log, not the items, grows. It then reports the database's size and the change
log's, the cost of an incremental sync-collection REPORT through a running
``davshare serve`` with a recent token and with the oldest, the duration of the prune the
purge runs (``[trash] change_log_days``), and the same after it: the oldest token must then
be refused with RFC 6578's 403 ``DAV:valid-sync-token``.

    python -m bench.change_log                      # SQLite, 1,000,000 writes
    python -m bench.change_log --postgresql         # a throwaway PostgreSQL cluster
    python -m bench.change_log --writes 20000 --out /tmp/change_log.json
"""

import argparse
import json
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from radicale import item as radicale_item
from sqlalchemy import Engine, select, text

# The fraction of the writes that is older than the retention when the purge runs.
PRUNED_SHARE = 0.9
RECENT_CHANGES = 10  # what the "recent" token has missed
REPEATS = 3  # each sync is timed this many times; the median is reported


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.change_log", description=__doc__)
    parser.add_argument("--writes", type=_positive, default=1_000_000, help="changes to write")
    parser.add_argument("--items", type=_positive, default=1000, help="contacts they overwrite")
    parser.add_argument("--batch", type=_positive, default=1000, help="writes per transaction")
    parser.add_argument(
        "--item-rows",
        type=_positive,
        default=10_000,
        help="writes made through item_rows, each as the storage does (the rest by the batch)",
    )
    parser.add_argument("--postgresql", action="store_true", help="on a throwaway cluster")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def _positive(value: str) -> int:
    try:
        number = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


@contextmanager
def _database(postgresql: bool) -> Iterator[str]:
    """The URL of an empty database, removed at the end."""
    from tests.support import scratch

    if not postgresql:
        yield f"sqlite:///{scratch.folder('davshare-changelog-') / 'davshare.sqlite3'}"
        return
    from tests.support.postgres import PostgresCluster, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    try:
        yield cluster.create_database()
    finally:
        cluster.stop()


def _contact(number: int) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:bench-{number}\r\nFN:Person {number}\r\nN:{number};Person;;;\r\n"
        f"EMAIL:person{number}@example.org\r\nORG:Change log bench\r\nEND:VCARD\r\n"
    )


class Writer:
    """Writes changes into one collection, a batch a transaction: the first ``real`` through
    ``item_rows`` (each write as the storage makes it, nine statements), the rest as the
    same rows written by the batch (the revision bumped once, the change log and the items
    with ``executemany``), since Python's share of the whole path (about 3 ms a write)
    would make a million of them last an hour."""

    def __init__(
        self, engine: Engine, collection_id: int, items: int, batch: int, real: int
    ) -> None:
        from davshare.model.item_fields import searchable_fields

        self.engine, self.collection_id, self.items = engine, collection_id, items
        self.step, self.real = batch, max(real, items)  # the first pass creates every item
        self.written = 0
        self.seconds = {"real": 0.0, "bulk": 0.0}
        self.base: list[dict[str, Any]] = []
        for number in range(items):
            parsed = radicale_item.Item(collection_path="bench", text=_contact(number))
            self.base.append({**searchable_fields(parsed), "uid": f"bench-{number}"})

    def _next(self) -> tuple[str, str, str]:
        """(href, text, etag) of the next change."""
        number = self.written % self.items
        contact = _contact(number).replace("END:VCARD", f"NOTE:change {self.written}\r\nEND:VCARD")
        self.written += 1
        return f"bench-{number}.vcf", contact, radicale_item.get_etag(contact)

    def _through_item_rows(self, count: int) -> None:
        from davshare.model import item_rows
        from davshare.model.db import write_transaction

        with write_transaction(self.engine) as conn:
            for _ in range(count):
                number = self.written % self.items
                href, contact, etag = self._next()
                values = {**self.base[number], "text": contact, "etag": etag}
                item_rows.write_item(conn, self.collection_id, href, values, "")

    def _by_the_batch(self, count: int) -> None:
        from sqlalchemy import bindparam, insert, update

        from davshare.model.db import write_transaction
        from davshare.model.tables import changes, collections, items

        now = int(time.time())
        with write_transaction(self.engine) as conn:
            last = conn.scalar(
                update(collections)
                .where(collections.c.id == self.collection_id)
                .values(revision=collections.c.revision + count)
                .returning(collections.c.revision)
            )
            first = int(last or 0) - count + 1
            logged, latest = [], {}
            for revision in range(first, first + count):
                href, contact, etag = self._next()
                logged.append(
                    {
                        "collection_id": self.collection_id,
                        "revision": revision,
                        "href": href,
                        "hidden_for": "",
                        "changed_at": now,
                    }
                )
                latest[href] = {"h": href, "t": contact, "e": etag, "r": revision}
            conn.execute(insert(changes), logged)
            conn.execute(
                update(items)
                .where(items.c.collection_id == self.collection_id, items.c.href == bindparam("h"))
                .values(text=bindparam("t"), etag=bindparam("e"), revision=bindparam("r")),
                list(latest.values()),
            )

    def write(self, count: int, progress: Callable[[int], None]) -> None:
        while count > 0:
            real = self.written < self.real
            step = (
                min(count, self.step, self.real - self.written) if real else min(count, self.step)
            )
            started = time.monotonic()
            (self._through_item_rows if real else self._by_the_batch)(step)
            self.seconds["real" if real else "bulk"] += time.monotonic() - started
            count -= step
            progress(self.written)


def _sizes(engine: Engine) -> dict[str, int]:
    """Bytes of the whole database and of the change log (table and its indexes)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            page = int(conn.scalar(text("PRAGMA page_size")) or 0)
            pages = int(conn.scalar(text("PRAGMA page_count")) or 0)
            free = int(conn.scalar(text("PRAGMA freelist_count")) or 0)
            log = conn.scalar(
                text(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name = 'changes' OR name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = 'changes')"
                )
            )
            return {"database": page * pages, "in_use": page * (pages - free), "log": int(log or 0)}
        database = int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)
        log = int(conn.scalar(text("SELECT pg_total_relation_size('changes')")) or 0)
        return {"database": database, "in_use": database, "log": log}


def _log_rows(engine: Engine) -> int:
    from davshare.model.tables import changes

    with engine.connect() as conn:
        return int(conn.scalar(select(text("count(*)")).select_from(changes)) or 0)


def _sync(session: requests.Session, url: str, token: str) -> tuple[float, int, str]:
    """(median milliseconds, status, first href or error element) of an incremental sync."""
    body = (
        '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    times, answer = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        answer = session.request(
            "REPORT", url, data=body, headers={"Content-Type": "application/xml"}
        )
        times.append((time.perf_counter() - started) * 1000)
    assert answer is not None
    found = len(ET.fromstring(answer.content).findall("{DAV:}response"))
    if answer.status_code == 403:
        refused = ET.fromstring(answer.content).find("{DAV:}valid-sync-token") is not None
        return statistics.median(times), 403, "DAV:valid-sync-token" if refused else "other"
    return statistics.median(times), answer.status_code, f"{found} hrefs"


def run(
    writes: int,
    items: int,
    batch: int,
    real: int,
    postgresql: bool,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Write, measure, prune, measure; the figures."""
    from tests.support import scratch
    from tests.support.server import Server

    from davshare.model import change_log
    from davshare.model.db import write_transaction
    from davshare.model.tables import collections
    from davshare.storage.sync_tokens import SYNC_TOKEN_PREFIX

    figures: dict[str, Any] = {"writes": writes, "items": items, "batch": batch}
    with _database(postgresql) as url:
        server = Server(url, logging__level="error", logging__access_log="off").start()
        try:
            figures["backend"] = server.engine.dialect.name
            login = server.new_user()
            session = server.session(login)
            book = f"{server.url}/{login}/contacts/"
            assert session.request("PROPFIND", book).status_code == 207  # made at first use
            with server.engine.connect() as conn:
                row = conn.execute(
                    select(collections.c.id, collections.c.uuid, collections.c.revision).where(
                        collections.c.path == f"{login}/contacts"
                    )
                ).one()
            writer = Writer(server.engine, row.id, items, batch, real)
            oldest = f"{SYNC_TOKEN_PREFIX}{row.uuid}-{row.revision}"
            started, last = time.monotonic(), [0.0]

            def progress(done: int) -> None:
                now = time.monotonic()
                if now - last[0] >= 10 or done == writes:
                    last[0] = now
                    rate = done / max(now - started, 1e-9)
                    say(f"  {done:>9,} / {writes:,} writes, {rate:,.0f}/s")

            old_part = int(writes * PRUNED_SHARE)
            writer.write(old_part, progress)
            # The retention's edge: what was logged before this second is pruned.
            cut = int(time.time()) + 1
            time.sleep(max(0.0, cut - time.time()))
            writer.write(writes - old_part, progress)
            figures["write_seconds"] = round(time.monotonic() - started, 1)
            real_writes = min(writer.real, writes)
            figures["item_rows_writes"] = real_writes
            figures["item_rows_per_second"] = round(real_writes / writer.seconds["real"])
            if writes > real_writes:
                figures["batch_per_second"] = round((writes - real_writes) / writer.seconds["bulk"])
            revision = row.revision + writes
            recent = f"{SYNC_TOKEN_PREFIX}{row.uuid}-{revision - RECENT_CHANGES}"
            figures["before"] = _measure(server.engine, session, book, recent, oldest)
            say(f"  before pruning: {figures['before']}")

            started = time.monotonic()
            with write_transaction(server.engine) as conn:
                figures["pruned_rows"] = change_log.prune(conn, cut)
            figures["prune_seconds"] = round(time.monotonic() - started, 2)
            figures["after"] = _measure(server.engine, session, book, recent, oldest)
            say(f"  pruned {figures['pruned_rows']:,} rows in {figures['prune_seconds']} s")
            say(f"  after pruning: {figures['after']}")
        finally:
            server.stop()
            scratch.clean_up()
    return figures


def _measure(
    engine: Engine, session: requests.Session, book: str, recent: str, oldest: str
) -> dict[str, Any]:
    recent_ms, recent_status, recent_found = _sync(session, book, recent)
    oldest_ms, oldest_status, oldest_found = _sync(session, book, oldest)
    return {
        **_sizes(engine),
        "log_rows": _log_rows(engine),
        "recent_sync_ms": round(recent_ms, 1),
        "recent_sync": f"{recent_status} {recent_found}",
        "oldest_sync_ms": round(oldest_ms, 1),
        "oldest_sync": f"{oldest_status} {oldest_found}",
    }


def render(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    mib = 1024 * 1024
    before, after = figures["before"], figures["after"]
    lines = [
        f"{figures['backend']}: {figures['writes']:,} writes over {figures['items']:,} contacts "
        f"of one address book in {figures['write_seconds']} s: the first "
        f"{figures['item_rows_writes']:,} through item_rows ({figures['item_rows_per_second']:,}/s)"
        + (
            f", the rest by batches of {figures['batch']:,} ({figures['batch_per_second']:,}/s)"
            if "batch_per_second" in figures
            else ""
        ),
        f"prune of {figures['pruned_rows']:,} changes: {figures['prune_seconds']} s",
        "",
        "| | before pruning | after pruning |",
        "|---|---|---|",
        f"| database (MiB) | {before['database'] / mib:.1f} | {after['database'] / mib:.1f} |",
        f"| of it in use (MiB) | {before['in_use'] / mib:.1f} | {after['in_use'] / mib:.1f} |",
        f"| change log (MiB) | {before['log'] / mib:.1f} | {after['log'] / mib:.1f} |",
        f"| change log rows | {before['log_rows']:,} | {after['log_rows']:,} |",
        f"| sync, token {RECENT_CHANGES} changes old (ms) | {before['recent_sync_ms']} "
        f"({before['recent_sync']}) | {after['recent_sync_ms']} ({after['recent_sync']}) |",
        f"| sync, oldest token (ms) | {before['oldest_sync_ms']} ({before['oldest_sync']}) "
        f"| {after['oldest_sync_ms']} ({after['oldest_sync']}) |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    items = min(args.items, args.writes)
    figures = run(
        args.writes,
        items,
        args.batch,
        args.item_rows,
        args.postgresql,
        lambda line: print(line, flush=True),
    )
    print(render(figures))
    if args.out is not None:
        args.out.write_text(json.dumps(figures, indent=2) + "\n")
    expected = "403 DAV:valid-sync-token"
    if figures["after"]["oldest_sync"] != expected:
        print(
            f"the oldest token after pruning was answered {figures['after']['oldest_sync']}, "
            f"not {expected}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
