"""Sign-in and devices in the browser (issue 15 §2, §3, §5): an app password made and
revoked, two-factor sign-in turned on with a code computed here, then a sign-in with it;
recent sign-ins listed."""

import re
import time
import uuid

import pyotp
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.server import PASSWORD, Server
from tests.web.conftest import make_account, new_page, shot, sign_in


def _person(server: Server) -> str:
    return make_account(server, f"claire.{uuid.uuid4().hex[:6]}@example.com", "Claire Martin")


def _signed_in_security_page(
    server: Server, browser: Browser, contexts: list[BrowserContext]
) -> tuple[str, Page]:
    """A new person signed in, on their Sign-in and devices page (reached from the profile)."""
    login = _person(server)
    context, page = new_page(browser, server)
    contexts.append(context)
    sign_in(page, login)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name=re.compile("Sign-in and devices")).click()
    page.get_by_role("heading", level=1, name="Sign-in and devices").wait_for()
    return login, page


def test_an_app_password_made_on_the_page_works_for_dav_and_is_revoked_there(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    login, page = _signed_in_security_page(web_server, browser, contexts)
    page.get_by_label("Device").fill("Phone")
    page.get_by_role("button", name="Create an app password").click()
    secret = page.locator(".shown-once pre.secret")
    expect(secret).to_have_text(re.compile(r"^([a-z2-9]{4}-){5}[a-z2-9]{4}$"))
    password = secret.inner_text()
    shot(page, "security-app-password")
    dav = requests.request("PROPFIND", f"{web_server.url}/{login}/", auth=(login, password))
    assert dav.status_code == 207
    page.reload()
    row = page.locator("#app-passwords tbody tr", has_text="Phone")
    expect(row).to_have_count(1)
    expect(row).not_to_contain_text("never")  # its last use is listed
    expect(page.locator("#sign-ins tbody")).to_contain_text("calendar and contacts app")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("No app passwords yet.")).to_be_visible()
    dav = requests.request("PROPFIND", f"{web_server.url}/{login}/", auth=(login, password))
    assert dav.status_code == 401


def test_two_factors_turned_on_in_the_page_then_asked_at_sign_in(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    login, page = _signed_in_security_page(web_server, browser, contexts)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    key = page.locator("#two-factors code.secret").inner_text()
    totp = pyotp.TOTP(key)
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Confirm and turn on").click()
    codes = page.locator(".shown-once pre.secret")
    expect(codes).to_be_visible()
    assert len(codes.inner_text().split()) == 10
    expect(page.get_by_text(re.compile("10 recovery code"))).to_be_visible()
    shot(page, "security-two-factors")

    fresh, again = new_page(browser, web_server)
    contexts.append(fresh)
    again.goto("/")
    again.get_by_label("Login", exact=True).fill(login)
    again.get_by_label("Password", exact=True).fill(PASSWORD)
    again.get_by_role("button", name="Sign in").click()
    expect(again.get_by_role("alert")).to_contain_text("6-digit code")
    again.get_by_label("Code").fill(totp.at(time.time() + 30))  # the first one is used
    again.get_by_role("button", name="Sign in").click()
    again.get_by_role("heading", level=1, name=re.compile("address books")).wait_for()
