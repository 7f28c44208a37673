"""Raw figures (written to JSON) and the tables printed at the end."""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASELINE = "radicale"
# The other servers davshare is compared with, each in its own ratio columns when it ran.
BASELINES = ("radicale", "xandikos")
# The requests also shown as a multiple of the floor (a trivial app's GET in the same run).
OVER_FLOOR = {"get_contact": "GET one contact", "poll": "poll", "multiget_100": "multiget 100"}
# workload key -> label, in the order of the table
LABELS = {
    "import_seq": "import by PUT, 1 client (ms/item)",
    "import_4clients": "import by PUT, 4 clients (ms/item)",
    "load_events_put": "PUT whole calendar (events)",
    "load_tasks_put": "PUT whole task list",
    "get_contact": "GET one contact",
    "poll": "poll: PROPFIND Depth 0 getctag + sync-token",
    "put_new_contact": "PUT one new contact",
    "propfind_depth1": "PROPFIND Depth 1 (getetag)",
    "multiget_100": "addressbook-multiget 100",
    "query_email_domain": "query: e-mail domain (~1%)",
    "query_city": "query: city (~1%)",
    "sync_initial": "sync-collection initial",
    "sync_incremental": "sync-collection after 10 changes",
    "calendar_query_week": "calendar-query one week",
    "mixed_rps": "mixed 4 clients: req/s [higher=better]",
    "mixed_p50": "mixed 4 clients: p50",
    "mixed_p99": "mixed 4 clients: p99",
    "mixed16_rps": "mixed 16 clients: req/s [higher=better]",
    "mixed16_p50": "mixed 16 clients: p50",
    "mixed16_p99": "mixed 16 clients: p99",
}
HIGHER_IS_BETTER = {"mixed_rps", "mixed16_rps"}
# davshare only (bench/access.py): read key -> label, in the order of the second table
ACCESS_LABELS = {
    "get_contact": "GET one contact",
    "propfind_depth1": "PROPFIND Depth 1 (getetag)",
    "query_email_domain": "query: e-mail domain (~1%)",
    "sync_initial": "sync-collection initial",
    "sync_incremental": "sync-collection after 10 changes",
}
ACCESS_VIEWS = ("owner", "admin", "member", "sharee")
ACCESS_TARGET = 1.20  # issue 7: group rules, views and redaction add at most 20 % to any read


@dataclass
class Results:
    """Every figure of a benchmark run."""

    meta: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    peak_rss_kib: dict[str, dict[str, int | None]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(
        self, size: int, workload: str, server: str, unit: str, value: float, **extra: Any
    ) -> None:
        """One figure: the median (or the single value) of a workload on a server at a size."""
        self.records.append(
            {
                "size": size,
                "workload": workload,
                "server": server,
                "unit": unit,
                "value": value,
                **extra,
            }
        )

    def memory(self, size: int, server: str, kib: int | None) -> None:
        """The peak resident memory of a server process at the end of a size."""
        self.peak_rss_kib.setdefault(str(size), {})[server] = kib

    def problem(self, message: str) -> None:
        """Something a server got wrong (error status, wrong count, crash)."""
        self.problems.append(message)

    def value(self, size: int, workload: str, server: str) -> float | None:
        """The figure of one cell, if it ran."""
        for r in self.records:
            if (r["size"], r["workload"], r["server"]) == (size, workload, server):
                return float(r["value"])
        return None

    def is_partial(self, size: int, workload: str, server: str) -> bool:
        """Whether an import stopped at its time budget."""
        return any(
            r.get("partial")
            for r in self.records
            if (r["size"], r["workload"], r["server"]) == (size, workload, server)
        )

    def write(self, path: Path) -> None:
        """All raw figures as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "meta": self.meta,
            "results": self.records,
            "peak_rss_kib": self.peak_rss_kib,
            "problems": self.problems,
        }
        path.write_text(json.dumps(document, indent=1, default=str) + "\n")


def _fmt(value: float | None, partial: bool = False) -> str:
    if value is None or math.isnan(value):
        return "-"
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return text + ("*" if partial else "")


def _ratio(workload: str, ours: float | None, base: float | None) -> str:
    """davshare/Radicale for times, Radicale/davshare for req/s: below 1 means davshare is better."""
    if not ours or not base or math.isnan(ours) or math.isnan(base):
        return "-"
    return f"{(base / ours if workload in HIGHER_IS_BETTER else ours / base):.2f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def size_table(results: Results, size: int, servers: list[str]) -> str:
    """Workload x server medians at one size, with each server's ratios to Radicale and to
    Xandikos (those that ran) and the cheap requests' multiples of the floor."""
    pairs = [(s, b) for b in BASELINES if b in servers for s in servers if s not in BASELINES]
    pairs += [("xandikos", BASELINE)] if {"xandikos", BASELINE} <= set(servers) else []
    header = [
        "workload (median ms)",
        *servers,
        *[f"{s.replace('davshare-', '')}/{b}" for s, b in pairs],
    ]
    rows = []
    for key, label in LABELS.items():
        values = [results.value(size, key, s) for s in servers]
        if all(v is None for v in values):
            continue
        cells = [
            _fmt(v, results.is_partial(size, key, s)) for v, s in zip(values, servers, strict=True)
        ]
        ratios = [
            _ratio(key, results.value(size, key, s), results.value(size, key, b)) for s, b in pairs
        ]
        rows.append([label, *cells, *ratios])
    floor = results.value(size, "get_floor", "floor")
    notes = [
        f"Size {size} contacts. Ratios below 1: the first server is better (for req/s the ratio "
        "is the other's req/s over the first's).",
        _table(header, rows),
    ]
    if floor is not None:
        notes.append(f"floor: GET on a trivial WSGI app behind the same waitress: {_fmt(floor)} ms")
        for key, label in OVER_FLOOR.items():
            values = [(s, results.value(size, key, s)) for s in servers]
            shown = [f"{s} {v / floor:.2f}" for s, v in values if v and not math.isnan(v)]
            if shown:
                notes.append(f"{label} / floor: " + ", ".join(shown))
    for r in results.records:
        if r["size"] == size and r["workload"].endswith("_rps") and r.get("locked"):
            notes.append(
                f"{r['server']}, {LABELS[r['workload']].split(':')[0]}: {r['locked']} PUTs "
                "answered 423 Locked and were sent again (latency from the first attempt)"
            )
    if any(r.get("partial") for r in results.records if r["size"] == size):
        notes.append(
            "* import stopped at its time budget (figure over the items imported so far; "
            "the book was then completed by one collection PUT; Xandikos's, which takes none, "
            "in its store: bench/xandikos_store.py)"
        )
    return "\n".join(notes)


def growth_table(results: Results, sizes: list[int], servers: list[str]) -> str:
    """value@size / value@smallest size, per workload and server."""
    small, larger = sizes[0], sizes[1:]
    header = [
        "growth (value@N / value@" + str(small) + ")",
        *[f"{s} @{n}" for n in larger for s in servers],
    ]
    rows = []
    for key, label in LABELS.items():
        cells = []
        for n in larger:
            for s in servers:
                a, b = results.value(small, key, s), results.value(n, key, s)
                cells.append(
                    f"{b / a:.1f}x" if a and b and not math.isnan(a) and not math.isnan(b) else "-"
                )
        if any(c != "-" for c in cells):
            rows.append([label, *cells])
    return _table(header, rows)


def memory_table(results: Results, servers: list[str]) -> str:
    """Peak resident memory (VmHWM) of each server process, in MiB."""
    sizes = list(results.peak_rss_kib)
    rows = []
    for s in servers:
        values = [results.peak_rss_kib[n].get(s) for n in sizes]
        rows.append([s, *[f"{v / 1024:.0f}" if v else "-" for v in values]])
    return _table(["peak RSS, MiB (VmHWM)", *[f"@{n}" for n in sizes]], rows)


def access_table(results: Results, size: int, servers: list[str]) -> str | None:
    """davshare: each read as owner, admin and member of the group, and read sharee (None: none ran)."""
    header = [
        "davshare read (median ms)",
        *ACCESS_VIEWS,
        "member/owner",
        "sharee/owner",
    ]
    rows = []
    over = False
    partial = False
    for server in servers:
        if not any(
            r["size"] == size and r["workload"].startswith("access.") and r["server"] == server
            for r in results.records
        ):
            continue
        group_partial = results.is_partial(size, "access.import_group", server)
        partial = partial or group_partial
        for key, label in ACCESS_LABELS.items():
            values = [results.value(size, f"access.{key}", f"{server}:{v}") for v in ACCESS_VIEWS]
            if all(v is None for v in values):
                continue
            ratios = []
            for other in ("member", "sharee"):
                ratio = results.value(size, f"access.{key}.{other}/owner", server)
                if ratio is None:
                    ratios.append("-")
                    continue
                flag = "!" if ratio > ACCESS_TARGET else ""
                over = over or bool(flag)
                star = "*" if other == "member" and group_partial else ""
                ratios.append(f"{ratio:.2f}{flag}{star}")
            cells = [
                _fmt(v, group_partial and view in ("admin", "member"))
                for v, view in zip(values, ACCESS_VIEWS, strict=True)
            ]
            rows.append([f"{server.replace('davshare-', '')}: {label}", *cells, *ratios])
        own = results.value(size, "import_seq", server)
        group = results.value(size, "access.import_group", server)
        rows.append(
            [
                f"{server.replace('davshare-', '')}: import by PUT (ms/item)",
                _fmt(own, results.is_partial(size, "import_seq", server)),
                _fmt(group, group_partial),
                "",
                "",
                "",
                "",
            ]
        )
    if not rows:
        return None
    notes = [
        f"davshare: cost of group rules and sharing (size {size} contacts; "
        f"target: ratios at most {ACCESS_TARGET:.2f})",
        "owner: own book; admin/member: the group's book (same contacts) through each one's "
        "mount; sharee: the owner's book shared read only",
        _table(header, rows),
    ]
    if over:
        notes.append(f"! above the target of {ACCESS_TARGET:.2f}")
    if partial:
        notes.append(
            "* the group's book import stopped at its time budget: it holds fewer contacts "
            "than the owner's, so member/owner compares different books"
        )
    return "\n".join(notes)


def render(results: Results, sizes: list[int], servers: list[str]) -> str:
    """Everything printed at the end of a run."""
    parts = []
    for n in sizes:
        if any(r["size"] == n for r in results.records):
            parts.append(size_table(results, n, servers))
            shared = access_table(results, n, servers)
            if shared:
                parts.append(shared)
    ran = [n for n in sizes if any(r["size"] == n for r in results.records)]
    if len(ran) > 1:
        parts.append(growth_table(results, ran, servers))
    if results.peak_rss_kib:
        parts.append(memory_table(results, servers))
    if results.problems:
        parts.append("Problems:\n" + "\n".join(f"- {p}" for p in results.problems))
    return "\n\n".join(parts)
