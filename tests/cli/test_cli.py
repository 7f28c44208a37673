"""The server admin's command line: accounts and domains (issue 2 §3)."""


def test_a1_domains_and_accounts_lifecycle(davshare, tmp_path):
    assert davshare("domain", "add", "Example.COM").stdout == "domain example.com added\n"
    added = davshare(
        "user",
        "add",
        "Gilles@Example.com",
        "--name",
        "Gilles Buisson",
        "--password-stdin",
        stdin="s3cret-enough\n",
    )
    assert added.returncode == 0, added.stderr
    assert "gilles@example.com" in added.stdout
    assert (tmp_path / "data" / "davshare.sqlite3").exists()
    listing = davshare("user", "list").stdout
    assert "gilles@example.com\tadd_delete\tenabled\tGilles Buisson" in listing
    assert davshare("user", "disable", "gilles@example.com").returncode == 0
    assert "disabled: True" in davshare("user", "show", "gilles@example.com").stdout
    assert davshare("user", "enable", "gilles@example.com").returncode == 0
    assert davshare("user", "set-profile", "gilles@example.com", "read_only").returncode == 0
    assert "profile: read_only" in davshare("user", "show", "gilles@example.com").stdout
    assert (
        davshare(
            "user", "passwd", "gilles@example.com", "--password-stdin", stdin="another-one\n"
        ).returncode
        == 0
    )
    assert "example.com\t1 account(s)" in davshare("domain", "list").stdout


def test_errors_are_one_clear_line_and_exit_1(davshare):
    davshare("domain", "add", "example.com")
    cases = [
        (
            ("user", "add", "nobody@unknown.org", "--password-stdin"),
            "long enough pw",
            "domain add unknown.org",
        ),
        (("user", "add", "not-a-login", "--password-stdin"), "long enough pw", "not a valid login"),
        (
            ("user", "add", "short@example.com", "--password-stdin"),
            "short",
            "at least 8 characters",
        ),
        (("user", "show", "ghost@example.com"), "", "no account ghost@example.com"),
        (("domain", "add", "not a domain"), "", "not a valid mail domain"),
    ]
    for args, password, message in cases:
        result = davshare(*args, stdin=password + "\n")
        assert result.returncode == 1, args
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_delete_needs_confirmation_and_domain_with_accounts_stays(davshare):
    davshare("domain", "add", "example.com")
    davshare("user", "add", "ann@example.com", "--password-stdin", stdin="long enough pw\n")
    refused = davshare("domain", "remove", "example.com")
    assert refused.returncode == 1 and "still has 1 account" in refused.stderr
    unconfirmed = davshare("user", "delete", "ann@example.com")
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    assert davshare("user", "delete", "ann@example.com", "--yes").returncode == 0
    assert davshare("user", "list").stdout == ""
    assert davshare("domain", "remove", "example.com").returncode == 0


def test_password_is_never_taken_from_the_command_line(davshare):
    result = davshare("user", "add", "x@example.com", "--password", "hunter22")
    assert result.returncode == 2


def test_without_terminal_or_stdin_flag_the_password_is_refused(davshare):
    davshare("domain", "add", "example.com")
    result = davshare("user", "add", "ann@example.com")
    assert result.returncode == 1
    assert "--password-stdin" in result.stderr


def test_g4_user_edit_and_a1_domain_rules(davshare, tmp_path):
    davshare("domain", "add", "example.com")
    davshare("user", "add", "ann@example.com", "--password-stdin", stdin="long enough pw\n")
    photo = tmp_path / "ann.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    edited = davshare(
        "user",
        "edit",
        "ann@example.com",
        "--given-name",
        "Ann",
        "--org",
        "Acme",
        "--photo",
        str(photo),
    )
    assert edited.returncode == 0, edited.stderr
    assert "given_name, organisation, photo" in edited.stdout
    bad = davshare("user", "edit", "ann@example.com", "--photo", str(tmp_path / "ann.bmp"))
    assert bad.returncode == 1 and ".png" in bad.stderr
    assert (
        davshare("domain", "restrict", "example.com", "--share-with", "partner.org").returncode == 0
    )
    assert "example.com\tshares only with\tpartner.org" in davshare("domain", "rules").stdout
    davshare("domain", "restrict", "example.com")
    assert davshare("domain", "rules").stdout == ""
