"""Hashes brought from an htpasswd file: checked as they are, replaced by argon2 once right."""

from passlib.hash import apr_md5_crypt, bcrypt, sha256_crypt, sha512_crypt

from davshare.core import passwords
from davshare.migrate.htpasswd import read_htpasswd


def test_every_legacy_scheme_verifies_once_and_asks_for_argon2(tmp_path):
    hashes = {
        "b": bcrypt.using(ident="2y", rounds=4).hash("pw-b"),
        "s5": sha256_crypt.using(rounds=5000).hash("pw-s5"),
        "s6": sha512_crypt.using(rounds=5000).hash("pw-s6"),
        "md5": apr_md5_crypt.hash("pw-md5"),
    }
    for login, stored in hashes.items():
        assert passwords.verify_and_upgrade(login, "wrong", stored) == (False, None)
        valid, new_hash = passwords.verify_and_upgrade(login, f"pw-{login}", stored)
        assert valid and new_hash is not None and new_hash.startswith("$argon2")
        assert passwords.verify_and_upgrade(login + "2", f"pw-{login}", new_hash) == (True, None)


def test_no_password_and_a_broken_hash_never_open(tmp_path):
    assert passwords.verify_and_upgrade("x", "!", "!") == (False, None)
    assert passwords.verify_and_upgrade("x", "", "$6$broken") == (False, None)


def test_htpasswd_plain_entries_are_hashed_and_unknown_schemes_reported(tmp_path):
    path = tmp_path / "users"
    path.write_text(
        "# team\nanne:plain-text-pw\nbruno:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbad line\n"
    )
    found = read_htpasswd(path)
    assert found.plain == {"anne"}
    assert passwords.verify_password("anne", "plain-text-pw", found.hashes["anne"])
    assert "plain-text-pw" not in found.hashes["anne"]
    assert "bruno" not in found.hashes
    assert any("bruno: the hash scheme" in p for p in found.problems)
    assert any("line 4: not login:hash" in p for p in found.problems)
