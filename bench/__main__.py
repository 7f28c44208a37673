"""``python -m bench``: davshare against stock Radicale 3.9 on the same data (issue 7).

Run from the project root. See bench/README.md for the workloads and how to read the table.
"""

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import servers
from bench.report import Results, render
from bench.runner import Options, run_size
from bench.workloads import Target

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SMOKE_SIZE = 50


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="contacts per address book, comma-separated (default 1000,10000; 50000 is opt-in)",
    )
    parser.add_argument(
        "--servers",
        default="",
        help=f"comma-separated among {','.join(servers.SERVER_KINDS)} (default: all available)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"{SMOKE_SIZE} contacts and short durations (CI: well under a minute)",
    )
    parser.add_argument(
        "--out", type=Path, help="JSON file of raw figures (default bench/results/<timestamp>.json)"
    )
    parser.add_argument(
        "--import-budget",
        type=float,
        help="seconds per server for each import phase before it stops (default 300, smoke 10)",
    )
    parser.add_argument(
        "--mixed-seconds", type=float, help="mixed-load duration per server (default 10, smoke 3)"
    )
    return parser.parse_args(argv)


def options_for(size: int, args: argparse.Namespace) -> Options:
    """Repetitions and time limits for one size (fewer repetitions for big books)."""
    if args.smoke:
        return Options(
            reps=3,
            workload_budget=5,
            import_budget=args.import_budget or 10,
            mixed_seconds=args.mixed_seconds or 3,
        )
    return Options(
        reps=7 if size <= 1000 else 3,
        workload_budget=60 if size <= 1000 else 120,
        import_budget=args.import_budget or 300,
        mixed_seconds=args.mixed_seconds or 10,
    )


def choose(args: argparse.Namespace) -> tuple[list[int], list[str]]:
    """The sizes and server kinds to run; exits with a message on bad values."""
    try:
        sizes = [SMOKE_SIZE] if args.smoke else [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        sys.exit(f"--sizes: comma-separated numbers, not {args.sizes!r}")
    if not sizes or min(sizes) < 10:
        sys.exit("--sizes: at least one size of 10 or more")
    available = servers.available_kinds()
    kinds = [k.strip() for k in args.servers.split(",") if k.strip()] if args.servers else available
    for kind in kinds:
        if kind not in servers.SERVER_KINDS:
            sys.exit(f"--servers: unknown {kind!r} (known: {', '.join(servers.SERVER_KINDS)})")
        if kind not in available:
            sys.exit(f"--servers: {kind} needs the PostgreSQL server binaries (initdb, pg_ctl)")
    return sorted(set(sizes)), kinds


def _git(*args: str) -> str:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=RESULTS_DIR.parent.parent,
        ).stdout.strip()
    return ""


def _git_commit() -> str:
    """HEAD, with "+dirty" when the working tree has changes (the servers run the working tree)."""
    commit = _git("rev-parse", "HEAD")
    return (
        commit + "+dirty"
        if commit and _git("status", "--porcelain", "--untracked-files=no")
        else commit
    )


def metadata(args: argparse.Namespace, sizes: list[int], kinds: list[str]) -> dict[str, Any]:
    """What the figures were measured on."""
    import radicale

    return {
        "started": datetime.now().isoformat(timespec="seconds"),
        "argv": sys.argv,
        "sizes": sizes,
        "servers": kinds,
        "smoke": args.smoke,
        "threads": servers.THREADS,
        "radicale": radicale.VERSION,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "options": {str(n): options_for(n, args).__dict__ for n in sizes},
    }


def progress_printer() -> Callable[[str], None]:
    """Prints progress lines with the time elapsed since the start."""
    start = time.monotonic()

    def progress(message: str) -> None:
        print(f"{time.monotonic() - start:7.1f}s {message}", flush=True)

    return progress


def run(args: argparse.Namespace) -> int:
    sizes, kinds = choose(args)
    out = args.out or RESULTS_DIR / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    results = Results(metadata(args, sizes, kinds))
    progress = progress_printer()
    progress(f"benchmark: sizes {sizes}, servers {kinds}; raw figures -> {out}")
    cluster: Any = None
    floor = servers.floor()
    status = 0
    try:
        floor.start()
        if "davshare-postgresql" in kinds:
            from tests.support.postgres import PostgresCluster

            progress("starting a throwaway PostgreSQL cluster")
            cluster = PostgresCluster(servers.postgres_bin_dir())  # type: ignore[arg-type]
            cluster.start()
        database_url = (lambda: cluster.create_database()) if cluster else (lambda: "")
        for size in sizes:
            run_size(
                size,
                kinds,
                Target("floor", floor),
                database_url,
                options_for(size, args),
                results,
                progress,
                out.with_suffix("").with_name(out.stem + "-logs"),
            )
    except KeyboardInterrupt:
        results.problem("interrupted")
        status = 130
    finally:
        floor.stop()
        floor.cleanup()
        if cluster is not None:
            cluster.stop()
        results.meta["finished"] = datetime.now().isoformat(timespec="seconds")
        results.write(out)
    print("\n" + render(results, sizes, kinds), flush=True)
    print(f"\nraw figures: {out}")
    if status == 0 and results.problems:
        print(f"{len(results.problems)} problem(s): a server answered wrongly (see above)")
        status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
