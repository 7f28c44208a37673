"""``python -m bench --smoke`` runs end to end against Radicale and davshare (no timing asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVERS = ("radicale", "xandikos", "davshare-sqlite")
SOME_WORKLOADS = {
    "import_seq",
    "import_4clients",
    "get_contact",
    "put_new_contact",
    "propfind_depth1",
    "multiget_100",
    "query_email_domain",
    "query_city",
    "sync_initial",
    "sync_incremental",
    "calendar_query_week",
    "mixed_rps",
    "mixed_p99",
}
XANDIKOS_CANNOT = {"import_4clients", "calendar_query_week"}
# davshare only: the same reads as owner, group admin and member (mounts) and read sharee.
ACCESS_READS = (
    "get_contact",
    "propfind_depth1",
    "query_email_domain",
    "sync_initial",
    "sync_incremental",
)
ACCESS_VIEWS = ("owner", "admin", "member", "sharee")


@pytest.mark.slow
def test_smoke_run_prints_the_table_and_writes_figures_of_both_servers(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [
        sys.executable,
        "-m",
        "bench",
        "--smoke",
        "--servers",
        ",".join(SERVERS),
        "--out",
        str(out),
    ]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "workload (median ms)" in run.stdout
    assert "sqlite/radicale" in run.stdout
    assert "GET one contact" in run.stdout
    assert "davshare: cost of group rules and sharing" in run.stdout
    assert "member/owner" in run.stdout and "sharee/owner" in run.stdout
    document = json.loads(out.read_text())
    assert "sqlite/xandikos" in run.stdout and "poll / floor:" in run.stdout
    for server in SERVERS:
        figures = {r["workload"]: r["value"] for r in document["results"] if r["server"] == server}
        # Xandikos takes no whole-collection PUT (no calendars) nor concurrent writes.
        expected = SOME_WORKLOADS - (XANDIKOS_CANNOT if server == "xandikos" else set())
        assert set(figures) >= expected | {"poll"}, f"{server}: {sorted(figures)}"
        assert all(figures[w] > 0 for w in expected), f"{server}: {figures}"
    assert set(document["peak_rss_kib"]["50"]) == set(SERVERS)
    assert any(r["server"] == "floor" for r in document["results"])
    access = {
        (r["workload"], r["server"]): r["value"]
        for r in document["results"]
        if r["workload"].startswith("access.")
    }
    assert not any(server.startswith(("radicale", "xandikos")) for _, server in access)
    for read in ACCESS_READS:
        for view in ACCESS_VIEWS:
            assert access[(f"access.{read}", f"davshare-sqlite:{view}")] > 0, read
        for ratio in ("member/owner", "sharee/owner"):
            assert access[(f"access.{read}.{ratio}", "davshare-sqlite")] > 0, read
    assert access[("access.import_group", "davshare-sqlite")] > 0
