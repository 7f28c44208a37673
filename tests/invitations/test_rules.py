"""The rules of invitations, the directory and plans as pure functions (davshare.policy)."""

import pytest

from davshare.core import policy

DAY = 86_400


@pytest.mark.parametrize(
    ("window_start", "sends", "now", "allowed"),
    [(0, 1, 10, True), (0, 3, 10, False), (0, 3, DAY, True), (0, 2, DAY - 1, True)],
)
def test_g3_sends_per_day(window_start, sends, now, allowed):
    assert policy.may_send_again(window_start, sends, now, per_day=3) is allowed


@pytest.mark.parametrize(
    ("name", "criteria", "refused"),
    [
        ("sales", {"activity": "professional"}, False),
        ("x-sal-1", {"language": "fr"}, False),
        ("sa", {"activity": "professional"}, True),
        ("s-a-l", {"sector": "x"}, True),
        ("sales", {}, True),
        ("sales", {"sector": "  "}, True),
        ("", {"activity": "professional", "sector": "education"}, False),
        ("", {"language": "fr"}, True),
        ("  ", {"activity": "personal", "language": "fr"}, False),
    ],
)
def test_g12_three_letters_and_two_criteria(name, criteria, refused):
    assert (policy.directory_query_problem(name, criteria) is not None) is refused


@pytest.mark.parametrize(
    ("published", "open_", "mode"),
    [
        (False, False, policy.JoinMode.INVITATION_ONLY),
        (False, True, policy.JoinMode.INVITATION_ONLY),
        (True, False, policy.JoinMode.REQUEST),
        (True, True, policy.JoinMode.AT_ONCE),
    ],
)
def test_g12_join_modes(published, open_, mode):
    assert policy.join_mode(published, open_) == mode


@pytest.mark.parametrize(
    ("limit", "wanted", "fits"), [(None, 10**9, True), (2, 2, True), (2, 3, False)]
)
def test_a4_within_a_cap(limit, wanted, fits):
    assert policy.within(limit, wanted) is fits


def test_mail_retry_grows_and_is_capped():
    delays = [policy.mail_retry_delay(n) for n in range(1, 15)]
    assert delays == sorted(delays) and delays[0] == 10 and delays[-1] == 3600
