"""A real IMAP server (Debian's dovecot) on 127.0.0.1 with its own configuration and a
passwd-file of a few users: IMAPS and IMAP with STARTTLS, a test certificate."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support import daemons, scratch
from tests.support.server import free_port

# login -> password
USERS = {
    "anna@example.com": "anna mail pw",
    "marc@example.com": "marc mail pw",
    "nina@example.com": "nina mail pw",
    "paul@elsewhere.org": "paul mail pw",
}

_CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
# davshare asks for every person from one address: no per-address penalty (docs/sign-in.md)
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    """The running mail server: its ports and the CA file verifying its certificate."""

    imap_port: int
    imaps_port: int
    ca_file: Path
    process: subprocess.Popen[bytes]

    def options(self, starttls: bool = False, **more: str) -> dict[str, str]:
        """``Server`` options signing in through this mail server (IMAPS by default)."""
        return {
            "auth__backends": "local, imap",
            "imap__host": "127.0.0.1",
            "imap__port": str(self.imap_port if starttls else self.imaps_port),
            "imap__security": "starttls" if starttls else "tls",
            "imap__ca_file": str(self.ca_file),
            **more,
        }

    def stop(self) -> None:
        """Stop dovecot (its master stops its children)."""
        daemons.stop(self.process)


def start() -> Dovecot:
    """dovecot in the foreground with the users of ``USERS``."""
    dovecot = daemons.program("dovecot", "dovecot-imapd")
    folder = scratch.folder("davshare-dovecot-")
    folder.chmod(0o755)  # the mail processes run as nobody
    (folder / "mail").mkdir(mode=0o777)
    (folder / "mail").chmod(0o777)
    cert, key = daemons.certificate(folder)
    (folder / "users").write_text(
        "".join(f"{login}:{{PLAIN}}{password}::::::\n" for login, password in USERS.items())
    )
    imap, imaps = free_port(), free_port()
    config = folder / "dovecot.conf"
    config.write_text(_CONFIG.format(dir=folder, cert=cert, key=key, imap=imap, imaps=imaps))
    log = folder / "dovecot.log"
    log.touch()
    process = scratch.started(
        subprocess.Popen(
            [dovecot, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "stderr.log", "wb"),  # noqa: SIM115 - open while it runs
        )
    )
    daemons.wait_for_port(imaps, process, log)
    return Dovecot(imap, imaps, cert, process)
