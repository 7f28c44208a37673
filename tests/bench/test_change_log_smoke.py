"""``python -m bench.change_log`` with a few hundred writes runs end to end (no timing
asserted): the change log is pruned, a recent token still syncs exactly, the oldest is
refused with RFC 6578's ``DAV:valid-sync-token``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import find_bin_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_small_run_prunes_and_refuses_the_oldest_token(tmp_path: Path, backend: str) -> None:
    if backend == "postgresql" and find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    out = tmp_path / "change_log.json"
    command = [sys.executable, "-m", "bench.change_log", "--writes", "400", "--items", "40"]
    command += ["--item-rows", "100", "--batch", "50", "--out", str(out)]
    if backend == "postgresql":
        command.append("--postgresql")
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "| change log rows | 400 | 40 |" in run.stdout
    figures = json.loads(out.read_text())
    assert figures["backend"] == backend
    assert figures["pruned_rows"] == 360
    assert figures["before"]["recent_sync"] == figures["after"]["recent_sync"] == "207 10 hrefs"
    assert figures["before"]["oldest_sync"] == "207 40 hrefs"
    assert figures["after"]["oldest_sync"] == "403 DAV:valid-sync-token"
    if backend == "sqlite":  # PostgreSQL keeps the pages, reused once vacuumed
        assert figures["after"]["log"] < figures["before"]["log"]


def test_bad_options_are_refused_clearly() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.change_log", "--writes", "many"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "'many' is not a whole number" in run.stderr and "Traceback" not in run.stderr
