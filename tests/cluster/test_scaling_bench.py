"""``python -m bench.scaling`` (issue 18 §5) runs through: it starts the cluster, drives the
mixed load through the balancer with 1 and 2 hosts and one serve, and prints the table
with every setup and where the CPU went. It asserts no timing."""

import subprocess
import sys

import pytest

from tests.support.cluster import needs_root

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]


def test_the_scaling_benchmark_prints_its_table(tmp_path):
    needs_root()
    out = tmp_path / "scaling.json"
    command = [sys.executable, "-m", "bench.scaling", "--contacts", "40", "--seconds", "1"]
    options = ["--clients", "2", "--hosts", "1,2", "--out", str(out)]
    done = subprocess.run([*command, *options], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    table = done.stdout
    for setup in (
        "one davshare serve",
        "1 host behind HAProxy",
        "2 hosts behind HAProxy",
        "one davshare serve, again",
    ):
        assert f"| {setup} | 2 |" in table, table
    assert "CPU s: davshare / PostgreSQL / HAProxy / clients" in table
    assert '"requests_per_s"' in out.read_text()


def test_bad_arguments_are_refused_with_a_message():
    command = [sys.executable, "-m", "bench.scaling", "--hosts", "one"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "whole numbers" in done.stderr
    assert "Traceback" not in done.stderr
