"""The ``davshare`` command run as the server admin runs it: a subprocess with its own data."""

import subprocess
import sys

import pytest

from davshare.model.db import engine_for


@pytest.fixture
def davshare(tmp_path):
    """``davshare(*args, stdin="")`` runs the command on a fresh data directory."""
    config = tmp_path / "davshare.conf"
    config.write_text("[storage]\ndata_dir = data\n")
    engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}").dispose()

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "davshare.cli", "--config", str(config), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run
