"""How long each kind of key is refused after its n-th failure (issue 15 §4)."""

from davshare.model.sign_in_failures import (
    FREE_FAILURES,
    FREE_FAILURES_PER_ADDRESS,
    LOGIN_UNDER_ATTACK,
    MAX_ADDRESS_BLOCK,
    MAX_BLOCK,
    refusal_seconds,
)


def test_a_pair_gets_five_free_failures_then_refusals_doubling_up_to_five_minutes():
    seconds = [refusal_seconds("pair", n, n, 1) for n in range(1, 16)]
    assert seconds[:FREE_FAILURES] == [0] * FREE_FAILURES
    assert seconds[FREE_FAILURES : FREE_FAILURES + 5] == [1, 2, 4, 8, 16]
    assert seconds[-1] == MAX_BLOCK


def test_a_login_is_never_refused_however_many_failures():
    assert {refusal_seconds("login", n, n, 1) for n in range(1, 10_000, 37)} == {0}


def test_a_login_under_attack_leaves_each_pair_one_free_failure():
    assert refusal_seconds("pair", 1, LOGIN_UNDER_ATTACK, 1) == 0
    assert refusal_seconds("pair", 2, LOGIN_UNDER_ATTACK, 1) == 1
    assert refusal_seconds("pair", 2, LOGIN_UNDER_ATTACK - 1, 1) == 0


def test_an_address_gets_fifty_then_refusals_up_to_an_hour():
    assert refusal_seconds("address", FREE_FAILURES_PER_ADDRESS, 0, 1) == 0
    assert refusal_seconds("address", FREE_FAILURES_PER_ADDRESS + 1, 0, 1) == 1
    assert refusal_seconds("address", 10_000, 0, 1) == MAX_ADDRESS_BLOCK


def test_delay_zero_counts_and_never_refuses():
    assert refusal_seconds("pair", 1000, 1000, 0) == 0
    assert refusal_seconds("address", 1000, 0, 0) == 0
