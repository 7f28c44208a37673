"""Debian's PgBouncer in transaction mode on 127.0.0.1, in front of a test cluster."""

import os
import shutil
import subprocess

from tests.support import daemons, scratch
from tests.support.postgres import PostgresCluster
from tests.support.server import free_port

# What psycopg must be told behind a transaction pool: prepare no statement on the server.
URL_OPTION = "prepare_threshold=none"


class PgBouncer:
    """``pgbouncer`` (pool_mode=transaction, trust) forwarding every database to ``cluster``;
    ``stop()`` ends it and removes its files."""

    def __init__(self, cluster: PostgresCluster, pool_size: int = 6) -> None:
        self.program = daemons.program("pgbouncer", "pgbouncer")
        self.cluster = cluster
        self.port = free_port()
        self.root = scratch.folder("davshare-pgbouncer-")
        self.log = self.root / "pgbouncer.log"
        users = self.root / "userlist.txt"
        users.write_text('"postgres" ""\n')
        (self.root / "pgbouncer.ini").write_text(
            "\n".join(
                [
                    "[databases]",
                    f"* = host=127.0.0.1 port={cluster.port}",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {users}",
                    "pool_mode = transaction",
                    f"default_pool_size = {pool_size}",
                    "max_client_conn = 500",
                    "server_reset_query =",
                    # pg_dump sets it at start; PgBouncer would refuse the connection.
                    "ignore_startup_parameters = extra_float_digits",
                    f"logfile = {self.log}",
                    f"pidfile = {self.root / 'pgbouncer.pid'}",
                    "",
                ]
            )
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "PgBouncer":
        """Start it and wait until it accepts connections."""
        command = [self.program, str(self.root / "pgbouncer.ini")]
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            shutil.chown(self.root, "postgres")
            for path in self.root.iterdir():
                shutil.chown(path, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = scratch.started(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        daemons.wait_for_port(self.port, self.process, self.log)
        return self

    def url(self, cluster_url: str) -> str:
        """``cluster_url`` (a database of the cluster) reached through PgBouncer instead."""
        address = f"127.0.0.1:{self.cluster.port}/"
        assert address in cluster_url, cluster_url
        through = cluster_url.replace(address, f"127.0.0.1:{self.port}/")
        return f"{through}?{URL_OPTION}"

    def read_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """Stop PgBouncer (its folder goes with the run's scratch folders)."""
        if self.process is not None:
            daemons.stop(self.process)
