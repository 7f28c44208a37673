"""One size of the benchmark: start the servers, load the data, run the workloads alternately."""

import contextlib
import random
import shutil
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests

from bench import access, dav, load, servers, xandikos_store
from bench.data import dataset, query_targets
from bench.mixed import mixed_load
from bench.report import ACCESS_LABELS, Results
from bench.workloads import HOME, REPEAT, WORKLOADS, Run, Sample, Target, get_floor

Progress = Callable[[str], None]
AnyTarget = TypeVar("AnyTarget", bound=Target)
_FAILURES = (dav.BadAnswer, requests.RequestException, ET.ParseError, OSError)


@dataclass(frozen=True)
class Options:
    """How long and how often to measure."""

    reps: int  # timed repetitions of each request workload
    workload_budget: float  # seconds per workload and server before repetitions stop
    import_budget: float  # seconds per import phase and server
    mixed_seconds: float  # duration of the mixed load per server


def start_server(kind: str, database_url: Callable[[], str]) -> servers.ServerProcess:
    """A started server of ``kind`` (database_url gives a new PostgreSQL database)."""
    if kind == "radicale":
        server = servers.radicale()
    elif kind == "xandikos":
        server = servers.xandikos()
    elif kind == "davshare-sqlite":
        server = servers.davshare(kind)
    elif kind == "davshare-workers":
        server = servers.davshare(kind, workers=servers.WORKERS)
    else:
        server = servers.davshare(kind, database_url())
    return server.start()


def _fail(
    t: Target, what: str, error: Exception, results: Results, size: int, progress: Progress
) -> None:
    message = f"{t.name} at {size}: {what} failed: {error}"
    alive = t.server.process is not None and t.server.process.poll() is None
    if not alive:
        t.failed = message
    results.problem(message + f"\n--- {t.name} log (end) ---\n{t.server.log_tail(15)}")
    progress("  ! " + message)


def run_workload(
    key: str,
    label: str,
    func: Callable[[AnyTarget, Run, random.Random], Sample],
    targets: list[AnyTarget],
    run: Run,
    opts: Options,
    results: Results,
    progress: Progress,
    repeat: int | None = None,
) -> None:
    """Repeat one workload on every server, alternating servers repetition by repetition."""
    progress(f"[{run.size}] {label}")
    samples: dict[str, list[Sample]] = {t.name: [] for t in targets}
    spent = dict.fromkeys(samples, 0.0)
    stopped: set[str] = set()
    for rep in range(opts.reps * (REPEAT.get(key, 1) if repeat is None else repeat)):
        order = targets if rep % 2 == 0 else targets[::-1]
        for t in order:
            if (
                t.failed
                or t.name in stopped
                or spent[t.name] > opts.workload_budget
                or not servers.can(t.name.split(":")[0], key)
            ):
                continue
            begin = time.perf_counter()
            try:
                samples[t.name].append(func(t, run, random.Random(f"{key}-{run.size}-{rep}")))
            except _FAILURES as e:
                stopped.add(t.name)
                _fail(t, label, e, results, run.size, progress)
            spent[t.name] += time.perf_counter() - begin
    for t in targets:
        got = samples[t.name]
        if not got:
            continue
        ms = [1000 * s.seconds for s in got]
        results.add(
            run.size,
            key,
            t.name,
            "ms",
            statistics.median(ms),
            samples=ms,
            answers=[s.result for s in got],
            expected=[s.expected for s in got],
        )
        wrong = [(s.result, s.expected) for s in got if s.result != s.expected]
        if wrong:
            results.problem(
                f"{t.name} at {run.size}: {label}: answer held {wrong[0][0]}, "
                f"expected {wrong[0][1]} ({len(wrong)} of {len(got)} repetitions)"
            )
        progress(f"  {t.name}: median {statistics.median(ms):.1f} ms over {len(ms)}")


def run_imports(
    targets: list[Target], run: Run, opts: Options, results: Results, progress: Progress
) -> None:
    """Load the data into every server: the import workloads, then calendars and tasks."""
    contacts = run.data.contacts
    for phase, importer in (
        ("import_seq", load.import_sequential),
        ("import_4clients", load.import_concurrent),
    ):
        progress(f"[{run.size}] {phase}: PUT {len(contacts)} contacts one by one")
        for t in targets:
            if not servers.can(t.name, phase):
                continue
            try:
                done = importer(t, contacts, opts.import_budget, progress)
            except _FAILURES as e:
                _fail(t, phase, e, results, run.size, progress)
                continue
            extra: dict[str, object] = {
                "items": done.items,
                "of": done.total,
                "seconds": done.seconds,
            }
            if phase == "import_seq" and done.partial:
                extra.update(_complete(t, done.items, contacts, progress))
            for error in done.errors:
                results.problem(f"{t.name} at {run.size}: {phase}: {error}")
            results.add(
                run.size, phase, t.name, "ms/item", done.ms_per_item, partial=done.partial, **extra
            )
            progress(
                f"  {t.name}: {done.items} items in {done.seconds:.1f} s "
                f"({done.ms_per_item:.1f} ms/item){' PARTIAL' if done.partial else ''}"
            )
    progress(
        f"[{run.size}] load {len(run.data.events)} events and {len(run.data.tasks)} tasks "
        "(one collection PUT each)"
    )
    for t in targets:
        if not servers.can(t.name, "collection_put"):
            continue
        try:
            events_s, tasks_s = load.load_calendars(t, run.data.events, run.data.tasks)
        except _FAILURES as e:
            _fail(t, "calendar load", e, results, run.size, progress)
            continue
        results.add(run.size, "load_events_put", t.name, "ms", 1000 * events_s)
        results.add(run.size, "load_tasks_put", t.name, "ms", 1000 * tasks_s)


def _complete(
    t: Target, imported: int, contacts: list[Any], progress: Progress
) -> dict[str, float]:
    """Complete a book whose import stopped at its budget: by one PUT of the whole book, or
    (a server that takes none) straight into its store; returns how, and the seconds."""
    if servers.can(t.name, "collection_put"):
        progress(f"  {t.name}: budget reached at {imported}; one PUT of the whole book")
        return {"completed_by_collection_put_s": load.complete_book(t, contacts)}
    progress(f"  {t.name}: budget reached at {imported}; the rest written into its store")
    seconds = xandikos_store.complete_book(t.server, contacts)
    t.book = {item.href: item.text for item in contacts}
    return {"completed_in_store_s": seconds}


MIXED_CLIENTS = (4, 16)


def run_mixed(
    targets: list[Target], run: Run, opts: Options, results: Results, progress: Progress
) -> None:
    """The mixed load on each server in turn, with 4 clients and then 16."""
    for clients in MIXED_CLIENTS:
        progress(f"[{run.size}] mixed load, {clients} clients, {opts.mixed_seconds:g} s per server")
        key = "mixed" if clients == 4 else f"mixed{clients}"
        for t in targets:
            if not t.failed:
                _mixed_on(t, run, opts, results, progress, clients, key)


def _mixed_on(
    t: Target,
    run: Run,
    opts: Options,
    results: Results,
    progress: Progress,
    clients: int,
    key: str,
) -> None:
    outcome = mixed_load(t, run, opts.mixed_seconds, clients)
    for error in outcome.errors[:3]:
        results.problem(f"{t.name} at {run.size}: mixed load ({clients}): {error}")
    extra = {
        "requests": len(outcome.latencies),
        "by_method": outcome.by_method,
        "errors": len(outcome.errors),
        "locked": outcome.locked,
        "seconds": outcome.seconds,
    }
    results.add(run.size, f"{key}_rps", t.name, "req/s", outcome.requests_per_s, **extra)
    results.add(run.size, f"{key}_p50", t.name, "ms", outcome.percentile_ms(50))
    results.add(run.size, f"{key}_p99", t.name, "ms", outcome.percentile_ms(99))
    progress(
        f"  {t.name}: {outcome.requests_per_s:.1f} req/s, p50 {outcome.percentile_ms(50):.1f} ms, "
        f"p99 {outcome.percentile_ms(99):.1f} ms, {len(outcome.errors)} errors"
        + (f", {outcome.locked} PUTs answered 423 Locked and sent again" if outcome.locked else "")
    )


def run_access(
    targets: list[Target], run: Run, opts: Options, results: Results, progress: Progress
) -> None:
    """davshare only: the same reads as owner, admin and member of a group, and read sharee."""
    views: list[access.View] = []
    for t in targets:
        if not servers.can(t.name, "group_and_sharing") or t.failed:
            continue
        progress(f"[{run.size}] {t.name}: group, member, share; load the group's book")
        try:
            got, done = access.prepare(t, run.data.contacts, opts.import_budget, progress)
        except _FAILURES as e:
            _fail(t, "group and share set-up", e, results, run.size, progress)
            continue
        views += got
        for error in done.errors:
            results.problem(f"{t.name} at {run.size}: group book import: {error}")
        results.add(
            run.size,
            "access.import_group",
            t.name,
            "ms/item",
            done.ms_per_item,
            partial=done.partial,
            items=done.items,
            of=done.total,
            seconds=done.seconds,
        )
        progress(
            f"  {t.name}: {done.items} items in the group's book in {done.seconds:.1f} s"
            f"{' PARTIAL' if done.partial else ''}"
        )
    if not views:
        return
    for read, func in access.READS.items():
        key = f"access.{read}"
        label = f"{ACCESS_LABELS[read]}: owner, admin, member, sharee"
        run_workload(
            key, label, func, views, run, opts, results, progress, access.REPEAT.get(read, 1)
        )
        for kind in dict.fromkeys(v.name.split(":")[0] for v in views):
            owner = results.value(run.size, key, f"{kind}:owner")
            for other in ("member", "sharee"):
                value = results.value(run.size, key, f"{kind}:{other}")
                if owner and value:
                    results.add(run.size, f"{key}.{other}/owner", kind, "ratio", value / owner)


def run_size(
    size: int,
    kinds: list[str],
    floor: Target,
    database_url: Callable[[], str],
    opts: Options,
    results: Results,
    progress: Progress,
    log_dir: Path,
) -> None:
    """Everything for one size; every server started here is stopped before returning."""
    data = dataset(size)
    run = Run(size, data, *query_targets(data))
    started: list[servers.ServerProcess] = []
    try:
        for kind in kinds:
            progress(f"[{size}] starting {kind}")
            started.append(start_server(kind, database_url))
        targets = [Target(kind, server) for kind, server in zip(kinds, started, strict=True)]
        for t in targets:  # the first login creates the account's collections
            t.client.propfind(HOME, "<D:resourcetype/>", "1")
        run_imports(targets, run, opts, results, progress)
        for key, (label, func) in WORKLOADS.items():
            run_workload(key, label, func, targets, run, opts, results, progress)
            if key == "get_contact":
                run_workload(
                    "get_floor",
                    "GET on a trivial WSGI app (floor)",
                    get_floor,
                    [floor],
                    run,
                    opts,
                    results,
                    progress,
                )
        run_access(targets, run, opts, results, progress)
        run_mixed(targets, run, opts, results, progress)
        for t in targets:
            results.memory(size, t.name, t.server.peak_rss_kib())
    finally:
        log_dir.mkdir(parents=True, exist_ok=True)
        for server in started:
            server.stop()
            with contextlib.suppress(OSError):
                shutil.copyfile(server.log_path, log_dir / f"{size}-{server.name}.log")
            server.cleanup()
