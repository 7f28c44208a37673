"""Several hosts against one (issue 18 §5): the benchmark's mixed load through HAProxy with
1, 2 and 3 davshare hosts, side by side with one ``davshare serve`` reached directly, all
on the same PostgreSQL primary and its synchronous standby, in one run.

The cluster is the fault tests' (``tests/support/cluster.py``): each host in its own
network namespace with ``--workers`` gunicorn workers, HAProxy on 127.0.0.1 in front.
Hosts beyond the count measured are put in maintenance at the balancer; the one serve is
measured first and again last, and ratios are to the mean of the two. For each setup
and number of clients the table gives throughput, p50 and p99, and where the CPU went
during the run (davshare's processes, PostgreSQL's, HAProxy's, and this benchmark's
client threads): on a machine of few cores, more hosts share the same cores, so the gain
is bounded by what the database and the clients leave. Needs root (network namespaces).

    python -m bench.scaling
    python -m bench.scaling --contacts 1000 --seconds 20 --clients 4,16 --hosts 1,2,3
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench import load, mixed, servers
from bench.data import dataset, query_targets
from bench.workloads import Run, Target

CPU_TICKS = os.sysconf("SC_CLK_TCK")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--contacts", type=int, default=1000, help="contacts in the book")
    parser.add_argument("--seconds", type=float, default=20, help="length of each timed run")
    parser.add_argument("--clients", default="4,16", help="client counts, comma-separated")
    parser.add_argument("--hosts", default="1,2,3", help="host counts, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    try:
        args.clients = [int(n) for n in args.clients.split(",")]
        args.hosts = [int(n) for n in args.hosts.split(",")]
    except ValueError:
        parser.error("--clients and --hosts are whole numbers separated by commas")
    if min(args.clients + args.hosts) < 1 or args.contacts < 1 or args.seconds <= 0:
        parser.error("counts and durations must be positive")
    return args


def _cpu(pids: Iterable[int]) -> dict[int, float]:
    """CPU seconds used so far by each of ``pids`` (the ones that still run)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CPU_TICKS  # utime + stime
    return used


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    from tests.support import daemons

    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(daemons.children(pid))
    return found


def _measured(
    groups: dict[str, Callable[[], list[int]]], work: Callable[[], mixed.MixedResult]
) -> tuple[mixed.MixedResult, dict[str, float]]:
    """``work()``'s result and the CPU seconds each group of processes spent meanwhile."""
    before = {name: _cpu(pids()) for name, pids in groups.items()}
    own = time.process_time()
    result = work()
    spent = {"clients": time.process_time() - own}
    for name, pids in groups.items():
        after = _cpu(pids())
        spent[name] = sum(after[p] - before[name].get(p, 0.0) for p in after)
    return result, spent


def _target(name: str, url: str) -> Target:
    """A Target for the mixed load at ``url`` (a server this module started otherwise)."""
    port = int(url.rsplit(":", 1)[1])
    return Target(name, servers.ServerProcess(name, [], Path(tempfile.gettempdir()), port))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if os.geteuid() != 0:
        print(
            "python -m bench.scaling needs root: its hosts are network namespaces", file=sys.stderr
        )
        return 2
    from tests.support import scratch
    from tests.support.cluster import Cluster

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    say(f"starting {max(args.hosts)} hosts, HAProxy, a primary and a synchronous standby ...")
    cluster = Cluster(hosts_count=max(args.hosts), workers=args.workers).start()
    single = servers.davshare("one-serve", cluster.database_url, workers=args.workers)
    rows: list[dict[str, Any]] = []
    try:
        single.start()
        data = dataset(args.contacts)
        run = Run(args.contacts, data, *query_targets(data))
        say(f"loading {args.contacts} contacts (one PUT of the whole book) ...")
        load.complete_book(Target("one-serve", single), data.contacts)
        assert cluster.balancer and cluster.primary and cluster.standby
        balancer = cluster.balancer
        postgres = [cluster.primary, cluster.standby]
        database = [lambda db=db: _descendants(_postmaster(db.data)) for db in postgres]
        groups_single = {
            "davshare": lambda: _descendants(single.process.pid if single.process else 0),
            "PostgreSQL": lambda: [p for pids in database for p in pids()],
        }
        setups: list[tuple[str, str, dict[str, Callable[[], list[int]]], int]] = [
            ("one davshare serve", single.url, groups_single, 0)
        ]
        for count in args.hosts:
            hosts = cluster.hosts[:count]
            groups = {
                "davshare": lambda hosts=hosts: [p for h in hosts for p in h.pids()],
                "PostgreSQL": groups_single["PostgreSQL"],
                "HAProxy": lambda: [balancer.process.pid] if balancer.process else [],
            }
            label = f"{count} host{'s' if count > 1 else ''} behind HAProxy"
            setups.append((label, balancer.url, groups, count))
        # Once more at the end: what drifted during the run (the machine, the database's
        # caches and autovacuum) shows as the difference between the two.
        setups.append(("one davshare serve, again", single.url, groups_single, 0))
        for label, url, groups, count in setups:
            if count:
                balancer.use(count)
            for clients in args.clients:
                say(f"{label}, {clients} clients: {args.seconds:g} s ...")
                target = _target(label, url)
                mixed.mixed_load(target, run, min(3.0, args.seconds), clients)  # warm-up
                result, cpu = _measured(
                    groups, lambda t=target, c=clients: mixed.mixed_load(t, run, args.seconds, c)
                )
                rows.append(
                    {
                        "setup": label,
                        "hosts": count,
                        "clients": clients,
                        "requests_per_s": result.requests_per_s,
                        "p50_ms": result.percentile_ms(50),
                        "p99_ms": result.percentile_ms(99),
                        "errors": len(result.errors),
                        "first_error": result.errors[0] if result.errors else "",
                        "cpu_s": cpu,
                    }
                )
    finally:
        single.stop()
        single.cleanup()
        cluster.stop()
        scratch.clean_up()
    print(_table(rows, args))
    if args.out:
        args.out.write_text(json.dumps({"arguments": sys.argv[1:], "rows": rows}, indent=2))
    return 1 if any(r["errors"] for r in rows) else 0


def _postmaster(data: Path) -> int:
    try:
        return int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _table(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    runs: dict[int, list[float]] = {}
    for r in rows:
        if r["hosts"] == 0:
            runs.setdefault(r["clients"], []).append(r["requests_per_s"])
    baseline = {clients: sum(rates) / len(rates) for clients, rates in runs.items()}
    lines = [
        f"Mixed load (60% GET, 25% PROPFIND Depth 0, 15% PUT), {args.contacts} contacts, "
        f"{args.seconds:g} s a run, {args.workers} workers a host, {os.cpu_count()} cores:",
        "",
        "| setup | clients | req/s | vs one serve (mean of both) | p50 ms | p99 ms | errors "
        "| CPU s: davshare / PostgreSQL / HAProxy / clients |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cpu = r["cpu_s"]
        ratio = r["requests_per_s"] / baseline[r["clients"]] if baseline.get(r["clients"]) else 0
        spent = " / ".join(
            f"{cpu[k]:.1f}" if k in cpu else "-"
            for k in ("davshare", "PostgreSQL", "HAProxy", "clients")
        )
        lines.append(
            f"| {r['setup']} | {r['clients']} | {r['requests_per_s']:.0f} | {ratio:.2f}x "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {spent} |"
        )
    for r in rows:
        if r["errors"]:
            lines.append(f"{r['setup']}, {r['clients']} clients: {r['first_error']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
