"""davshare as seen by caldav-server-tester, the python caldav library's compatibility checker.

The tester runs every one of its checks against a fresh account (it creates its
own calendars with MKCALENDAR and removes them afterwards) and grades each
feature it knows: "full", "unsupported", "fragile", "quirk", "broken",
"ungraceful" or "unknown" (and True/False for plain observations).

Every feature it reports is classified below:

* ``SUPPORTED``: works today; a change is a regression.
* ``AS_DESIGNED``: not "full", and rightly so (davshare behaves as the RFCs
  allow and as most servers do); a change is a behaviour change to look at.
* ``KNOWN_GAPS``: not "full" because davshare lacks it or gets it wrong; each
  with the reason, kept in step with docs/compliance.md.  A gap that starts to
  pass fails the test too, so that it moves to ``SUPPORTED`` and stays guarded.

Recorded with caldav-server-tester 1.7.0 (caldav 3.6.0); a newer tester may
report features not classified here, and the last test says which.
"""

import importlib.metadata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.server import PASSWORD, Server

pytest.importorskip(
    "caldav_server_tester",
    reason="caldav-server-tester is not installed (pip install caldav-server-tester)",
)

import caldav
from caldav_server_tester.checker import ServerQuirkChecker

pytestmark = pytest.mark.slow  # the tester runs ~200 checks per backend

RECORDED_WITH = "1.7.0"

SUPPORTED = frozenset(
    {
        "auth.www-authenticate",
        "auth.www-authenticate.usable-scheme",
        "calendar-color",
        "calendar-color.name",
        "calendar-order",
        "create-calendar",
        "create-calendar.set-displayname",
        "create-calendar.stable-url",
        "create-calendar.with-supported-component-types",
        "delete-calendar",
        "delete-calendar.free-namespace",
        "freebusy-query",
        "get-current-user-principal",
        "get-current-user-principal.has-calendar",  # an observation: True
        "non-existing-raises-not-found.collection",
        "non-existing-raises-not-found.object",
        "propfind",
        "propfind.allprop",
        "propfind.allprop.resourcetype",
        "propfind.displayname",
        "propfind.principal-depth-1",
        "save-load.event",
        "save-load.event.no-dtend",
        "save-load.event.no-summary",
        "save-load.event.recurrences",
        "save-load.event.recurrences.count",
        "save-load.event.recurrences.exception",
        "save-load.event.recurrences.exception.cancelled",
        "save-load.event.recurrences.exception.reschedule",
        "save-load.event.timezone",
        "save-load.get-by-url",
        "save-load.icalendar.related-to",
        "save-load.journal",
        "save-load.journal.mixed-calendar",
        "save-load.mutable",
        "save-load.mutable.attendee-partstat",
        "save-load.mutable.if-match-optional",
        "save-load.mutable.if-match-wildcard",
        "save-load.stable-url",
        "save-load.todo",
        "save-load.todo.mixed-calendar",
        "save-load.todo.recurrences",
        "save-load.todo.recurrences.count",
        "save-load.todo.uncomplete",
        "save.duplicate-event",
        "save.duplicate-uid.cross-calendar",
        "save.etag",
        "save.if-none-match",
        "save.no-uid-conflict",
        "search.combined-is-logical-and",
        "search.comp-type",
        "search.comp-type.optional",
        "search.is-not-defined",
        "search.is-not-defined.category",
        "search.is-not-defined.class",
        "search.is-not-defined.dtend",
        "scheduling",
        "scheduling.calendar-user-address-set",
        "scheduling.calendar-user-address-set.populated",
        "scheduling.mailbox",
        "scheduling.mailbox.inbox-delivery",  # the tester is given a second account for these
        "scheduling.auto-schedule",
        "scheduling.freebusy-query",
        "scheduling.schedule-tag",
        "scheduling.schedule-tag.stable-partstat",
        "search.recurrences.expanded.event",
        "search.recurrences.expanded.exception",
        "search.recurrences.includes-implicit.event",
        "search.recurrences.includes-implicit.infinite-scope",
        "search.recurrences.includes-implicit.todo",
        "search.recurrences.includes-implicit.todo.pending",
        "search.text.case-insensitive",
        "search.text.case-sensitive",
        "search.text.category",
        "search.text.substring",
        "search.time-range.alarm",
        "search.time-range.comp-type-optional",
        "search.time-range.event",
        "search.time-range.event.old-dates",
        "search.time-range.open.end",
        "search.time-range.open.start",
        "search.time-range.open.start.duration",
        "search.time-range.todo",
        "search.time-range.todo.no-dtstart",
        "search.time-range.todo.no-dtstart.no-due",
        "search.time-range.todo.old-dates",
        "search.time-range.todo.strict",
        "search.unlimited-time-range",
        "sync-token",
        "sync-token.delete",
        "sync-token.invalid-token",
        "synchronous-write",
        "synchronous-write.create-calendar",
        "synchronous-write.delete-calendar",
        "synchronous-write.proppatch",
        "url.encode-at.encoded",
        "url.encode-at.literal.object",
        "url.encode-at.literal.principal",
    }
)

# feature -> (the grade we expect, why that is right)
AS_DESIGNED: dict[str, tuple[str, str]] = {
    "create-calendar.auto": (
        "unsupported",
        "a calendar that does not exist answers 404 (a PUT into it 409) instead of being created "
        "on first use; collections come with the account or from MKCALENDAR (the tester's default)",
    ),
    "search.text.comp-type-optional": (
        "unsupported",
        "a prop-filter directly under the VCALENDAR comp-filter tests VCALENDAR's own properties "
        "(RFC 4791 section 9.7.2), so SUMMARY/CATEGORIES match nothing there (the tester's default)",
    ),
    "url.encode-at.identity": (
        "unknown",
        "'@' and '%40' name the same resource (paths are percent-decoded before lookup); the "
        "tester cannot tell, since its probe calendar has '@' in its name, which is refused",
    ),
    "url.encode-at.literal.collection": (
        "unknown",
        "a personal collection's name may not contain '@': in a home, '<name>@<group>' names the "
        "mount of a group's collection (docs/architecture.md), so the probe calendar is refused",
    ),
    "well-known": (
        "unknown",
        "the tester skips /.well-known for 127.0.0.1; tests/dav/test_discovery.py covers it",
    ),
}

# feature -> (the grade observed today, why; see docs/compliance.md)
KNOWN_GAPS: dict[str, tuple[str, str]] = {
    "principal-search": (
        "unsupported",
        "DAV:principal-property-search (RFC 3744 section 9.4) answers an empty 207",
    ),
    "principal-search.by-name.self": ("unsupported", "as principal-search"),
    "principal-search.list-all": ("unsupported", "as principal-search"),
    "sync-token.limit": (
        "unsupported",
        "DAV:limit in sync-collection is ignored (allowed by RFC 6578)",
    ),
    "sync-token.limit.initial-sync": ("unsupported", "as sync-token.limit"),
    "search.recurrences.expanded.todo": (
        "unsupported",
        "Radicale expands only VEVENTs in calendar-data/expand",
    ),
}

GOOD = {"full", "True"}


@dataclass
class CheckerRun:
    """What one run of every check found: feature -> grade, and the details per feature."""

    grades: dict[str, str]
    details: dict[str, Any]
    version: str

    def describe(self, feature: str) -> str:
        return (
            f"{feature}: {self.grades.get(feature, 'not reported')} {self.details.get(feature, '')}"
        )


def _client(server: Server, login: str) -> caldav.DAVClient:
    client = caldav.DAVClient(
        url=server.url + "/",
        username=login,
        password=PASSWORD,
        timeout=60,
        enable_rfc6764=False,
    )
    client.session.trust_env = False  # no proxy between us and 127.0.0.1
    return client


def _run_tester(server: Server) -> CheckerRun:
    # A second account, of another domain, for the scheduling checks (RFC 6638 is between people).
    client, attendee = (
        _client(server, server.new_user()),
        _client(server, server.new_user("sud.org")),
    )
    with client, attendee:
        checker = ServerQuirkChecker(client, extra_clients=[attendee])
        try:
            checker.check_all()
        finally:
            checker.cleanup(force=True)
        found = checker.features_checked
        details = found.dotted_feature_set_list(compact=False)
        grades = {feature: str(found.is_supported(feature, str)) for feature in details}
    return CheckerRun(grades, details, importlib.metadata.version("caldav-server-tester"))


@pytest.fixture(scope="module")
def tester_run(server: Server) -> Iterator[CheckerRun]:
    """One full run of the tester per backend (a few seconds)."""
    run = _run_tester(server)
    assert run.grades, "caldav-server-tester reported nothing"
    yield run


def _context(run: CheckerRun) -> str:
    note = "" if run.version == RECORDED_WITH else f" (recorded with {RECORDED_WITH})"
    return f"caldav-server-tester {run.version}{note}"


def test_server_logged_no_error(server: Server, tester_run: CheckerRun) -> None:
    errors = [
        line
        for line in server.read_log().splitlines()
        if "[ERROR]" in line or "[CRITICAL]" in line or "Traceback" in line
    ]
    assert not errors, "the tester's requests made the server log errors:\n" + "\n".join(errors)


def test_supported_features_do_not_regress(tester_run: CheckerRun) -> None:
    regressed = [
        tester_run.describe(f) for f in sorted(SUPPORTED) if tester_run.grades.get(f) not in GOOD
    ]
    assert not regressed, f"{_context(tester_run)}: no longer supported:\n" + "\n".join(regressed)


def test_deliberate_behaviour_is_unchanged(tester_run: CheckerRun) -> None:
    changed = [
        f"{tester_run.describe(f)} (expected {grade}: {why})"
        for f, (grade, why) in sorted(AS_DESIGNED.items())
        if tester_run.grades.get(f) != grade
    ]
    assert not changed, f"{_context(tester_run)}: behaviour changed:\n" + "\n".join(changed)


def test_known_gaps_and_classification_are_up_to_date(tester_run: CheckerRun) -> None:
    problems = []
    for feature, (grade, why) in sorted(KNOWN_GAPS.items()):
        observed = tester_run.grades.get(feature)
        if observed in GOOD:
            problems.append(
                f"fixed, move it to SUPPORTED and update docs/compliance.md: {feature} ({why})"
            )
        elif observed != grade:
            problems.append(
                f"known gap graded differently, was {grade}: {tester_run.describe(feature)}"
            )
    classified = SUPPORTED | AS_DESIGNED.keys() | KNOWN_GAPS.keys()
    problems += [
        f"not classified in this test: {tester_run.describe(f)}"
        for f in sorted(tester_run.grades.keys() - classified)
    ]
    assert not problems, f"{_context(tester_run)}:\n" + "\n".join(problems)
