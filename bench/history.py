"""What keeping history and the trash costs a PUT and a DELETE (issue 20, target <= 20 %).

``python -m bench.history`` starts two davshare servers on SQLite (and two on PostgreSQL
with ``--postgresql`` when its binaries are installed): one with the defaults (trash and
history on), one with ``[trash] retention_days = 0`` and ``history_versions = 0`` (both
off). Into the bench account's own address book and into a group's, it PUTs ``--contacts``
new contacts, overwrites each ``--rounds`` times, then DELETEs each; every request goes
to the two servers in turn (off, then on), so that what else the machine does weighs
on both alike. Prints the median of each operation on each server and the difference.
"""

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable

import requests

from bench import servers

OFF = "[trash]\nretention_days = 0\nhistory_versions = 0\n"
GROUP = "bench-history"


def _vcard(i: int, note: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-history-{i}\r\nFN:Contact {i}\r\n"
        f"N:{i};Contact;;;\r\nEMAIL;TYPE=WORK:c{i}@example.org\r\n"
        f"ADR;TYPE=WORK:;;{i} Main St;Lyon;;69000;France\r\nTEL:+33 1 00 00 {i:04d}\r\n"
        f"NOTE:{note}\r\nEND:VCARD\r\n"
    )


def _session() -> requests.Session:
    session = requests.Session()
    session.auth = (servers.LOGIN, servers.PASSWORD)
    return session


def _books(process: servers.ServerProcess, session: requests.Session) -> dict[str, str]:
    """The address books timed: the account's own and a group's (activity logged)."""
    api = f"{process.url}/.davshare/api/v1"
    response = session.post(f"{api}/groups", json={"name": GROUP}, timeout=30)
    if response.status_code >= 300:
        sys.exit(f"{process.name}: cannot create the group: {response.text}")
    session.request("PROPFIND", f"{process.url}/{servers.LOGIN}/", headers={"Depth": "1"})
    return {
        "own": f"{process.url}/{servers.LOGIN}/contacts/",
        "group": f"{process.url}/{servers.LOGIN}/contacts@{GROUP}/",
    }


def _timed(call: Callable[[], requests.Response], ok: tuple[int, ...]) -> float:
    started = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - started
    if response.status_code not in ok:
        sys.exit(f"unexpected {response.status_code}: {response.text[:300]}")
    return seconds


def run_pair(
    pair: dict[str, servers.ServerProcess], contacts: int, rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Seconds of each request, by "<book> <operation>" and by server ("off", "on")."""
    sessions = {side: _session() for side in pair}
    books = {side: _books(process, sessions[side]) for side, process in pair.items()}
    times: dict[str, dict[str, list[float]]] = {}

    def both(key: str, request: Callable[[str], requests.Response], ok: tuple[int, ...]) -> None:
        for side in ("off", "on"):
            seconds = _timed(functools.partial(request, side), ok)
            times.setdefault(key, {}).setdefault(side, []).append(seconds)

    def put(book: str, i: int, note: str) -> Callable[[str], requests.Response]:
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        data = _vcard(i, note).encode()
        return lambda side: sessions[side].put(
            books[side][book] + f"h{i}.vcf", data=data, headers=headers, timeout=60
        )

    def delete(book: str, i: int) -> Callable[[str], requests.Response]:
        return lambda side: sessions[side].delete(books[side][book] + f"h{i}.vcf", timeout=60)

    for book in ("own", "group"):
        for i in range(contacts):
            both(f"{book} PUT new", put(book, i, "first"), (201,))
        for n in range(rounds):
            for i in range(contacts):
                both(f"{book} PUT overwrite", put(book, i, f"round {n}"), (201, 204))
        for i in range(contacts):
            both(f"{book} DELETE", delete(book, i), (200, 204))
    return times


def render(name: str, times: dict[str, dict[str, list[float]]]) -> str:
    """One line per operation: medians off and on (ms) and what history adds."""
    lines = [f"{name}: median ms per request, history off -> on (difference)"]
    for key, sides in times.items():
        off, on = statistics.median(sides["off"]), statistics.median(sides["on"])
        lines.append(
            f"  {key:20} {off * 1000:7.2f} -> {on * 1000:7.2f}  ({(on / off - 1) * 100:+5.1f} %)"
            f"  n={len(sides['on'])}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.history", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgresql", action="store_true", help="also on PostgreSQL")
    args = parser.parse_args(argv)
    kinds = ["davshare-sqlite"]
    if args.postgresql and servers.postgres_bin_dir() is not None:
        kinds.append("davshare-postgresql")
    cluster = None
    try:
        for kind in kinds:
            urls: dict[str, str | None] = {"off": None, "on": None}
            if kind == "davshare-postgresql":
                from tests.support.postgres import PostgresCluster

                cluster = PostgresCluster(servers.postgres_bin_dir())  # type: ignore[arg-type]
                cluster.start()
                urls = {side: cluster.create_database() for side in urls}
            pair = {
                "off": servers.davshare(f"{kind}-off", urls["off"], extra=OFF),
                "on": servers.davshare(f"{kind}-on", urls["on"]),
            }
            try:
                for process in pair.values():
                    process.start()
                print(render(kind, run_pair(pair, args.contacts, args.rounds)), flush=True)
            finally:
                for process in pair.values():
                    process.cleanup()
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
