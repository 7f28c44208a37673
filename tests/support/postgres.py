"""A throwaway PostgreSQL cluster started from the installed server binaries."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None if PostgreSQL is not installed."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class PostgresCluster:
    """initdb + pg_ctl start on 127.0.0.1 at a free port; ``stop()`` removes everything."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="davshare-pg-"))
        self.data = self.root / "data"
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        self._counter = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root
        )

    def start(self) -> None:
        """Create and start the cluster (trust authentication, loopback only)."""
        if self._as_postgres:
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.resume()

    def resume(self) -> None:
        """Start the server again on its files (after ``halt``)."""
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        self._counter += 1
        name = f"davshare_{self._counter}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def halt(self) -> None:
        """Stop the server and keep its files (a database that stops answering)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        """Stop the server (if it still runs) and remove its files."""
        try:
            self.halt()
        except subprocess.CalledProcessError:
            pass  # halted already
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
