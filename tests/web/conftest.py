"""The web pages in headless Chromium (Debian's package, driven by Playwright) against a
real server on SQLite that sends its mail to a real SMTP server on 127.0.0.1."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from davshare.model import accounts
from tests.support.mail import Inbox, body, mail_options, smtp
from tests.support.server import PASSWORD, Server

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WEB = "/.davshare/web/"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright itself (no browser downloaded: Debian's chromium is driven)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium; no sandbox when the tests run as root (as in CI containers)."""
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def web_server(smtp: tuple[Inbox, int]) -> Iterator[Server]:
    """A server on SQLite (browser tests are slow: one backend is enough here)."""
    _, port = smtp
    instance = Server(**mail_options(port, "{url}"))  # links lead back to this server
    instance.start()
    yield instance
    instance.stop()


def new_page(browser: Browser, server: Server, **options: object) -> tuple[BrowserContext, Page]:
    """A fresh browser profile (its own cookies) in English, phone- or desk-sized."""
    context = browser.new_context(
        base_url=server.url,
        locale=str(options.pop("locale", "en-GB")),
        viewport=options.pop("viewport", {"width": 1280, "height": 900}),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Script errors and refused resources (CSP) show in the test's output when it fails.
    page.on("pageerror", lambda error: print(f"page error: {error}"))
    page.on(
        "console", lambda m: print(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    return context, page


def sign_in(page: Page, login: str, password: str = PASSWORD) -> None:
    """Open the server's address as a person would, and sign in."""
    page.goto("/")
    page.get_by_label("Login", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name=re.compile("address books")).wait_for()


def shot(page: Page, name: str, full_page: bool = True) -> None:
    """Keep a screenshot of the page as a test artifact (artifacts/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def make_account(server: Server, login: str, name: str, **kwargs: object) -> str:
    """An account with a chosen login (its domain added if needed)."""
    domain = login.split("@")[1]
    if domain not in [d for d, _ in accounts.list_domains(server.engine)]:
        accounts.add_domain(server.engine, domain)
    accounts.add_user(server.engine, login, PASSWORD, display_name=name, **kwargs)  # type: ignore[arg-type]
    return login


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """The browser profiles a test opens, closed after it."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


__all__ = ["Inbox", "body", "smtp"]
