"""Guessing passwords (issue 15 §4), measured: how many passwords an attacker gets checked
before and after the protection, and the real user, from another address, still signing in.

Counts, never times: a guess is "checked" when the server answers 401 (it compared the
password), "refused" when it answers 429 without comparing. The attacker and the owner
come from different local addresses (127.0.0.1 and 127.0.0.2 both reach the server), or
through a trusted proxy's X-Forwarded-For.
"""

import time
from collections.abc import Iterator

import pytest
import requests

from tests.support.api import PREFIX
from tests.support.server import PASSWORD, Server, session_from

ATTACKER, OWNER = "127.0.0.1", "127.0.0.2"
MINUTE = 60


@pytest.fixture(scope="module")
def unprotected() -> Iterator[Server]:
    """``[auth] delay = 0``: failures counted, never refused (what guessing meets without)."""
    instance = Server(auth_delay="0").start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def protected() -> Iterator[Server]:
    """The default ``[auth] delay = 1``."""
    instance = Server(auth_delay="1").start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def strict() -> Iterator[Server]:
    """``[auth] delay = 20``: refusals that outlast a slow machine's guesses."""
    instance = Server(auth_delay="20").start()
    yield instance
    instance.stop()


def _guess(session: requests.Session, server: Server, login: str, n: int) -> int:
    answer = session.request(
        "PROPFIND", server.url + "/", auth=(login, f"guess {n}"), headers={"Depth": "0"}
    )
    assert answer.status_code in (401, 429), answer.text
    return answer.status_code


def _attack(
    server: Server, login: str, tries: int, seconds: float, pause: float
) -> tuple[int, int]:
    """(passwords checked, guesses refused) of at most ``tries`` guesses in ``seconds``."""
    attacker = session_from(ATTACKER)
    checked = refused = 0
    started = time.monotonic()
    for n in range(tries):
        if time.monotonic() - started > seconds:
            break
        if _guess(attacker, server, login, n) == 401:
            checked += 1
        else:
            refused += 1
        time.sleep(pause)
    return checked, refused


def _owner_signs_in(server: Server, login: str, address: str = OWNER) -> int:
    answer = session_from(address, login).request("PROPFIND", server.url + "/")
    return answer.status_code


@pytest.mark.slow
def test_guesses_per_minute_before_and_after(unprotected: Server, protected: Server) -> None:
    victim = unprotected.new_user()
    started = time.monotonic()
    before, _ = _attack(unprotected, victim, 100, MINUTE, 0)
    rate_before = before * MINUTE / (time.monotonic() - started)
    assert before == 100  # every guess compared, as fast as the server hashes
    victim = protected.new_user()
    after, refused = _attack(protected, victim, 100_000, MINUTE, 0.05)
    # 5 free failures, then refusals of 1, 2, 4, 8, 16, 32 s: at most 6 more in a minute.
    assert after <= 5 + 6 + 1
    assert refused > after
    print(
        f"\nguesses per minute on one login from one address: unprotected {rate_before:.0f} "
        f"(100 checked), protected {after} checked and {refused} refused in a minute"
    )
    assert _owner_signs_in(protected, victim) == 207  # the owner, elsewhere, is let in
    assert _owner_signs_in(protected, victim, ATTACKER) == 429  # the attacker's address is not


def test_the_owner_is_never_locked_out_by_guesses_from_another_address(strict: Server) -> None:
    victim = strict.new_user()
    checked, refused = _attack(strict, victim, 12, MINUTE, 0)
    assert checked == 6 and refused == 6
    assert _owner_signs_in(strict, victim) == 207
    wrong_once = session_from(OWNER, victim, "the owner mistypes")
    assert wrong_once.request("PROPFIND", strict.url + "/").status_code == 401
    assert _owner_signs_in(strict, victim) == 207


def test_many_addresses_guessing_one_login_get_fewer_free_guesses(strict: Server) -> None:
    victim = strict.new_user()
    per_address = {}
    for host in range(10, 40):  # 30 addresses, 4 guesses each
        session = session_from(f"127.0.0.{host}")
        per_address[host] = [_guess(session, strict, victim, n) for n in range(4)]
    checked = sum(codes.count(401) for codes in per_address.values())
    print(f"\n30 addresses x 4 guesses on one login: {checked} of 120 checked")
    assert all(codes == [401] * 4 for codes in list(per_address.values())[:5])
    # from the 6th address on (20 failures of the login), one free failure per address
    assert all(codes == [401, 401, 429, 429] for codes in list(per_address.values())[5:])
    assert _owner_signs_in(strict, victim) == 207


def test_one_address_spraying_many_logins_is_refused_for_a_while(strict: Server) -> None:
    sprayer, checked = session_from("127.0.0.50"), 0
    for n in range(70):
        checked += _guess(sprayer, strict, f"nobody{n}@example.com", n) == 401
    print(f"\none address, 70 logins: {checked} checked")
    assert checked == 51  # 50 free for an address, then refused for 20 s, 40 s...
    someone = strict.new_user()
    assert _owner_signs_in(strict, someone, "127.0.0.50") == 429
    assert _owner_signs_in(strict, someone) == 207


def test_failures_count_across_doors_and_processes(strict: Server) -> None:
    second = Server(strict.database_url, auth_delay="20").start()  # another process, same DB
    try:
        victim, session = strict.new_user(), session_from("127.0.0.60")
        wrong = {"login": victim, "password": "wrong one"}
        assert session.post(strict.url + PREFIX + "/session", json=wrong).status_code == 401
        assert session.get(strict.url + PREFIX + "/me", auth=(victim, "x")).status_code == 401
        for n in range(4):  # DAV, on the other process: the fifth failure is still free
            assert _guess(session, second, victim, n) == 401
        assert _owner_signs_in(second, victim, "127.0.0.60") == 429
        assert _owner_signs_in(strict, victim, "127.0.0.60") == 429
        answer = session.post(
            strict.url + PREFIX + "/session", json={**wrong, "password": PASSWORD}
        )
        assert answer.status_code == 429
        assert _owner_signs_in(second, victim) == 207
    finally:
        second.stop()


def test_a_trusted_proxy_s_forwarded_address_is_the_one_counted() -> None:
    behind = Server(auth_delay="1", server__trusted_proxy=ATTACKER).start()
    try:
        victim = behind.new_user()
        attacker = session_from(ATTACKER)
        attacker.headers["X-Forwarded-For"] = "203.0.113.7"
        codes = [_guess(attacker, behind, victim, n) for n in range(8)]
        assert codes[-1] == 429
        owner = session_from(ATTACKER, victim, PASSWORD)
        owner.headers["X-Forwarded-For"] = "198.51.100.20"
        assert owner.request("PROPFIND", behind.url + "/").status_code == 207
        # not from the proxy: X-Forwarded-For is not believed, the address is the socket's
        elsewhere = session_from(OWNER, victim, PASSWORD)
        elsewhere.headers["X-Forwarded-For"] = "203.0.113.7"
        assert elsewhere.request("PROPFIND", behind.url + "/").status_code == 207
    finally:
        behind.stop()
