"""``davshare import`` and ``davshare export`` on the command line (SPEC I1, I2).

Each test runs the command as a server admin would, in a subprocess, on its
own SQLite data directory.
"""

import signal
import subprocess
import sys
import time

import pytest
import vobject
from sqlalchemy import select

from davshare.model.db import engine_for
from davshare.model.tables import items
from tests.support.samples import contact
from tests.transfer.helpers import DATA, sample

PASSWORD = "long enough pw\n"


@pytest.fixture
def davshare(tmp_path):
    config = tmp_path / "davshare.conf"
    config.write_text("[storage]\ndata_dir = data\n")
    # Only init and serve create a database: the commands below need one to exist.
    engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}").dispose()
    command = [sys.executable, "-m", "davshare.cli", "--config", str(config)]

    def run(*args, stdin=""):
        return subprocess.run(
            [*command, *args], input=stdin, capture_output=True, text=True, timeout=120
        )

    run.command = command
    run("domain", "add", "example.com")
    for login in ("gilles", "david"):
        run("user", "add", f"{login}@example.com", "--password-stdin", stdin=PASSWORD)
    return run


def test_i1_import_shows_progress_and_reports(davshare):
    done = davshare(
        "import", str(DATA / "google_contacts.csv"), "--into", "gilles@example.com:contacts"
    )
    assert done.returncode == 0, done.stderr
    assert "importing google_contacts.csv: done, 4 records" in done.stderr
    assert done.stdout.startswith("4 record(s) read: 4 imported, 0 updated, 0 unchanged, 0 skipped")
    again = davshare(
        "import", str(DATA / "google_contacts.csv"), "--into", "gilles@example.com:contacts"
    )
    assert "4 unchanged" in again.stdout


def test_i1_bad_records_are_listed_and_the_exit_status_says_so(davshare):
    done = davshare(
        "import",
        str(DATA / "contacts_with_bad_records.vcf"),
        "--into",
        "gilles@example.com:contacts",
    )
    assert done.returncode == 2, done.stderr
    assert "3 imported" in done.stdout
    assert "skipped line 8 (record 2): no END:VCARD before the next BEGIN:VCARD" in done.stdout
    assert "skipped line 31 (record 6): the file ends inside this vCard" in done.stdout


def test_i1_an_import_that_may_not_happen_exits_1_and_changes_nothing(davshare):
    davshare("group", "create", "equipe", "--admin", "gilles@example.com")
    davshare("group", "add-member", "equipe", "david@example.com")
    refused = davshare(
        "import", str(DATA / "google_contacts.csv"), "--into", "david@example.com:contacts@equipe"
    )
    assert refused.returncode == 1 and "may not add to contacts@equipe" in refused.stderr
    assert davshare("export", "david@example.com:contacts@equipe").stdout == ""
    unknown = davshare(
        "import", str(DATA / "google_contacts.csv"), "--into", "nobody@example.com:contacts"
    )
    assert unknown.returncode == 1 and "no account" in unknown.stderr
    wrong = davshare(
        "import", str(DATA / "google_contacts.csv"), "--into", "gilles@example.com:calendar"
    )
    assert wrong.returncode == 1 and "holds contacts" in wrong.stderr
    assert "Traceback" not in refused.stderr + unknown.stderr + wrong.stderr


def test_i1_r4_a_member_granted_add_imports_into_the_group(davshare, tmp_path):
    davshare("group", "create", "equipe", "--admin", "gilles@example.com")
    davshare("group", "add-member", "equipe", "david@example.com")
    davshare("group", "grant", "equipe", "contacts", "--to", "david@example.com", "--rights", "add")
    done = davshare(
        "import",
        str(DATA / "contacts_vcard30_apple.vcf"),
        "--into",
        "david@example.com:contacts@equipe",
    )
    assert done.returncode == 0, done.stderr
    shown = davshare("export", "gilles@example.com:contacts@equipe").stdout
    assert {c.fn.value for c in vobject.readComponents(shown)} == {
        "Fatima Ferreira",
        "Boulangerie Saint-Michel",
    }
    engine = engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}")
    with engine.connect() as conn:
        query = select(items.c.creator).where(
            items.c.fn.in_(["fatima ferreira", "boulangerie saint-michel"])
        )
        assert list(conn.scalars(query)) == ["david@example.com"] * 2


def test_i2_export_to_a_file_and_to_standard_output(davshare, tmp_path):
    davshare(
        "import",
        str(DATA / "contacts_vcard40_thunderbird.vcf"),
        "--into",
        "gilles@example.com:contacts",
    )
    davshare("import", str(DATA / "calendar_google.ics"), "--into", "gilles@example.com:calendar")
    written = davshare("export", "gilles@example.com:contacts", "-o", str(tmp_path / "out.vcf"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "out.vcf").read_bytes() == sample("contacts_vcard40_thunderbird.vcf")
    as_csv = davshare("export", "gilles@example.com:contacts", "--format", "csv").stdout
    assert as_csv.startswith("First Name,") and "Gilles,,Buisson" in as_csv
    calendar = vobject.readOne(davshare("export", "gilles@example.com:calendar").stdout)
    assert len(calendar.vevent_list) == 3


def test_i1_standard_input_imports_too(davshare):
    done = davshare(
        "import",
        "-",
        "--into",
        "gilles@example.com:tasks",
        stdin=sample("tasks_thunderbird.ics").decode(),
    )
    assert done.returncode == 0, done.stderr
    assert "3 imported" in done.stdout


def _stored(tmp_path) -> int:
    engine = engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}")
    with engine.connect() as conn:
        return len(conn.execute(select(items.c.id)).all())


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_i1_an_interrupted_import_leaves_no_half_written_item(davshare, tmp_path, stop, status):
    """Interrupted at a known point, whatever the machine's speed: the records piped in so far
    are imported, the one half-sent is not, and importing the whole file again adds the rest."""
    cards = [contact(i) for i in range(600)]
    source = {vobject.readOne(card).uid.value: card for card in cards}
    (tmp_path / "big.vcf").write_text("".join(cards), newline="")
    sent = 300  # about 120 KB: more than the importer's first read
    process = subprocess.Popen(
        [*davshare.command, "import", "-", "--into", "gilles@example.com:contacts"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    half = cards[sent].encode()
    process.stdin.write("".join(cards[:sent]).encode() + half[: len(half) // 2])
    process.stdin.flush()
    deadline = time.monotonic() + 120
    while _stored(tmp_path) < sent and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert _stored(tmp_path) == sent, process.stderr.read() if process.poll() is not None else ""
    process.send_signal(stop)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    if stop == signal.SIGINT:
        assert b"interrupted: the records above are imported, none is half-written" in err
    stored = list(vobject.readComponents(davshare("export", "gilles@example.com:contacts").stdout))
    assert len(stored) == sent
    for card in stored:
        assert card.serialize() == vobject.readOne(source[card.uid.value]).serialize()
    finished = davshare(
        "import", str(tmp_path / "big.vcf"), "--into", "gilles@example.com:contacts"
    )
    assert f"{sent} unchanged" in finished.stdout
    assert f"{len(source) - sent} imported" in finished.stdout
