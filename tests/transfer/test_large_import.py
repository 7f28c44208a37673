"""An import of 10,000 contacts on the command line (issue 6): streamed, each one its own transaction.

Its time and the peak memory of the command are printed (``pytest -s``), never
asserted (CONTRIBUTING.md); the closing note of issue 6 gives them.
"""

import resource
import subprocess
import sys
import time

import pytest

from davshare.model.db import engine_for
from tests.support.samples import contact

COUNT = 10_000


@pytest.mark.slow
def test_i1_ten_thousand_contacts_import(tmp_path):
    config = tmp_path / "davshare.conf"
    config.write_text("[storage]\ndata_dir = data\n")
    # Only init and serve create a database: the commands below need one to exist.
    engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}").dispose()
    command = [sys.executable, "-m", "davshare.cli", "--config", str(config)]
    subprocess.run([*command, "domain", "add", "example.com"], check=True, capture_output=True)
    subprocess.run(
        [*command, "user", "add", "gilles@example.com", "--password-stdin"],
        input="long enough pw\n",
        text=True,
        check=True,
        capture_output=True,
    )
    with (tmp_path / "contacts.vcf").open("w", newline="") as f:
        for i in range(COUNT):
            f.write(contact(i))
    started = time.monotonic()
    done = subprocess.run(
        [
            *command,
            "import",
            str(tmp_path / "contacts.vcf"),
            "--into",
            "gilles@example.com:contacts",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"\n{COUNT} contacts imported in {time.monotonic() - started:.1f} s (peak {peak} MB)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{COUNT} record(s) read: {COUNT} imported")
    assert done.stderr.count("% of the file") >= 10  # the progress bar moved
