"""davshare only: the same reads as the owner, as a group member and as a read sharee (issue 7).

Issue 7's target: group rules and sharing add at most 20 % to any read. On each
davshare server the benchmark's account (the **owner**) creates the group
``bench``, adds the second account as a member, loads the group's address book
with the same contacts through its own mount (one PUT per contact, within the
import budget) and shares its personal address book with the second account,
read only. The same reads are then timed through four views:

- **owner**: the owner on its own address book (``/bench@example.com/contacts/``),
  the baseline of the ratios;
- **admin**: the owner, the group's admin, on its mount of the group's book
  (``/bench@example.com/contacts@bench/``): what a mount costs without member rules;
- **member**: the second account on its mount of the group's book
  (``/member@example.com/contacts@bench/``);
- **sharee**: the second account on the owner's book shared with it read only
  (``/member@example.com/contacts~bench@example.com/``). Redaction applies to
  calendars only (private events), so for contacts this is the cost of resolving
  and checking the share.

Stock Radicale has neither groups nor shares: these workloads are skipped for it.
"""

import json
import random
from dataclasses import dataclass

from bench import dav, load
from bench.data import Item
from bench.servers import LOGIN, MEMBER_LOGIN, MEMBER_PASSWORD, PASSWORD
from bench.workloads import CONTACTS, HOME, Run, Sample, Target, timed

API = "/.davshare/api/v1"
GROUP = "bench"
MEMBER_HOME = f"/{MEMBER_LOGIN}/"
ADMIN_MOUNT = HOME + f"contacts@{GROUP}/"
MEMBER_MOUNT = MEMBER_HOME + f"contacts@{GROUP}/"
SHARE_MOUNT = MEMBER_HOME + f"contacts~{LOGIN}/"
VIEWS = ("owner", "admin", "member", "sharee")
_JSON = {"Content-Type": "application/json"}


@dataclass
class View(Target):
    """One server read through one view: whose login, which path, which book it shows.

    ``book`` is shared between the views of the same collection (owner and sharee;
    admin and member); changes are made by the collection's owner (``edit_path``).
    """

    view: str = "owner"
    login: str = LOGIN
    password: str = PASSWORD
    path: str = CONTACTS
    edit_path: str = CONTACTS

    def __post_init__(self) -> None:
        self.client = dav.Client(self.server.url, self.login, self.password)
        self.editor = dav.Client(self.server.url, LOGIN, PASSWORD)


def _api(client: dav.Client, method: str, path: str, body: dict[str, str], expect: int) -> None:
    client.request(method, API + path, json.dumps(body), (expect,), **_JSON)


def prepare(
    t: Target, contacts: list[Item], budget: float, progress: load.Progress
) -> tuple[list[View], load.ImportResult]:
    """Group, member, group book and share on one davshare server; its four views."""
    member = dav.Client(t.server.url, MEMBER_LOGIN, MEMBER_PASSWORD)
    member.propfind(MEMBER_HOME, "<D:resourcetype/>", "1")  # the first login creates its home
    member.close()
    _api(t.client, "POST", "/groups", {"name": GROUP}, 201)
    _api(t.client, "POST", f"/groups/{GROUP}/members", {"login": MEMBER_LOGIN}, 200)
    _api(t.client, "PUT", f"/collections/contacts/shares/{MEMBER_LOGIN}", {"rights": "read"}, 200)
    group_book: dict[str, str] = {}
    # A group's collection cannot be replaced by one PUT: if the budget stops the
    # import, the group's book stays partial (its figures are then marked).
    done = load.import_sequential(t, contacts, budget, progress, ADMIN_MOUNT, group_book)
    views = [
        View(f"{t.name}:owner", t.server, t.book, view="owner"),
        View(
            f"{t.name}:admin",
            t.server,
            group_book,
            view="admin",
            path=ADMIN_MOUNT,
            edit_path=ADMIN_MOUNT,
        ),
        View(
            f"{t.name}:member",
            t.server,
            group_book,
            view="member",
            path=MEMBER_MOUNT,
            edit_path=ADMIN_MOUNT,
            login=MEMBER_LOGIN,
            password=MEMBER_PASSWORD,
        ),
        View(
            f"{t.name}:sharee",
            t.server,
            t.book,
            view="sharee",
            path=SHARE_MOUNT,
            login=MEMBER_LOGIN,
            password=MEMBER_PASSWORD,
        ),
    ]
    return views, done


def _in_book(v: View, run: Run) -> list[Item]:
    """The dataset's contacts present in the view's book (all, unless an import stopped short)."""
    return [item for item in run.data.contacts if item.href in v.book]


def get_contact(v: View, run: Run, rng: random.Random) -> Sample:
    """GET one contact picked at random."""
    item = rng.choice(_in_book(v, run))
    seconds, response = timed(lambda: v.client.request("GET", v.path + item.href))
    return Sample(seconds, int("UID:" in response.text), 1)


def propfind_depth1(v: View, run: Run, rng: random.Random) -> Sample:
    """PROPFIND Depth 1 on the address book, getetag only."""
    seconds, response = timed(lambda: v.client.propfind(v.path, "<D:getetag/>", "1"))
    return Sample(seconds, len(dav.responses(response)) - 1, len(v.book))


def query_email_domain(v: View, run: Run, rng: random.Random) -> Sample:
    """addressbook-query: EMAIL contains one employer's domain (about 1 % of the book)."""
    body = dav.addressbook_query_body("EMAIL", "@" + run.domain)
    seconds, response = timed(lambda: v.client.report(v.path, body))
    needle = "@" + run.domain.lower()
    expected = sum(
        any(line.startswith("EMAIL") and needle in line.lower() for line in text.split("\r\n"))
        for text in v.book.values()
    )
    return Sample(seconds, len(dav.ok_hrefs(response)), expected)


def sync_initial(v: View, run: Run, rng: random.Random) -> Sample:
    """sync-collection with no token: every href and etag of the book."""
    seconds, response = timed(lambda: v.client.report(v.path, dav.sync_body(), depth="0"))
    v.sync_token = dav.sync_token(response)
    return Sample(seconds, len(dav.ok_hrefs(response)), len(v.book))


def _edit(v: View, href: str, note: str) -> None:
    """The owner (the admin for the group's book) changes the note of a contact."""
    head, _, tail = v.book[href].partition("NOTE:")
    new_text = head + f"NOTE:{note}\r\n" + tail.split("\r\n", 1)[1]
    v.editor.put(v.edit_path + href, new_text, expect=(204, 201))
    v.book[href] = new_text


def sync_incremental(v: View, run: Run, rng: random.Random) -> Sample:
    """sync-collection after 10 changes (untimed: catching up from the last token, the changes).

    Views share books, so each first syncs untimed to see exactly its own 10 changes.
    """
    body = dav.sync_body(v.sync_token)  # no token yet: an initial sync
    v.sync_token = dav.sync_token(v.client.report(v.path, body, depth="0"))
    changed = rng.sample(_in_book(v, run), min(10, len(v.book)))
    for item in changed:
        _edit(v, item.href, f"changed {rng.random()}")
    body = dav.sync_body(v.sync_token)
    seconds, response = timed(lambda: v.client.report(v.path, body, depth="0"))
    v.sync_token = dav.sync_token(response)
    return Sample(seconds, len(dav.ok_hrefs(response)), len(changed))


# key -> function, in the order they run; the labels are report.ACCESS_LABELS.
READS = {
    "get_contact": get_contact,
    "propfind_depth1": propfind_depth1,
    "query_email_domain": query_email_domain,
    "sync_initial": sync_initial,
    "sync_incremental": sync_incremental,
}
REPEAT = {"get_contact": 5}
