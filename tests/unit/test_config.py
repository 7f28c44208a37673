"""The configuration file: defaults, the documented example, clear errors."""

import configparser
import re
from pathlib import Path

import pytest

from davshare.model.errors import InvalidInput
from davshare.server import config

EXAMPLE = Path(__file__).parents[2] / "config" / "davshare.conf"


def test_defaults_listen_on_loopback_with_sqlite_in_a_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = config.load()
    assert (settings.host, settings.port) == ("127.0.0.1", 5232)
    assert settings.database_url == f"sqlite:///{tmp_path / 'davshare-data' / 'davshare.sqlite3'}"


def test_example_file_documents_every_option_with_its_default():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(EXAMPLE)
    for section, options in config.OPTIONS.items():
        for option, (default, _) in options.items():
            assert parser[section][option] == default, (section, option)
    text = EXAMPLE.read_text()
    for section, options in config.OPTIONS.items():
        for option in options:
            before = text.split(f"\n{option} =")[0].rstrip().splitlines()[-1]
            assert before.startswith("#"), f"[{section}] {option} has no explanation"


def test_relative_data_dir_is_relative_to_the_file(tmp_path):
    path = tmp_path / "conf" / "davshare.conf"
    path.parent.mkdir()
    path.write_text("[storage]\ndata_dir = ../store\n")
    assert config.load(path).data_dir == tmp_path / "store"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[nonsense]\na = 1\n", "unknown section [nonsense]"),
        ("[server]\nprot = 1\n", "unknown option 'prot'"),
        ("[server]\nport = many\n", "port must be a number"),
        ("not an ini file", "cannot read the configuration"),
    ],
)
def test_mistakes_are_reported_clearly(tmp_path, text, message):
    path = tmp_path / "davshare.conf"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=re.escape(message)):
        config.load(path)


def test_migrate_aliases_are_read_and_a_bad_one_is_named(tmp_path):
    path = tmp_path / "davshare.conf"
    path.write_text("[migrate]\naliases = gilles=Gilles@Example.com, anne=anne@example.com\n")
    assert config.load(path).aliases == {"gilles": "gilles@example.com", "anne": "anne@example.com"}
    path.write_text("[migrate]\naliases = gilles\n")
    with pytest.raises(InvalidInput, match="'gilles' is not OLD=NEW"):
        config.load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[auth]\nbackends = local, kerberos\n", "kerberos is not a backend"),
        ("[auth]\nbackends =\n", "empty is not a backend"),
        ("[auth]\nbackends = ldap\n", "set [ldap] url"),
        ("[auth]\nbackends = imap\n", "set [imap] host"),
        ("[auth]\nbackends = htpasswd\n", "set [htpasswd] file"),
        ("[ldap]\nurl = http://x\n", "must start with ldaps:// or ldap://"),
        ("[ldap]\nurl = ldap://x\n", "passwords would cross the network in clear"),
        ("[ldap]\nurl = ldaps://x\nstarttls = maybe\n", "starttls must be true or false"),
        ("[imap]\nsecurity = none\n", "security must be tls or starttls"),
        ("[auth]\nnew_account_profile = boss\n", "new_account_profile must be one of"),
        ("[auth]\ncache_seconds = soon\n", "cache_seconds must be a number"),
    ],
)
def test_sign_in_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "davshare.conf"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=re.escape(message)):
        config.load(path)


def test_sign_in_backends_are_read_in_order_with_files_relative_to_the_config(tmp_path):
    path = tmp_path / "davshare.conf"
    path.write_text(
        "[auth]\nbackends = LDAP, local, htpasswd\n"
        "[ldap]\nurl = ldaps://ldap.example.com\nbase = dc=example,dc=com\nca_file = ca.pem\n"
        "[htpasswd]\nfile = users\ndomain = Example.com\n"
    )
    sign_in = config.load(path).sign_in
    assert sign_in.backends == ("ldap", "local", "htpasswd")
    assert sign_in.external == ("ldap", "htpasswd")
    assert sign_in.ldap.ca_file == str(tmp_path / "ca.pem")
    assert (sign_in.htpasswd.file, sign_in.htpasswd.domain) == (
        str(tmp_path / "users"),
        "example.com",
    )
    path.write_text("")
    assert config.load(path).sign_in.backends == ("local",)


def test_app_password_and_two_factor_switches_are_read_and_a_bad_one_is_named(tmp_path):
    path = tmp_path / "davshare.conf"
    path.write_text("[auth]\n")
    assert not config.load(path).dav_needs_app_passwords  # off by default
    path.write_text("[auth]\ndav_needs_app_passwords = yes\nadmins_need_two_factors = True\n")
    settings = config.load(path)
    assert settings.dav_needs_app_passwords and settings.admins_need_two_factors
    path.write_text("[auth]\nadmins_need_two_factors = sometimes\n")
    with pytest.raises(
        InvalidInput, match=r"\[auth\] admins_need_two_factors must be true or false"
    ):
        config.load(path)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("retention_days", "-1", "[trash] retention_days must be 0 or more"),
        ("history_versions", "many", "[trash] history_versions must be a number"),
        ("guard_share", "2", "[trash] guard_share is between 0 and 1"),
    ],
)
def test_trash_settings_are_checked(tmp_path, option, value, message):
    path = tmp_path / "davshare.conf"
    path.write_text(f"[trash]\n{option} = {value}\n")
    with pytest.raises(InvalidInput, match=re.escape(message)):
        config.load(path)


def test_trash_settings_reach_the_storage(tmp_path):
    path = tmp_path / "davshare.conf"
    path.write_text("[trash]\nretention_days = 7\nhistory_versions = 3\n")
    settings = config.load(path)
    assert settings.kept.trash_days == 7 and settings.kept.versions == 3
    radicale = config.radicale_configuration(settings)
    assert radicale.get("storage", "trash_days") == "7.0"
