"""The web pages' contact list on a big address book (issue 17): ``python -m bench.web_contacts``.

One davshare server on SQLite; its account imports ``--contacts`` contacts (default
50,000) into its address book with the import API (one request). Timed, median of
``--rounds``, the API requests the contact page makes:

- **first page**: the list as it opens (``GET /collections/contacts/items``);
- **search**: the list searched for a family name (``?q=``);
- **open one**: what opening one contact asks (its summary, then its vCard over the
  pages' DAV bridge is not counted: the same for both).

``--before REV`` times the same requests first on the code of a git revision (the
pages before issue 17 read and parsed every contact, up to 2,000), on the same data:
the database is copied, and the current code upgrades the copy.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench import data, load, servers

API = "/.davshare/api/v1"
_ROOT = Path(__file__).resolve().parent.parent


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _timed(call: Callable[[], requests.Response]) -> float:
    start = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{response.request.url}: {response.status_code} {response.text[:200]}")
    return seconds


# Run by the server's own code (this tree's or the older one): the schema and the account.
_SETUP = """
import sys
from davshare.model import accounts, errors
from davshare.model.db import engine_for
engine = engine_for(sys.argv[1])
try:
    accounts.add_domain(engine, "example.com")
    accounts.add_user(engine, "bench@example.com", "bench-password-42")
except errors.AlreadyExists:
    pass
"""


def _server(database: Path, source: Path | None) -> tuple[servers.ServerProcess, requests.Session]:
    """A davshare server on ``database`` (the code in ``source``, else this tree's)."""
    workdir = database.parent / f"server-{database.stem}"
    workdir.mkdir()
    url = f"sqlite:///{database}"
    port = servers.free_port()
    config = workdir / "davshare.conf"
    config.write_text(
        f"[server]\nport = {port}\nmax_body_size = 200000000\n"
        f"[storage]\ndatabase_url = {url}\n[logging]\nlevel = warning\n"
    )
    env = {**os.environ, **({"PYTHONPATH": str(source)} if source else {})}
    subprocess.run([sys.executable, "-c", _SETUP, url], env=env, check=True)
    command = [sys.executable, "-m", "davshare.cli", "--config", str(config), "serve"]
    process = servers.ServerProcess(database.stem, command, workdir, port)
    if source is not None:
        os.environ["PYTHONPATH"] = str(source)
    try:
        process.start()
    finally:
        os.environ.pop("PYTHONPATH", None)
    session = requests.Session()
    session.auth = ("bench@example.com", "bench-password-42")
    return process, session


def _figures(url: str, session: requests.Session, hrefs: list[str], name: str, rounds: int) -> dict:
    items = f"{url}{API}/collections/contacts/items"
    rng = random.Random(7)
    first = statistics.median(_timed(lambda: session.get(items)) for _ in range(rounds))
    search = statistics.median(
        _timed(lambda: session.get(items, params={"q": name})) for _ in range(rounds)
    )

    def open_one() -> float:
        url = f"{items}/{rng.choice(hrefs)}"
        if session.get(url).status_code == 404:  # before issue 17 the page read the list
            url = items
        return _timed(lambda: session.get(url))

    opened = statistics.median(open_one() for _ in range(rounds))
    return {"first_page": first, "search": search, "open_one": opened}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.web_contacts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contacts", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default="", help="a git revision to time first, e.g. main")
    args = parser.parse_args(argv)
    contacts = data.dataset(args.contacts).contacts
    hrefs = [c.href for c in contacts]
    family = contacts[0].text.split("\r\nN:", 1)[1].split(";", 1)[0]
    work = Path(tempfile.mkdtemp(prefix="davshare-bench-web-"))
    figures: dict[str, dict] = {}
    try:
        old_source = None
        if args.before:
            old_source = work / "before"
            old_source.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(_ROOT), "archive", args.before, "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(old_source)], input=archive, check=True)
            old_source = old_source / "src"
        database = work / "first.sqlite3"
        server, session = _server(database, old_source)
        try:
            _say(f"importing {len(contacts)} contacts (one request)")
            start = time.perf_counter()
            answer = session.post(
                f"{server.url}{API}/collections/contacts/import?format=vcard",
                data=load.vcards(contacts).encode(),
                headers={"Content-Type": "text/vcard"},
            )
            if answer.status_code != 200:
                raise SystemExit(f"import: {answer.status_code} {answer.text[:300]}")
            _say(f"imported in {time.perf_counter() - start:.0f} s: {answer.json()['imported']}")
            label = f"before ({args.before})" if args.before else "now"
            figures[label] = _figures(server.url, session, hrefs, family, args.rounds)
        finally:
            server.stop()
        if args.before:
            copy = work / "upgraded.sqlite3"
            shutil.copy(database, copy)
            for suffix in ("-wal", "-shm"):
                if Path(f"{database}{suffix}").exists():
                    shutil.copy(f"{database}{suffix}", f"{copy}{suffix}")
            _say("upgrading a copy with the current code")
            server, session = _server(copy, None)
            try:
                figures["now"] = _figures(server.url, session, hrefs, family, args.rounds)
            finally:
                server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"The contact page on {len(contacts):,} contacts (ms, median of {args.rounds}; search: {family!r})"
    )
    for label, values in figures.items():
        print(f"  {label:24} " + " · ".join(f"{k} {v * 1000:.1f}" for k, v in values.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
