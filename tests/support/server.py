"""A davshare server process on 127.0.0.1, as clients meet it."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid

import requests

from davshare.model import accounts
from davshare.model.db import engine_for
from davshare.model.errors import AlreadyExists
from tests.support import scratch

PASSWORD = "correct horse battery"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``davshare serve`` in a subprocess with its own configuration and data."""

    def __init__(self, database_url: str | None = None, **options: str) -> None:
        self.dir = scratch.folder("davshare-test-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url or f"sqlite:///{self.dir / 'data' / 'davshare.sqlite3'}"
        self.config = self.dir / "davshare.conf"
        sections: dict[str, dict[str, str]] = {
            "server": {"port": str(self.port)},
            "storage": {"database_url": self.database_url},
            "auth": {"delay": options.pop("auth_delay", "0.05")},
            "logging": {"level": "warning"},
        }
        for key, value in options.items():  # replace the defaults above, or add
            section, option = key.split("__")
            # "{url}" in a value: this server's own address (known once its port is).
            sections.setdefault(section, {})[option] = value.replace("{url}", self.url)
        lines = []
        for section, settings in sections.items():  # one header per section: INI needs that
            lines += [f"[{section}]", *(f"{k} = {v}" for k, v in settings.items())]
        self.config.write_text("\n".join(lines) + "\n")
        self.process: subprocess.Popen[bytes] | None = None
        self.engine = engine_for(self.database_url)

    def start(self) -> "Server":
        """Start the process and wait until it answers."""
        self.log = open(self.dir / "server.log", "wb")  # noqa: SIM115 - open while the server runs
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = scratch.started(
            subprocess.Popen(
                [sys.executable, "-m", "davshare.cli", "--config", str(self.config), "serve"],
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        )
        deadline = time.monotonic() + 120  # a loaded machine (CI beside other jobs) boots slowly
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_log()}")
            try:
                requests.options(self.url + "/", timeout=1)
                return self
            except (requests.ConnectionError, requests.Timeout):  # workers still booting
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.read_log()}")

    def read_log(self) -> str:
        """What the server printed so far."""
        return (self.dir / "server.log").read_text(errors="replace")

    def stop(self) -> None:
        """Stop the process."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()

    def new_user(self, domain: str = "example.com", **kwargs: object) -> str:
        """A fresh account (its domain created if needed); returns the login."""
        with contextlib.suppress(AlreadyExists):
            accounts.add_domain(self.engine, domain)
        login = f"u{uuid.uuid4().hex[:10]}@{domain}"
        accounts.add_user(self.engine, login, PASSWORD, **kwargs)  # type: ignore[arg-type]
        return login

    def session(self, login: str, password: str = PASSWORD) -> requests.Session:
        """An HTTP session authenticated as ``login``."""
        session = requests.Session()
        session.auth = (login, password)
        return session


class _FromAddress(requests.adapters.HTTPAdapter):
    """Connections made from a chosen local address (127.0.0.x: all of them reach 127.0.0.1)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


def session_from(address: str, login: str = "", password: str = PASSWORD) -> requests.Session:
    """An HTTP session whose requests come from ``address`` (the server sees it as the
    client's address), authenticated as ``login`` when one is given."""
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    if login:
        session.auth = (login, password)
    return session
