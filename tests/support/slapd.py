"""A real OpenLDAP server (Debian's slapd) on 127.0.0.1, with its own configuration folder
and a small directory: ldap:// (StartTLS offered) and ldaps:// with a test certificate."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support import daemons, scratch
from tests.support.server import free_port

SUFFIX = "dc=example,dc=com"
ADMIN, ADMIN_PASSWORD = f"cn=admin,{SUFFIX}", "admin-secret"
READER, READER_PASSWORD = f"cn=reader,{SUFFIX}", "reader-secret"
PEOPLE, STAFF = f"ou=people,{SUFFIX}", f"cn=staff,ou=groups,{SUFFIX}"
# uid -> (mail, display name, password, in the staff group)
PEOPLE_ENTRIES = {
    "alice": ("alice@example.com", "Alice Martin", "alice directory pw", True),
    "bob": ("bob@example.com", "Bob Durand", "bob directory pw", False),
    "carol": ("carol@elsewhere.org", "Carol Petit", "carol directory pw", True),
    "dora": ("dora@example.com", "Dora Klein", "dora directory pw", True),
    "eric": ("eric@example.com", "Eric Roux", "eric directory pw", True),
}

_CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin}"
rootpw {admin_password}
directory {dir}/db
access to attrs=userPassword by anonymous auth by self write by * none
access to * by dn.exact="{reader}" read by self read by * none
"""


def _ldif() -> str:
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: {READER}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: reader\nuserPassword: {READER_PASSWORD}",
    ]
    members = []
    for uid, (mail, name, password, staff) in PEOPLE_ENTRIES.items():
        dn = f"uid={uid},{PEOPLE}"
        blocks.append(
            f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n"
            f"sn: {name.split()[-1]}\ndisplayName: {name}\nmail: {mail}\nuserPassword: {password}"
        )
        if staff:
            members.append(f"member: {dn}")
    blocks.append(f"dn: {STAFF}\nobjectClass: groupOfNames\ncn: staff\n" + "\n".join(members))
    return "\n\n".join(blocks) + "\n"


@dataclass
class Slapd:
    """The running directory: its URLs and the CA file that verifies its certificate."""

    ldap_url: str
    ldaps_url: str
    ca_file: Path
    process: subprocess.Popen[bytes]

    def options(self, url: str = "", **more: str) -> dict[str, str]:
        """``Server`` options signing in through this directory (LDAPS by default)."""
        return {
            "auth__backends": "local, ldap",
            "ldap__url": url or self.ldaps_url,
            "ldap__ca_file": str(self.ca_file),
            "ldap__bind_dn": READER,
            "ldap__bind_password": READER_PASSWORD,
            "ldap__base": PEOPLE,
            **more,
        }

    def stop(self) -> None:
        """Stop slapd."""
        daemons.stop(self.process)


def start() -> Slapd:
    """slapd with the small directory loaded."""
    slapd = daemons.program("slapd", "slapd")
    ldapadd = daemons.program("ldapadd", "ldap-utils")
    folder = scratch.folder("davshare-slapd-")
    (folder / "db").mkdir()
    cert, key = daemons.certificate(folder)
    config = folder / "slapd.conf"
    config.write_text(
        _CONFIG.format(
            dir=folder,
            cert=cert,
            key=key,
            suffix=SUFFIX,
            admin=ADMIN,
            admin_password=ADMIN_PASSWORD,
            reader=READER,
        )
    )
    plain, secure = free_port(), free_port()
    urls = f"ldap://127.0.0.1:{plain}/ ldaps://127.0.0.1:{secure}/"
    log = folder / "slapd.log"
    with open(log, "wb") as out:
        process = scratch.started(
            subprocess.Popen(
                [slapd, "-d", "0", "-f", str(config), "-h", urls], stdout=out, stderr=out
            )
        )
    daemons.wait_for_port(plain, process, log)
    data = folder / "data.ldif"
    data.write_text(_ldif())
    as_admin = ["-x", "-D", ADMIN, "-w", ADMIN_PASSWORD]
    subprocess.run(
        [ldapadd, *as_admin, "-H", f"ldap://127.0.0.1:{plain}", "-f", str(data)],
        check=True,
        capture_output=True,
    )
    return Slapd(f"ldap://127.0.0.1:{plain}", f"ldaps://127.0.0.1:{secure}", cert, process)
