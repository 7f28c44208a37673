"""A mixed DAV load of several clients on one address book, run in threads until stopped,
remembering every answer: what the outage and pooling tests check afterwards."""

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import requests

from tests.support.dav import propfind, put, sync_collection, vcard

_SYNC = (
    '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:">'
    "<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>"
    "<D:prop><D:getetag/></D:prop></D:sync-collection>"
)
_QUERY = (
    '<?xml version="1.0"?><C:addressbook-query xmlns:D="DAV:" '
    'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>'
    '<C:filter><C:prop-filter name="FN"><C:text-match>Writer</C:text-match>'
    "</C:prop-filter></C:filter></C:addressbook-query>"
)


@dataclass
class Answer:
    """One request of the load and what it was answered."""

    method: str
    url: str
    status: int
    retry_after: str = ""
    text: str = ""  # the vCard a PUT sent
    etag: str = ""  # the ETag a PUT was answered with


@dataclass
class MixedLoad:
    """``clients`` threads on ``book``, each in turn: PUT a new contact, PROPFIND Depth 1,
    sync-collection REPORT, addressbook-query REPORT, GET of its last contact."""

    session: requests.Session
    book: str
    clients: int = 4
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "MixedLoad":
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
        return self.answers

    def count(self, status: int) -> int:
        with self._lock:
            return sum(1 for a in self.answers if a.status == status)

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)

    def _client(self, number: int) -> None:
        session = requests.Session()
        session.auth = self.session.auth
        last = ""
        for i in itertools.count():
            if self._stop.is_set():
                return
            url = f"{self.book}c{number}-{i}.vcf"
            text = vcard(f"c{number}-{i}", f"Writer {number} {i}", email=f"c{number}.{i}@e.org")
            written = self._call("PUT", url, text, put, session, url, text)
            self._call("PROPFIND", self.book, "", propfind, session, self.book, "<D:getetag/>", "1")
            self._call("REPORT", self.book, "", _report, session, self.book, _SYNC.format(token=""))
            self._call("REPORT", self.book, "", _report, session, self.book, _QUERY)
            if last:
                self._call("GET", last, "", session.get, last)
            if 200 <= written < 300:
                last = url  # the next GET asks for a contact that is there

    def _call(
        self,
        method: str,
        url: str,
        text: str,
        send: Callable[..., requests.Response],
        *args: object,
    ) -> int:
        try:
            got = send(*args)
        except requests.ConnectionError:
            self._record(Answer(method, url, 0))
            return 0
        self._record(
            Answer(
                method,
                url,
                got.status_code,
                got.headers.get("Retry-After", ""),
                text,
                got.headers.get("ETag", "") if method == "PUT" else "",
            )
        )
        return got.status_code


def _report(session: requests.Session, url: str, body: str) -> requests.Response:
    headers = {"Content-Type": "application/xml", "Depth": "1"}
    return session.request("REPORT", url, data=body.encode(), headers=headers)


def missing_writes(session: requests.Session, answers: list[Answer]) -> list[str]:
    """Each 2xx PUT of ``answers`` that is not stored with its content and etag, said why."""
    wrong = []
    for answer in answers:
        if answer.method != "PUT" or not 200 <= answer.status < 300:
            continue
        got = session.get(answer.url)
        uid = next(line for line in answer.text.splitlines() if line.startswith("UID:"))
        if got.status_code != 200 or uid not in got.text:
            wrong.append(f"{answer.url}: {got.status_code}")
        elif answer.etag and got.headers.get("ETag") != answer.etag:
            wrong.append(f"{answer.url}: etag {got.headers.get('ETag')} != {answer.etag}")
    return wrong


def wrong_failed_writes(session: requests.Session, answers: list[Answer]) -> list[str]:
    """Each PUT of ``answers`` that failed (no 2xx) yet is stored otherwise than sent: a
    failed write must be absent, or present with exactly the content sent."""
    wrong = []
    for answer in answers:
        if answer.method != "PUT" or 200 <= answer.status < 300:
            continue
        got = session.get(answer.url)
        if got.status_code == 404:
            continue
        stored = set(got.text.replace("\r\n", "\n").splitlines())
        if got.status_code != 200 or not set(answer.text.splitlines()) <= stored:
            wrong.append(f"{answer.url} (answered {answer.status}): stored {got.status_code}")
    return wrong


def check_sync_after(
    session: requests.Session, book: str, token: str, answers: list[Answer]
) -> None:
    """An incremental sync from ``token`` (taken before ``answers``) is accepted and returns
    exactly the changes: every 2xx PUT, and of the failed ones at most those stored; a
    second sync from the new token returns nothing."""
    new_token, changed = sync_collection(session, book, token)
    assert new_token and new_token != token, (token, new_token)
    puts = [a for a in answers if a.method == "PUT"]
    stored = {unquote(urlsplit(a.url).path) for a in puts if 200 <= a.status < 300}
    tried = {unquote(urlsplit(a.url).path) for a in puts}
    synced = {unquote(href) for href in changed}
    assert stored <= synced <= tried, (sorted(stored - synced), sorted(synced - tried))
    assert all("200" in status for status in changed.values()), changed
    again, nothing = sync_collection(session, book, new_token)
    assert nothing == {} and again == new_token, nothing


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 180) -> None:
    """Wait for ``condition`` (a progress wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def check_outage_answers(server_log: str, session: requests.Session, answers: list[Answer]) -> None:
    """What a database outage under load may answer: never 500 nor a broken connection,
    503 always with Retry-After, nothing in the access log answered 500, no 2xx write lost."""
    statuses = Counter(a.status for a in answers)
    assert statuses[500] == 0 and statuses[0] == 0, statuses
    assert set(statuses) <= {200, 201, 207, 503}, statuses
    assert all(a.retry_after.isdigit() for a in answers if a.status == 503)
    assert '" 500 ' not in server_log  # the access log: no request answered 500
    assert missing_writes(session, answers) == []
