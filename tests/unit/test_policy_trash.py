"""The rules of issue 20 (trash, undo, restores, the activity log) as tables of cases."""

import pytest

from davshare.core import trash_rules
from davshare.core.policy import CollectionFacts, Requester, Role

ALICE = Requester("alice@example.com")
READ_ONLY_BOB = Requester("bob@example.com", profile="read_only")


def _group(role, grants=None):
    return CollectionFacts(
        path="@t/contacts", owner="@t", group="t", role=role, grants=grants or {}
    )


@pytest.mark.parametrize(
    ("requester", "collection", "deleted_by", "allowed"),
    [
        (ALICE, _group(Role.ADMIN), "x@example.com", True),
        (ALICE, _group(Role.COADMIN), "x@example.com", True),
        (ALICE, _group(Role.MEMBER), "x@example.com", False),
        (ALICE, _group(Role.MEMBER), ALICE.login, True),  # their own mistake
        (ALICE, _group(Role.MEMBER, {ALICE.login: "add"}), "x@example.com", True),
        (ALICE, _group(None), ALICE.login, False),  # no longer a member
        (READ_ONLY_BOB, _group(Role.MEMBER), READ_ONLY_BOB.login, False),
        (ALICE, CollectionFacts(path="alice/contacts", owner=ALICE.login), "", True),
        (ALICE, CollectionFacts(path="c/contacts", owner="c", share="read"), ALICE.login, False),
        (ALICE, CollectionFacts(path="c/contacts", owner="c", share="read_write"), "", True),
    ],
)
def test_who_may_restore_a_deleted_item(requester, collection, deleted_by, allowed):
    assert trash_rules.can_restore(requester, collection, deleted_by) is allowed


@pytest.mark.parametrize(
    ("collection", "allowed"),
    [
        (_group(Role.ADMIN), True),
        (_group(Role.COADMIN), True),
        (_group(Role.MEMBER, {ALICE.login: "add_delete"}), False),
        (CollectionFacts(path="alice/contacts", owner=ALICE.login), True),
        (CollectionFacts(path="c/contacts", owner="c", share="read_write_delete"), False),
    ],
)
def test_who_may_undo_a_burst(collection, allowed):
    assert trash_rules.can_undo_burst(ALICE, collection) is allowed


@pytest.mark.parametrize(
    ("owner", "role", "allowed"),
    [
        (ALICE.login, None, True),
        ("carol@example.com", None, False),
        ("@t", Role.ADMIN, True),
        ("@t", Role.COADMIN, True),
        ("@t", Role.MEMBER, False),
    ],
)
def test_who_may_restore_a_collection(owner, role, allowed):
    assert trash_rules.can_restore_collection(ALICE, owner, role) is allowed


@pytest.mark.parametrize(
    ("role", "everything"), [(Role.ADMIN, True), (Role.COADMIN, True), (Role.MEMBER, False)]
)
def test_who_reads_the_whole_activity_log(role, everything):
    assert trash_rules.sees_all_activity(role) is everything


@pytest.mark.parametrize(
    ("last", "now", "same"),
    [(100, 100, True), (100, 220, True), (100, 221, False), (100, 99, False)],
)
def test_a_burst_continues_within_its_window(last, now, same):
    assert trash_rules.same_burst(last, now, 120) is same


@pytest.mark.parametrize(
    ("deleted", "total", "share", "refused"),
    [
        (9, 10, 0.5, False),  # a small book: at least GUARD_MINIMUM deletions always pass
        (10, 10, 0.5, True),
        (11, 24, 0.5, False),
        (12, 24, 0.5, True),
        (500, 500, 0, False),  # 0: the guard is off
    ],
)
def test_a_burst_deleting_a_share_of_a_collection_is_stopped(deleted, total, share, refused):
    assert trash_rules.mass_deletion_refused(deleted, total, share) is refused
