"""A throwaway PostgreSQL cluster started from the installed server binaries."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path

from tests.support import daemons


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
    """initdb + pg_ctl start on 127.0.0.1 at a free port; ``stop()`` removes everything.

    ``listen``: the addresses it listens on (comma-separated; they must exist);
    ``settings``: more ``-c`` options of the server (e.g. ``synchronous_standby_names``);
    ``networks``: CIDR networks whose connections and replication it trusts besides loopback."""

    def __init__(
        self,
        bin_dir: Path,
        listen: str = "127.0.0.1",
        settings: tuple[str, ...] = (),
        networks: tuple[str, ...] = (),
    ) -> None:
        self.bin_dir = bin_dir
        self.listen = listen
        self.settings = settings
        self.networks = networks
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
        with open(self.data / "pg_hba.conf", "a") as hba:
            for network in self.networks:
                hba.write(f"host all all {network} trust\nhost replication all {network} trust\n")
        self.resume()

    def standby(self, listen: str) -> "PostgresCluster":
        """A streaming standby of this cluster (``pg_basebackup -R``), started, listening
        on ``listen``; it replicates from this cluster's first address."""
        other = PostgresCluster(self.bin_dir, listen, ("synchronous_standby_names=''",))
        if other._as_postgres:
            shutil.chown(other.root, "postgres")
            os.chmod(other.root, 0o700)
        source = self.listen.split(",")[-1]
        other._run(
            "pg_basebackup",
            *("-h", source, "-p", str(self.port), "-U", "postgres"),
            *("-D", str(other.data), "-R", "-X", "stream", "--no-sync"),
        )
        other.resume()
        return other

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        """The rows of ``statement`` run on database ``postgres`` (autocommit)."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def promote(self) -> None:
        """End recovery: this standby becomes a primary that takes writes."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "promote")

    def kill(self) -> None:
        """``kill -9`` the server and every process of it at once (no shutdown at all)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        for pid in [postmaster, *daemons.children(postmaster)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def resume(self) -> None:
        """Start the server again on its files (after ``halt``)."""
        extra = "".join(f" -c {setting}" for setting in self.settings)
        options = (
            f"-h {self.listen} -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
            + extra
        )
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
