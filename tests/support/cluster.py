"""Several davshare hosts behind HAProxy over a PostgreSQL primary and a synchronous
streaming standby, all on this machine (issue 18): what the fault tests and
``python -m bench.scaling`` run.

Each host is a network namespace of its own (``ip netns``) with two veth links: ``front``
on a bridge where the balancer (in this namespace, on 127.0.0.1) reaches it, and ``back``
on a bridge where the database servers listen. Removing the ``back`` route of one
namespace cuts that host off from the database and from nothing else. Each host runs
``davshare serve`` with several workers over the multi-host database URL
``?host=primary&host=standby&target_session_attrs=read-write``. Needs root (namespaces)."""

import contextlib
import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from davshare.model import accounts
from davshare.model.db import engine_for
from davshare.model.errors import AlreadyExists
from tests.support import daemons, scratch
from tests.support.postgres import PostgresCluster, find_bin_dir
from tests.support.server import PASSWORD, free_port

PORT = 5232  # every host listens on it, each in its own namespace
_TAGS = range(20, 250)  # the third byte of the networks 10.88.T.0/24 and 10.89.T.0/24


def _ip(*args: str, namespace: str = "") -> None:
    command = ["ip", *args] if not namespace else ["ip", "netns", "exec", namespace, "ip", *args]
    subprocess.run(command, check=True, capture_output=True, text=True)


def needs_root() -> None:
    """Skip off root (CI runs as root and must run these)."""
    if os.geteuid() != 0:
        pytest.skip("several hosts need network namespaces: run as root (CI does)")
    if find_bin_dir() is None:
        pytest.fail("PostgreSQL server binaries are missing: scripts/test installs them as root")


@dataclass
class Networks:
    """The two bridges of one cluster, named by a tag no other run holds (``ip link add``
    of the front bridge is the lock: it fails when another run has that tag)."""

    tag: int = 0

    def create(self) -> "Networks":
        for tag in _TAGS:
            try:
                _ip("link", "add", f"dsf{tag}", "type", "bridge")
            except subprocess.CalledProcessError:
                continue  # another run's
            self.tag = tag
            _ip("link", "add", self.back_bridge, "type", "bridge")
            _ip("addr", "add", f"{self.front(1)}/24", "dev", self.front_bridge)
            for address in (self.primary_address, self.standby_address):
                _ip("addr", "add", f"{address}/24", "dev", self.back_bridge)
            for bridge in (self.front_bridge, self.back_bridge):
                _ip("link", "set", bridge, "up")
            return self
        raise RuntimeError("no free network tag: remove stale bridges dsf*/dsb* (ip link del)")

    @property
    def front_bridge(self) -> str:
        return f"dsf{self.tag}"

    @property
    def back_bridge(self) -> str:
        return f"dsb{self.tag}"

    def front(self, last: int) -> str:
        return f"10.88.{self.tag}.{last}"

    def back(self, last: int) -> str:
        return f"10.89.{self.tag}.{last}"

    @property
    def back_network(self) -> str:
        return f"10.89.{self.tag}.0/24"

    @property
    def primary_address(self) -> str:
        return self.back(1)

    @property
    def standby_address(self) -> str:
        return self.back(2)

    def remove(self) -> None:
        for bridge in (self.front_bridge, self.back_bridge):
            with contextlib.suppress(subprocess.CalledProcessError):
                _ip("link", "del", bridge)


@dataclass
class Host:
    """One davshare host: a namespace, its links, its ``davshare serve --workers N``."""

    number: int
    networks: Networks
    database_url: str
    workers: int
    dir: Path = field(default_factory=lambda: scratch.folder("davshare-host-"))
    process: subprocess.Popen[bytes] | None = None

    @property
    def namespace(self) -> str:
        return f"davshare{self.networks.tag}h{self.number}"

    @property
    def address(self) -> str:
        return self.networks.front(10 + self.number)

    @property
    def url(self) -> str:
        return f"http://{self.address}:{PORT}"

    @property
    def log_path(self) -> Path:
        return self.dir / "server.log"

    def create(self) -> "Host":
        """The namespace and its two links, each on its bridge."""
        with contextlib.suppress(subprocess.CalledProcessError):  # a killed run's: the tag is ours
            _ip("netns", "del", self.namespace)
        _ip("netns", "add", self.namespace)
        tag, n = self.networks.tag, self.number
        for side, bridge, address in (
            ("front", self.networks.front_bridge, self.address),
            ("back", self.networks.back_bridge, self.networks.back(10 + n)),
        ):
            outer, inner = f"d{side[0]}{tag}h{n}", f"d{side[0]}{tag}h{n}i"
            _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
            _ip("link", "set", outer, "master", bridge, "up")
            _ip("link", "set", inner, "netns", self.namespace)
            _ip("link", "set", inner, "name", side, namespace=self.namespace)
            _ip("addr", "add", f"{address}/24", "dev", side, namespace=self.namespace)
            _ip("link", "set", side, "up", namespace=self.namespace)
        _ip("link", "set", "lo", "up", namespace=self.namespace)
        (self.dir / "davshare.conf").write_text(
            "\n".join(
                [
                    "[server]",
                    f"host = {self.address}",
                    f"port = {PORT}",
                    f"workers = {self.workers}",
                    f"trusted_proxy = {self.networks.front(1)}",
                    "[storage]",
                    f"database_url = {self.database_url}",
                    "[auth]",
                    "delay = 0.05",
                    "[logging]",
                    "level = warning",
                    "",
                ]
            )
        )
        return self

    def start(self) -> "Host":
        """Start ``davshare serve`` in the namespace and wait until its health page says ok."""
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - open while the host runs
        command = ["ip", "netns", "exec", self.namespace, sys.executable, "-m", "davshare.cli"]
        self.process = scratch.started(
            subprocess.Popen(
                [*command, "--config", str(self.dir / "davshare.conf"), "serve"],
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"host {self.number} exited: {self.read_log()[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/.davshare/health", timeout=2).status_code == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"host {self.number} did not start: {self.read_log()[-3000:]}")

    def read_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pids(self) -> list[int]:
        """Every process running in the namespace."""
        listed = subprocess.run(
            ["ip", "netns", "pids", self.namespace], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in listed.stdout.split()]

    def kill(self) -> None:
        """``kill -9`` every process of the host at once: the machine died."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=30)
            self.log.close()

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then whatever is left is killed."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        self.kill()

    def cut_off(self) -> None:
        """Remove the namespace's route to the database network."""
        _ip("route", "del", self.networks.back_network, "dev", "back", namespace=self.namespace)

    def reconnect(self) -> None:
        """Put the route back."""
        source = self.networks.back(10 + self.number)
        route = ["route", "add", self.networks.back_network, "dev", "back", "src", source]
        _ip(*route, namespace=self.namespace)

    def remove(self) -> None:
        self.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            _ip("netns", "del", self.namespace)  # its links (and their peers) go with it


_MESSAGE = b"No davshare host can answer now (the database or every host is down); retry soon.\n"
# HAProxy's own 503 (no host up), with the Retry-After every davshare 503 carries.
_UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 5\r\n"
    b"Cache-Control: no-store\r\nConnection: close\r\n"
    + f"Content-Length: {len(_MESSAGE)}\r\n\r\n".encode()
    + _MESSAGE
)


@dataclass
class Balancer:
    """Debian's HAProxy on 127.0.0.1: round robin over the hosts, health-checked on
    /.davshare/health every half second, a failed connection or an empty answer retried
    on another host."""

    hosts: list[Host]
    dir: Path = field(default_factory=lambda: scratch.folder("davshare-haproxy-"))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def socket_path(self) -> Path:
        return self.dir / "admin.sock"

    def start(self) -> "Balancer":
        program = daemons.program("haproxy", "haproxy")
        servers = [
            f"    server h{h.number} {h.address}:{PORT} check inter 500ms fall 2 rise 2"
            for h in self.hosts
        ]
        unavailable = self.dir / "503.http"
        unavailable.write_bytes(_UNAVAILABLE)
        config = self.dir / "haproxy.cfg"
        config.write_text(
            "\n".join(
                [
                    "global",
                    "    maxconn 2000",
                    f"    stats socket {self.socket_path} mode 600 level admin",
                    "defaults",
                    "    mode http",
                    "    timeout connect 2s",
                    "    timeout client 120s",
                    "    timeout server 120s",
                    "    timeout check 3s",
                    "    option forwardfor",
                    "    retries 3",
                    "    option redispatch 1",
                    "    retry-on conn-failure empty-response",
                    f"    errorfile 503 {unavailable}",
                    "frontend dav",
                    f"    bind 127.0.0.1:{self.port}",
                    "    default_backend hosts",
                    "backend hosts",
                    "    balance roundrobin",
                    "    option httpchk GET /.davshare/health",
                    "    http-check expect status 200",
                    *servers,
                    "",
                ]
            )
        )
        log = self.dir / "haproxy.log"
        with open(log, "wb") as out:
            self.process = scratch.started(
                subprocess.Popen([program, "-db", "-f", str(config)], stdout=out, stderr=out)
            )
        daemons.wait_for_port(self.port, self.process, log)
        self.wait_for(lambda states: all(s == "UP" for s in states.values()), "every host UP")
        return self

    def _admin(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as admin:
            admin.connect(str(self.socket_path))
            admin.sendall(command.encode() + b"\n")
            data = b""
            while chunk := admin.recv(65536):
                data += chunk
        return data.decode()

    def use(self, count: int) -> None:
        """Send requests to the first ``count`` hosts only (the others in maintenance)."""
        for host in self.hosts:
            verb = "enable" if host.number <= count else "disable"
            self._admin(f"{verb} server hosts/h{host.number}")
        self.wait_for(
            lambda s: all((s[f"h{h.number}"] == "UP") == (h.number <= count) for h in self.hosts),
            f"{count} hosts in use",
        )

    def states(self) -> dict[str, str]:
        """Each host's state as HAProxy's health checks see it: ``UP``, ``DOWN``, ..."""
        rows = csv.DictReader(io.StringIO(self._admin("show stat").lstrip("# ")))
        return {r["svname"]: r["status"].split()[0] for r in rows if r["svname"].startswith("h")}

    def wait_for(self, condition, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while not condition(self.states()):
            assert time.monotonic() < deadline, f"{what}: {self.states()}"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            daemons.stop(self.process)


@dataclass
class Cluster:
    """``hosts`` davshare hosts of ``workers`` workers behind one balancer, over a primary
    and its synchronous standby; ``stop()`` removes all of it."""

    hosts_count: int = 3
    workers: int = 2
    networks: Networks = field(default_factory=Networks)
    hosts: list[Host] = field(default_factory=list)
    primary: PostgresCluster | None = None
    standby: PostgresCluster | None = None
    balancer: Balancer | None = None

    def start(self) -> "Cluster":
        bin_dir = find_bin_dir()
        assert bin_dir is not None
        try:
            self.networks.create()
            net = self.networks
            self.primary = PostgresCluster(
                bin_dir,
                f"127.0.0.1,{net.primary_address}",
                ("synchronous_standby_names='*'",),
                (net.back_network,),
            )
            self.primary.start()
            self.standby = self.primary.standby(f"127.0.0.1,{net.standby_address}")
            self.wait_synchronous()
            self.primary.sql('CREATE DATABASE "davshare"')
            for number in range(1, self.hosts_count + 1):
                host = Host(number, net, self.database_url, self.workers)
                self.hosts.append(host.create())
            for host in self.hosts:
                host.start()
            self.balancer = Balancer(self.hosts).start()
            return self
        except BaseException:
            self.stop()
            raise

    @property
    def database_url(self) -> str:
        """Both servers; a connection goes to whichever takes writes."""
        assert self.primary and self.standby
        net = self.networks
        hosts = (
            f"host={net.primary_address}:{self.primary.port}"
            f"&host={net.standby_address}:{self.standby.port}"
        )
        return f"postgresql+psycopg://postgres@/davshare?{hosts}&target_session_attrs=read-write"

    @property
    def url(self) -> str:
        assert self.balancer
        return self.balancer.url

    def wait_synchronous(self) -> None:
        """Until the primary sees its standby streaming as synchronous."""
        assert self.primary
        deadline = time.monotonic() + 60
        query = "SELECT sync_state FROM pg_stat_replication"
        while self.primary.sql(query) != [("sync",)]:
            assert time.monotonic() < deadline, self.primary.sql(query)
            time.sleep(0.2)

    def new_user(self, domain: str = "example.com") -> str:
        engine = engine_for(self.database_url)
        with contextlib.suppress(AlreadyExists):
            accounts.add_domain(engine, domain)
        login = f"u{uuid.uuid4().hex[:10]}@{domain}"
        accounts.add_user(engine, login, PASSWORD)
        return login

    def session(self, login: str) -> requests.Session:
        session = requests.Session()
        session.auth = (login, PASSWORD)
        return session

    def stop(self) -> None:
        if self.balancer:
            self.balancer.stop()
        for host in self.hosts:
            host.remove()
        for database in (self.standby, self.primary):
            if database:
                database.stop()
        self.networks.remove()
