"""The rules as pure functions (davshare.policy)."""

import pytest

from davshare.core import policy

ALICE = policy.Requester("alice@example.com")
BOB = policy.Requester("bob@example.org")
ALICES_BOOK = policy.CollectionFacts(path="alice@example.com/contacts", owner="alice@example.com")


@pytest.mark.parametrize(
    ("requester", "read", "add", "edit", "delete"),
    [
        (ALICE, True, True, True, True),
        (BOB, False, False, False, False),
        (policy.Requester(""), False, False, False, False),
    ],
)
def test_owner_does_everything_others_nothing(requester, read, add, edit, delete):
    assert policy.can_read(requester, ALICES_BOOK) is read
    assert policy.can_add(requester, ALICES_BOOK) is add
    assert (
        policy.can_edit(requester, ALICES_BOOK, policy.ItemFacts(creator="alice@example.com"))
        is edit
    )
    assert (
        policy.can_delete(requester, ALICES_BOOK, policy.ItemFacts(creator="alice@example.com"))
        is delete
    )


def test_owner_privileges_are_listed_explicitly():
    assert policy.collection_privileges(ALICE, ALICES_BOOK) == {
        policy.Privilege.READ,
        policy.Privilege.WRITE_PROPERTIES,
        policy.Privilege.WRITE_CONTENT,
        policy.Privilege.BIND,
        policy.Privilege.UNBIND,
        policy.Privilege.WRITE,
    }


def test_unknown_requester_gets_nothing():
    assert policy.collection_privileges(BOB, ALICES_BOOK) == frozenset()


@pytest.mark.parametrize(
    ("door", "two_factors_on", "dav_needs_app_passwords", "refusal"),
    [
        ("web", True, True, ""),  # the web pages ask for the second factor instead
        ("dav", False, False, ""),
        ("api", False, True, ""),  # the DAV switch leaves API scripts alone
        ("dav", False, True, "dav_needs_app_passwords"),
        ("dav", True, False, "two_factors"),
        ("api", True, False, "two_factors"),
    ],
)
def test_account_password_refused_where_app_passwords_are_needed(
    door, two_factors_on, dav_needs_app_passwords, refusal
):
    assert policy.account_password_refusal(door, two_factors_on, dav_needs_app_passwords) == refusal


def test_an_app_password_manages_no_sign_in_credentials():
    assert policy.may_manage_sign_in(policy.Requester("a@example.com"))
    assert not policy.may_manage_sign_in(
        policy.Requester("a@example.com", via_app_password="Phone")
    )
