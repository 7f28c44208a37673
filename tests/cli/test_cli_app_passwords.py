"""``davshare app-password …``, ``two-factors off`` and ``sign-ins`` (issue 15 §2, §3, §5)."""

import pyotp
import pytest

from davshare.core import context
from davshare.model import accounts, two_factors
from davshare.model.db import engine_for


@pytest.fixture
def admin(davshare):
    """The command on data with a domain and one account."""
    davshare("domain", "add", "example.com")
    davshare("user", "add", "gilles@example.com", "--password-stdin", stdin="long enough pw\n")
    return davshare


def test_app_passwords_on_the_command_line(admin, tmp_path):
    made = admin("app-password", "create", "Gilles@example.com", "Thunderbird at work")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    public_id, password = lines[0].split()[2], lines[1]
    assert password.startswith(public_id + "-") and "not shown again" in made.stdout
    engine = engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}")
    token = context.begin(context.RequestContext())
    try:
        found = accounts.sign_in(engine, "gilles@example.com", password, "dav")
        assert found is not None and found.via_app_password == "Thunderbird at work"
        assert accounts.sign_in(engine, "gilles@example.com", password, "web") is None
    finally:
        context.end(token)
    listed = admin("app-password", "list", "gilles@example.com")
    assert listed.returncode == 0
    assert listed.stdout.startswith(f"{public_id}\tThunderbird at work\tcreated ")
    assert password not in listed.stdout
    again = admin("app-password", "create", "gilles@example.com", "thunderbird at WORK")
    assert again.returncode == 1 and "exists already" in again.stderr
    assert "Traceback" not in again.stderr
    unknown = admin("app-password", "revoke", "gilles@example.com", "zzzz")
    assert unknown.returncode == 1 and "no app password 'zzzz'" in unknown.stderr
    nobody = admin("app-password", "create", "nobody@example.com", "Phone")
    assert nobody.returncode == 1 and "no account nobody@example.com" in nobody.stderr
    revoked = admin("app-password", "revoke", "gilles@example.com", public_id.upper())
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert admin("app-password", "list", "gilles@example.com").stdout == ""


def test_two_factors_off_for_a_lost_phone(admin, tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'data' / 'davshare.sqlite3'}")
    off = admin("two-factors", "off", "gilles@example.com")
    assert off.returncode == 1 and "off already" in off.stderr
    secret, _ = two_factors.begin(engine, "gilles@example.com", "davshare")
    two_factors.confirm(engine, "gilles@example.com", pyotp.TOTP(secret).now())
    assert two_factors.is_on(engine, "gilles@example.com")
    off = admin("two-factors", "off", "gilles@example.com")
    assert off.returncode == 0 and "is off" in off.stdout
    assert not two_factors.is_on(engine, "gilles@example.com")
    assert admin("sign-ins", "gilles@example.com").returncode == 0
