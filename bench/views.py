"""A view over a large group address book (issue 5): ``python -m bench.views``.

One size (default 50,000 contacts, the issue's figure). On each davshare
server the benchmark's account creates the group ``bench``, imports the
contacts into the group's address book (the import API, one request) and
gives the member a view: the contacts of one city (about 1 % of the book,
``bench/data.py``). Timed, median of ``--rounds``:

- **view**: what a client of the member does through the view: PROPFIND
  Depth 1, an initial sync, GET of one contact in it;
- **full**: the same requests by the admin on the whole group book;
- **radicale**: stock Radicale 3.9 holding the same contacts, answering the
  request that gives a client the same contacts: an addressbook-query on the
  city (Radicale has no views), and its own PROPFIND Depth 1 and initial sync
  of the whole book.

Ratios are against Radicale in the same run. Progress goes to stderr.
"""

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable

from bench import data, dav, load, servers
from bench.servers import MEMBER_LOGIN, MEMBER_PASSWORD
from bench.workloads import CONTACTS, HOME, Target, timed

API = "/.davshare/api/v1"
GROUP_BOOK = HOME + "contacts@bench/"
MEMBER_BOOK = f"/{MEMBER_LOGIN}/contacts@bench/"
_JSON = {"Content-Type": "application/json"}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _median(call: Callable[[], float], rounds: int) -> float:
    return statistics.median(call() for _ in range(rounds))


def _prepare_davshare(t: Target, contacts: list[data.Item], city: str) -> dav.Client:
    """Group, member, imported group book and the member's view; the member's client."""
    admin = t.client
    member = dav.Client(t.server.url, MEMBER_LOGIN, MEMBER_PASSWORD)
    member.propfind(f"/{MEMBER_LOGIN}/", "<D:resourcetype/>", "1")
    admin.request("POST", API + "/groups", json.dumps({"name": "bench"}), (201,), **_JSON)
    body = json.dumps({"login": MEMBER_LOGIN})
    admin.request("POST", API + "/groups/bench/members", body, (200,), **_JSON)
    _say(f"{t.name}: importing {len(contacts)} contacts into the group's book (one request)")
    start = time.perf_counter()
    report = admin.request(
        "POST",
        API + "/collections/contacts@bench/import?format=vcard",
        load.vcards(contacts),
        (200,),
        **{"Content-Type": "text/vcard; charset=utf-8"},
    ).json()
    _say(f"{t.name}: imported {report} in {time.perf_counter() - start:.0f} s")
    book = API + "/groups/bench/collections/contacts"
    view = json.dumps({"filter": {"field": "city", "op": "equals", "value": city}})
    admin.request("PUT", book + "/views/city", view, (201,), **_JSON)
    body = json.dumps({"view": "city"})
    admin.request("PUT", book + f"/view-assignments/{MEMBER_LOGIN}", body, (200,), **_JSON)
    return member


def _reads(client: dav.Client, path: str, expected: int, hrefs: list[str], rounds: int) -> dict:
    """PROPFIND Depth 1, initial sync and GET through ``path``; checks the counts."""

    def propfind() -> float:
        seconds, response = timed(lambda: client.propfind(path, "<D:getetag/>", "1"))
        found = len(dav.responses(response)) - 1
        if found != expected:
            raise SystemExit(f"{path}: PROPFIND listed {found} contacts, expected {expected}")
        return seconds

    def sync() -> float:
        seconds, response = timed(lambda: client.report(path, dav.sync_body(), depth="0"))
        if len(dav.ok_hrefs(response)) != expected:
            raise SystemExit(f"{path}: sync listed {len(dav.ok_hrefs(response))}, not {expected}")
        return seconds

    rng = random.Random(7)

    def get() -> float:
        return timed(lambda: client.request("GET", path + rng.choice(hrefs)))[0]

    return {
        "propfind_depth1": _median(propfind, rounds),
        "sync_initial": _median(sync, rounds),
        "get_contact": _median(get, rounds * 5),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.views", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contacts", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--servers", default="radicale,davshare-sqlite,davshare-postgresql")
    args = parser.parse_args(argv)
    kinds = [k for k in args.servers.split(",") if k in servers.available_kinds()]
    dataset = data.dataset(args.contacts)
    contacts = dataset.contacts
    _, city = data.query_targets(dataset)
    in_view = [c for c in contacts if f";{city};" in c.text.split("ADR;TYPE=WORK:", 1)[1]]
    hrefs = [c.href for c in in_view]
    _say(f"{len(contacts)} contacts, {len(in_view)} in the view (city {city}); servers {kinds}")
    figures: dict[str, dict[str, float]] = {}
    cluster = None
    try:
        for kind in kinds:
            if kind == "radicale":
                process = servers.radicale().start()
            elif kind == "davshare-sqlite":
                process = servers.davshare(kind).start()
            else:
                from tests.support.postgres import PostgresCluster

                if cluster is None:
                    cluster = PostgresCluster(servers.postgres_bin_dir())  # type: ignore[arg-type]
                    cluster.start()
                process = servers.davshare(kind, cluster.create_database()).start()
            try:
                t = Target(kind, process)
                if kind == "radicale":
                    _say("radicale: loading the book (one PUT)")
                    load.put_collection(t, CONTACTS, load.vcards(contacts))
                    query = dav.addressbook_query_body("ADR", city)

                    def by_query(t: Target = t, query: str = query) -> float:
                        seconds, response = timed(lambda: t.client.report(CONTACTS, query))
                        if len(dav.ok_hrefs(response)) < len(in_view):
                            raise SystemExit("radicale: the city query found too few contacts")
                        return seconds

                    figures["radicale"] = {
                        "query_city": _median(by_query, args.rounds),
                        **_reads(t.client, CONTACTS, len(contacts), hrefs, args.rounds),
                    }
                else:
                    member = _prepare_davshare(t, contacts, city)
                    _say(f"{kind}: timing the view and the whole book")
                    figures[f"{kind} view"] = _reads(
                        member, MEMBER_BOOK, len(in_view), hrefs, args.rounds
                    )
                    figures[f"{kind} full"] = _reads(
                        t.client, GROUP_BOOK, len(contacts), hrefs, args.rounds
                    )
            finally:
                process.stop()
                process.cleanup()
    finally:
        if cluster is not None:
            cluster.stop()
    print(render(figures, len(contacts), len(in_view)))
    return 0


def _ratio(value: float) -> str:
    """A ratio readable at any size: 0.0007x, 0.05x, 2.3x."""
    return f"{value:.2g}x" if value < 0.1 else f"{value:.2f}x"


def render(figures: dict[str, dict[str, float]], total: int, shown: int) -> str:
    """The table: milliseconds, and ratios to Radicale's answer for the same contacts."""
    base = figures.get("radicale", {})
    lines = [f"A view of {shown} of {total:,} contacts (ms, median; ratio to Radicale)"]
    for name, values in figures.items():
        cells = []
        for key, ms in values.items():
            cell = f"{key} {ms * 1000:.1f}"
            if name.endswith(" view") and key in ("propfind_depth1", "sync_initial") and base:
                cell += f" ({_ratio(ms / base['query_city'])} Radicale's city query)"
            elif key in base and name != "radicale":
                cell += f" ({_ratio(ms / base[key])})"
            cells.append(cell)
        lines.append(f"  {name:26} " + " · ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
