"""vdirsyncer's own DAV storage tests (CardDAV and CalDAV) against davshare and stock
Radicale in the same run (issue 22): davshare passes every test Radicale passes.

vdirsyncer's sdist (its wheels carry no tests) is fetched from the package registry at
test time and run in its own virtualenv and pytest process, so its plugins and fixtures
never meet ours. Both servers are driven through the same server plugin
(``vdirsyncer_server.py``), with no server-specific skips of vdirsyncer's.
"""

import os
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import scratch
from tests.support.radicale import RadicaleServer
from tests.support.server import PASSWORD, Server

pytestmark = pytest.mark.slow

VERSION = "0.21.0"
# vdirsyncer's test requirements (its pyproject's "test" extra), less coverage.
TEST_NEEDS = [
    f"vdirsyncer=={VERSION}",
    "pytest",
    "pytest-asyncio",
    "aioresponses",
    "pytest-httpserver",
    "trustme",
    "hypothesis>=6.72,<7",
]
# Where davshare refuses by its own rules what vdirsyncer's test asks, and why.
AS_DESIGNED = {
    # The test makes a collection named "test @ foo ät bar": names with "@" or "~" are the
    # group and shared collections mounted in a home (SPEC G2, S1), refused to MKCOL.
    "TestCalDAVStorage::test_specialchars[VEVENT]",
    "TestCalDAVStorage::test_specialchars[VTODO]",
    "TestCardDAVStorage::test_specialchars[VCARD]",
}
ROOT_RIGHTS = (
    "[root]\nuser: .+\ncollection:\npermissions: R\n"
    "[owner]\nuser: .+\ncollection: {user}(/.*)?\npermissions: RrWw\n"
)


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def suite() -> Iterator[tuple[Path, Path]]:
    """(vdirsyncer's unpacked sources with our server plugin, the python of its venv)."""
    where = scratch.folder("vdirsyncer-")
    try:
        _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
              "--no-binary", ":all:", f"vdirsyncer=={VERSION}", "-d", str(where)])  # fmt: skip
        _run([sys.executable, "-m", "venv", str(where / "venv")])
        python = where / "venv" / "bin" / "python"
        _run([str(python), "-m", "pip", "install", "--quiet", *TEST_NEEDS])
    except AssertionError as e:
        pytest.skip(f"vdirsyncer's test suite could not be installed: {e}")
    with tarfile.open(next(where.glob("vdirsyncer-*.tar.gz"))) as archive:
        archive.extractall(where, filter="data")
    sources = where / f"vdirsyncer-{VERSION}"
    plugin = sources / "tests" / "storage" / "servers" / "external"
    plugin.mkdir()
    (plugin / "__init__.py").write_text(
        (Path(__file__).parent / "vdirsyncer_server.py").read_text()
    )
    yield sources, python


def _outcomes(suite: tuple[Path, Path], url: str, user: str) -> dict[str, str]:
    """Each of vdirsyncer's DAV storage tests: "passed", "failed" or "skipped"."""
    sources, python = suite
    report = sources / f"report-{abs(hash(url))}.xml"
    env = {**os.environ, "DAV_SERVER": "external", "VDS_URL": url + "/", "VDS_USER": user,
           "VDS_PASSWORD": PASSWORD}  # fmt: skip
    subprocess.run(
        [str(python), "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
         "-p", "no:logging", "tests/storage/dav", f"--junitxml={report}"],
        cwd=sources, env=env, capture_output=True, timeout=900, check=False,
    )  # fmt: skip
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        name = f"{case.get('classname', '').rpartition('.')[2]}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcomes[name] = (
            "failed"
            if kinds & {"failure", "error"}
            else "skipped"
            if "skipped" in kinds
            else "passed"
        )
    return outcomes


def test_davshare_passes_every_storage_test_radicale_passes(suite, server: Server) -> None:
    radicale = RadicaleServer({"vds": (PASSWORD, "bcrypt")}, ROOT_RIGHTS).start()
    try:
        theirs = _outcomes(suite, radicale.url, "vds")
    finally:
        radicale.stop()
    ours = _outcomes(suite, server.url, server.new_user())
    assert sum(o == "passed" for o in theirs.values()) > 100, theirs  # the suite really ran
    missing = sorted(
        f"{name}: {ours.get(name, 'absent')}"
        for name, outcome in theirs.items()
        if outcome == "passed" and ours.get(name) != "passed" and name not in AS_DESIGNED
    )
    assert not missing, "passed on Radicale, not on davshare:\n" + "\n".join(missing)
    still_refused = sorted(n for n in AS_DESIGNED if ours.get(n) == "passed")
    assert not still_refused, f"now passing, move out of AS_DESIGNED: {still_refused}"
