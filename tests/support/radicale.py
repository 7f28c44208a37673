"""A stock Radicale 3.9 process on 127.0.0.1 with htpasswd logins, a rights file and its
file storage: the server people move from."""

import subprocess
import sys
import time

import requests
from passlib.hash import bcrypt, sha512_crypt

from tests.support import scratch
from tests.support.server import free_port


class RadicaleServer:
    """``python -m radicale`` with ``users`` ({login: (password, "bcrypt" or "sha512")})."""

    def __init__(
        self, users: dict[str, tuple[str, str]], rights: str, sharing: bool = False
    ) -> None:
        self.dir = scratch.folder("radicale-test-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = self.dir / "collections"
        self.htpasswd = self.dir / "users"
        self.rights = self.dir / "rights"
        # Cheap rounds: the tests check that the schemes verify, not what they cost.
        schemes = {
            "bcrypt": bcrypt.using(ident="2y", rounds=5),
            "sha512": sha512_crypt.using(rounds=5000),
        }
        self.htpasswd.write_text(
            "".join(f"{u}:{schemes[s].hash(pw)}\n" for u, (pw, s) in users.items())
        )
        self.rights.write_text(rights)
        self.config = self.dir / "config"
        self.config.write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {self.htpasswd}\n"
            "htpasswd_encryption = autodetect\ndelay = 0\n"
            f"[rights]\ntype = from_file\nfile = {self.rights}\n"
            f"[storage]\nfilesystem_folder = {self.folder}\n"
            "[logging]\nlevel = warning\n"
            + (
                "[sharing]\ntype = csv\ncollection_by_map = true\ncollection_by_token = true\n"
                "permit_create_map = true\npermit_create_token = true\n"
                if sharing
                else ""
            )
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "RadicaleServer":
        """Start it and wait until it answers."""
        self.log = open(self.dir / "radicale.log", "wb")  # noqa: SIM115 - open while it runs
        self.process = scratch.started(
            subprocess.Popen(
                [sys.executable, "-m", "radicale", "--config", str(self.config)],
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.dir / "radicale.log").read_text(errors="replace"))
            try:
                requests.options(self.url + "/", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("radicale did not start")

    def stop(self) -> None:
        """Stop it."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.log.close()


def mkcalendar(
    session: requests.Session, url: str, name: str, component: str, **props: str
) -> requests.Response:
    """MKCALENDAR with a display name, a component set and ``props`` (color, description)."""
    extra = "".join(
        f"<I:calendar-color>{props['color']}</I:calendar-color>"
        if k == "color"
        else f"<C:calendar-description>{v}</C:calendar-description>"
        if k == "description"
        else f"<I:calendar-order>{v}</I:calendar-order>"
        for k, v in props.items()
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">'
        f"<D:set><D:prop><D:displayname>{name}</D:displayname>{extra}"
        f'<C:supported-calendar-component-set><C:comp name="{component}"/>'
        "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
    )
    return session.request("MKCALENDAR", url, data=body.encode())


def mkaddressbook(
    session: requests.Session, url: str, name: str, description: str
) -> requests.Response:
    """An extended MKCOL making an address book."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" '
        'xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype>'
        "<D:collection/><CR:addressbook/></D:resourcetype>"
        f"<D:displayname>{name}</D:displayname>"
        f"<CR:addressbook-description>{description}</CR:addressbook-description>"
        "</D:prop></D:set></D:mkcol>"
    )
    return session.request("MKCOL", url, data=body.encode())


def share(
    owner: requests.Session, user: requests.Session, base: str, mapped: str, at: str, rights: str
) -> None:
    """A share of Radicale's own ``[sharing]`` API, made and enabled by its owner and its user."""
    json = {"Accept": "application/json"}
    body = {"PathMapped": mapped, "PathOrToken": at, "User": user.auth[0], "Permissions": rights}  # type: ignore[index]
    for session, action in ((owner, "create"), (owner, "enable"), (user, "enable")):
        answer = session.post(f"{base}/.sharing/v1/map/{action}", json=body, headers=json)
        assert answer.status_code == 200 and "success" in answer.text, answer.text
