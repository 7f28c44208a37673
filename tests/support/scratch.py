"""The folders and processes the test helpers make, removed when the run ends.

A test that fails between starting a server and stopping it leaves nothing behind:
``clean_up`` (a session fixture in ``tests/conftest.py``) stops every process still
running and removes every folder, whatever happened before.
"""

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

_folders: list[Path] = []
_processes: list[subprocess.Popen[bytes]] = []


def folder(prefix: str) -> Path:
    """A new empty folder, removed at the end of the run."""
    made = Path(tempfile.mkdtemp(prefix=prefix))
    _folders.append(made)
    return made


def started(process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    """``process``, stopped at the end of the run if it still runs then."""
    _processes.append(process)
    return process


def clean_up() -> None:
    """Stop what still runs, then remove the folders."""
    for process in _processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=10)
    for made in _folders:
        shutil.rmtree(made, ignore_errors=True)
    _processes.clear()
    _folders.clear()
