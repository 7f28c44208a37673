"""``davshare migrate radicale``: a team moves from a real Radicale 3.9, filled over HTTP."""

import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import func, select

from davshare.model import accounts, sharing
from davshare.model.errors import NotFound
from davshare.model.tables import collections, users
from tests.migrate.team import RIGHTS, USERS, fill
from tests.support.dav import need_privilege, propfind, put, vcard, vevent, vtodo
from tests.support.radicale import RadicaleServer, share
from tests.support.server import Server


@pytest.fixture(scope="module")
def radicale() -> Iterator[RadicaleServer]:
    instance = RadicaleServer(USERS, RIGHTS, sharing=True).start()
    fill(instance)
    anne, bruno = requests.Session(), requests.Session()
    anne.auth, bruno.auth = ("anne", USERS["anne"][0]), ("bruno", USERS["bruno"][0])
    # Radicale's own sharing: anne's task list with bruno, and a link by token to her calendar
    share(anne, bruno, instance.url, "/anne/todo/", "/bruno/anne-todo/", "rw")
    token = anne.post(
        f"{instance.url}/.sharing/v1/token/create", json={"PathMapped": "/anne/office/"}
    )
    assert token.status_code == 200
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def davshare_server() -> Iterator[Server]:
    instance = Server(migrate__aliases="anne=anne@example.com, bruno=bruno@example.com").start()
    accounts.add_domain(instance.engine, "example.com")
    yield instance
    instance.stop()


def migrate(
    server: Server, radicale: RadicaleServer, *extra: str
) -> subprocess.CompletedProcess[str]:
    """``davshare migrate radicale`` as the admin runs it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(server.config),
            "migrate",
            "radicale",
            "--collections",
            str(radicale.folder),
            "--htpasswd",
            str(radicale.htpasswd),
            "--rights",
            str(radicale.rights),
            "--domain",
            "example.com",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def migrated(
    davshare_server: Server, radicale: RadicaleServer
) -> dict[str, subprocess.CompletedProcess[str]]:
    """A dry run, the migration, and the same migration run again."""
    runs = {"dry": migrate(davshare_server, radicale, "--dry-run")}
    with davshare_server.engine.connect() as conn:
        runs["after_dry"] = conn.scalar(select(func.count()).select_from(users))  # type: ignore[assignment]
    runs["first"] = migrate(davshare_server, radicale)
    runs["again"] = migrate(davshare_server, radicale)
    return runs


def _file(radicale: RadicaleServer, user: str, path: str) -> bytes:
    return (radicale.folder / "collection-root" / user / urllib.parse.unquote(path)).read_bytes()


def _login(user: str) -> str:
    return user if "@" in user else f"{user}@example.com"


def _session(user: str) -> requests.Session:
    session = requests.Session()
    session.auth = (_login(user), USERS[user][0])
    return session


def test_dry_run_reads_everything_and_writes_nothing(migrated):
    dry = migrated["dry"]
    assert dry.returncode == 2, dry.stdout + dry.stderr  # the link by token: reported
    assert "dry run: nothing was written" in dry.stdout
    assert "would be account anne@example.com created with its old password" in dry.stdout
    assert "items: 7 created" in dry.stdout
    assert migrated["after_dry"] == 0


def test_migration_reports_and_runs_again_changing_nothing(migrated):
    first, again = migrated["first"], migrated["again"]
    assert first.returncode == 2, first.stdout + first.stderr
    assert "accounts: 3 created" in first.stdout
    assert "items: 7 created" in first.stdout
    assert "shares: 3 created" in first.stdout
    assert "not carried over: sharing.csv line 3: a link by token to /anne/office/" in first.stdout
    assert (
        "bruno saw it at /bruno/anne-todo/; in davshare it is todo~anne@example.com" in first.stdout
    )
    assert "anne: clients must sign in as anne@example.com" in first.stdout
    assert "[migrate] aliases = anne=anne@example.com, bruno=bruno@example.com" in first.stdout
    assert "carla@example.com: clients only need the new host name" in first.stdout
    assert again.returncode == 2, again.stdout + again.stderr
    assert "accounts: 3 unchanged" in again.stdout
    assert "items: 7 unchanged" in again.stdout
    assert "shares: 3 unchanged" in again.stdout


@pytest.mark.parametrize("user", list(USERS))
def test_old_passwords_sign_in_and_are_rehashed(migrated, davshare_server, user):
    wrong = requests.request(
        "PROPFIND",
        f"{davshare_server.url}/{_login(user)}/",
        auth=(_login(user), "not the password"),
        headers={"Depth": "0"},
    )
    assert wrong.status_code == 401
    with davshare_server.engine.connect() as conn:
        before = conn.scalar(select(users.c.password_hash).where(users.c.login == _login(user)))
    assert before is not None and not before.startswith("$argon2")
    response = propfind(
        _session(user), f"{davshare_server.url}/{_login(user)}/", "<D:displayname/>"
    )
    assert response.status_code == 207, response.text
    with davshare_server.engine.connect() as conn:
        after = conn.scalar(select(users.c.password_hash).where(users.c.login == _login(user)))
    assert after is not None and after.startswith("$argon2")
    again = propfind(_session(user), f"{davshare_server.url}/{_login(user)}/", "<D:displayname/>")
    assert again.status_code == 207


@pytest.mark.parametrize(
    "user,path",
    [
        ("anne", "office/r%C3%A9union.ics"),
        ("anne", "office/plain.ics"),
        ("anne", "todo/t1.ics"),
        ("anne", "contacts/zoe.vcf"),
        ("anne", "contacts/photo.vcf"),
        ("bruno", "perso/e.ics"),
        ("carla@example.com", "book/c.vcf"),
    ],
)
def test_items_are_byte_identical_at_the_same_href(migrated, davshare_server, radicale, user, path):
    got = _session(user).get(f"{davshare_server.url}/{_login(user)}/{path}")
    assert got.status_code == 200
    assert got.content == _file(radicale, user, path)


def test_collection_properties_are_kept(migrated, davshare_server):
    response = propfind(
        _session("anne"),
        f"{davshare_server.url}/anne@example.com/office/",
        "<D:displayname/><I:calendar-color xmlns:I='http://apple.com/ns/ical/'/>"
        "<C:calendar-description/><C:supported-calendar-component-set/>",
    )
    text = response.content.decode()
    assert "Travail – équipe" in text and "#ff8800ff" in text and "Réunions" in text
    assert 'name="VEVENT"' in text and 'name="VTODO"' not in text
    with davshare_server.engine.connect() as conn:
        book = conn.scalar(
            select(collections.c.props).where(collections.c.path == "anne@example.com/contacts")
        )
    assert "Carnet d'Anne" in book and "Amis" in book


def test_rights_file_becomes_shares_never_wider(migrated, davshare_server):
    assert {
        (s.collection, s.sharee, s.rights)
        for s in sharing.list_shares(davshare_server.engine, "anne@example.com")
    } == {
        ("office", "bruno@example.com", "read"),
        ("todo", "bruno@example.com", "read_write_delete"),
        ("contacts", "carla@example.com", "read_write_delete"),
    }
    base = davshare_server.url
    todo = f"{base}/bruno@example.com/todo~anne@example.com/"  # from Radicale's [sharing]
    assert put(_session("bruno"), todo + "b.ics", vtodo("bruno-task", "x")).status_code == 201
    assert _session("bruno").delete(todo + "b.ics").status_code in (200, 204)
    work = f"{base}/bruno@example.com/office~anne@example.com/"
    assert _session("bruno").get(work + "plain.ics").status_code == 200
    refused = put(_session("bruno"), work + "new.ics", vevent("bruno-new", "x"))
    assert refused.status_code == 403 and need_privilege(refused) == "bind"
    assert _session("anne").get(f"{base}/anne@example.com/office/new.ics").status_code == 404
    contacts = f"{base}/carla@example.com/contacts~anne@example.com/"
    assert (
        put(
            _session("carla@example.com"), contacts + "new.vcf", vcard("carla-new", "Né")
        ).status_code
        == 201
    )
    assert _session("carla@example.com").get(
        f"{base}/carla@example.com/todo~anne@example.com/"
    ).status_code in (403, 404)
    assert _session("carla@example.com").delete(contacts + "new.vcf").status_code in (200, 204)


def test_verify_is_clean_then_names_a_tampered_item(migrated, davshare_server, radicale):
    clean = migrate(davshare_server, radicale, "--verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "verified 5 collection(s), 7 item(s): identical" in clean.stdout
    url = f"{davshare_server.url}/bruno@example.com/perso/e.ics"
    assert put(_session("bruno"), url, vevent("ev-b", "Vélo changé")).status_code == 204
    tampered = migrate(davshare_server, radicale, "--verify")
    assert tampered.returncode == 3
    assert "bruno/perso -> bruno@example.com/perso/e.ics: content differs" in tampered.stdout
    fixed = migrate(davshare_server, radicale)  # running it again puts the source's text back
    assert "items: 1 updated, 6 unchanged" in fixed.stdout


def test_bare_logins_are_never_guessed(davshare_server, radicale):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(davshare_server.config),
            "migrate",
            "radicale",
            "--collections",
            str(radicale.folder),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "'anne' is not a login of the form local@domain" in result.stdout
    assert "--map anne=LOGIN@DOMAIN" in result.stdout


def test_a_client_of_the_old_server_only_changes_its_host_name(migrated, davshare_server, radicale):
    old = requests.Session()
    old.auth = ("anne", USERS["anne"][0])  # the login and URLs it had on Radicale
    base = davshare_server.url
    got = old.get(f"{base}/anne/office/plain.ics")
    assert got.status_code == 200 and got.content == _file(radicale, "anne", "office/plain.ics")
    listing = propfind(old, f"{base}/anne/office/", "<D:getetag/>", depth="1")
    hrefs = re.findall(r"<(?:\w+:)?href>([^<]*)</", listing.text)
    assert sorted(hrefs) == [
        "/anne/office/",
        "/anne/office/plain.ics",
        "/anne/office/r%C3%A9union.ics",
    ]
    principal = propfind(old, f"{base}/anne/", "<D:current-user-principal/>").text
    assert "/anne/</" in principal and "example.com" not in principal
    assert (
        put(old, f"{base}/anne/office/from-old-client.ics", vevent("old-1", "x")).status_code == 201
    )
    assert (
        _session("anne").get(f"{base}/anne@example.com/office/from-old-client.ics").status_code
        == 200
    )
    assert old.delete(f"{base}/anne/office/from-old-client.ics").status_code in (200, 204)
    wrong = requests.get(f"{base}/anne/office/plain.ics", auth=("anne", "wrong password"))
    assert wrong.status_code == 401
    other = requests.get(f"{base}/anne/office/plain.ics", auth=("bruno", USERS["bruno"][0]))
    assert other.status_code in (403, 404)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--collections", "/nonexistent/radicale"], "is not a folder: give Radicale's"),
        (["--collections", "{folder}", "--rights", "/nonexistent/rights"], "no such file (or use"),
        (
            ["--collections", "{folder}", "--htpasswd", "/nonexistent/users"],
            "cannot read the htpasswd",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(davshare_server, radicale, args, message):
    before = accounts.list_users(davshare_server.engine)
    args = [a.replace("{folder}", str(radicale.folder)) for a in args]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(davshare_server.config),
            "migrate",
            "radicale",
            "--domain",
            "example.com",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert accounts.list_users(davshare_server.engine) == before


def test_over_http_collections_shared_with_the_account_are_not_copied(migrated, davshare_server):
    """davshare itself as the source: bruno's home lists anne's shared collections too."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "davshare.cli",
            "--config",
            str(davshare_server.config),
            "migrate",
            "dav",
            "--url",
            davshare_server.url + "/",
            "--user",
            "bruno@example.com",
            "--into",
            "bruno.copy@example.com",
            "--dry-run",
        ],
        input=USERS["bruno"][0] + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "bruno.copy@example.com/office~anne@example.com: davshare names cannot hold '@' or '~'"
        in result.stdout
    )
    assert (
        "would be collection bruno@example.com/perso -> bruno.copy@example.com/perso"
        in result.stdout
    )
    with pytest.raises(NotFound):
        accounts.get_user(davshare_server.engine, "bruno.copy@example.com")
