"""Seed 001 done entirely in the browser, then checked over DAV (SPEC G1, G3, R3, R4, R7, S3).

Gilles creates the tech team's group, invites Alexandre and David, sets their rights;
they accept (one from the page's list, one by following the e-mailed link) and add
contacts; a refused edit shows a clear message. Then plain DAV requests see the same
collections and contacts, with the refused change absent.
"""

import re
import xml.etree.ElementTree as ET

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.api import PREFIX, ApiClient
from tests.support.dav import NS, propfind
from tests.support.server import Server
from tests.web.conftest import Inbox, body, make_account, new_page, shot, sign_in

GILLES = "gilles.buisson@namebay.fr"
ALEXANDRE = "alexandre.bernard@namebay.fr"
DAVID = "david.lanteri@namebay.fr"
GROUP = "equipe-tech"


@pytest.fixture(scope="module")
def team(web_server: Server) -> Server:
    make_account(web_server, GILLES, "Gilles Buisson")
    make_account(web_server, ALEXANDRE, "Alexandre Bernard")
    make_account(web_server, DAVID, "David Lanteri")
    return web_server


def open_as(browser: Browser, server: Server, opened: list[BrowserContext]) -> Page:
    context, page = new_page(browser, server)
    opened.append(context)
    return page


def message(page: Page) -> str:
    """The text of the page's live message region once it says something."""
    region = page.locator("#messages")
    expect(region).not_to_be_empty()
    return region.inner_text()


def add_contact(page: Page, given: str, family: str, email: str, city: str) -> None:
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("City").fill(city)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Added")
    expect(page.get_by_role("link", name=f"{given} {family}")).to_be_visible()


def open_group_contacts(page: Page) -> None:
    page.get_by_role("link", name="Collections").click()
    card = page.get_by_role(
        "region", name=re.compile("Contacts.*equipe-tech|equipe-tech.*Contacts")
    )
    card.get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contacts")


def give_right(page: Page, who: str, right: str) -> None:
    form = page.get_by_role("form", name=re.compile(r"Give a right on Contacts"))
    form.get_by_label("Who").select_option(label=who)
    form.get_by_label("Right").select_option(label=right)
    form.get_by_role("button", name="Give").click()
    expect(page.locator("#messages")).to_contain_text(f"{who}: {right}")


def test_seed_001_in_the_browser_then_over_dav(
    team: Server, smtp: tuple[Inbox, int], browser: Browser, contexts: list[BrowserContext]
) -> None:
    inbox, _ = smtp
    server = team

    # -- Gilles creates the team's group and invites his two colleagues ------------------
    gilles = open_as(browser, server, contexts)
    sign_in(gilles, GILLES)
    shot(gilles, "collections")
    gilles.get_by_role("link", name="Groups").click()
    create = gilles.locator("form", has=gilles.get_by_role("heading", name="Create a group"))
    create.get_by_label("Name").fill(GROUP)
    create.get_by_label("Description").fill("Équipe technique")
    create.get_by_role("button", name="Create the group").click()
    expect(gilles.get_by_role("heading", level=1)).to_contain_text(f"Group {GROUP}")
    expect(gilles.locator("#messages")).to_contain_text("is created")
    for address in (ALEXANDRE, DAVID):
        gilles.get_by_label("E-mail address").fill(address)
        gilles.get_by_role("button", name="Send the invitation").click()
        expect(gilles.locator("#messages")).to_contain_text(f"An invitation was sent to {address}")
    pending = gilles.locator("#inv-h").locator("..")
    expect(pending.get_by_text(ALEXANDRE)).to_be_visible()
    expect(pending.get_by_text(DAVID)).to_be_visible()
    shot(gilles, "group-admin")

    # -- Alexandre accepts from his list of invitations ------------------------------------
    alexandre = open_as(browser, server, contexts)
    sign_in(alexandre, ALEXANDRE)
    alexandre.get_by_role("link", name="Groups").click()
    invitation = alexandre.get_by_role("region", name=f"Invitation to the group {GROUP}")
    expect(invitation).to_contain_text(GILLES)
    shot(alexandre, "invitations")
    invitation.get_by_role("button", name="Accept").click()
    expect(alexandre.get_by_role("heading", level=1)).to_contain_text(f"Group {GROUP}")
    expect(alexandre.locator("#messages")).to_contain_text(f"Welcome to {GROUP}")

    # -- David follows the link of his invitation e-mail --------------------------------------
    mail = inbox.wait_for(DAVID)
    link = re.search(r"https?://\S+/invitations/[\w-]+", body(mail))
    assert link, body(mail)
    david = open_as(browser, server, contexts)
    david.goto(link[0])
    expect(david.get_by_role("heading", level=1)).to_have_text("Sign in to davshare")
    david.get_by_label("Login", exact=True).fill(DAVID)
    david.get_by_label("Password", exact=True).fill("wrong password")
    david.get_by_role("button", name="Sign in").click()
    assert "try again" in message(david)  # a failed sign-in says what to do
    david.get_by_label("Password", exact=True).fill("correct horse battery")
    david.get_by_role("button", name="Sign in").click()
    expect(david.get_by_role("heading", level=1)).to_have_text("Groups")
    david.get_by_role("region", name=f"Invitation to the group {GROUP}").get_by_role(
        "button", name="Accept"
    ).click()
    expect(david.get_by_role("heading", level=1)).to_contain_text(f"Group {GROUP}")

    # -- Gilles sets their rights: Alexandre adds and deletes, David adds ---------------------
    gilles.reload()
    expect(
        gilles.get_by_role("cell", name=f"Alexandre Bernard — {ALEXANDRE}").first
    ).to_be_visible()
    give_right(gilles, f"Alexandre Bernard ({ALEXANDRE})", "Add and delete")
    give_right(gilles, f"David Lanteri ({DAVID})", "Add")
    # Only the admin is offered the co-admin and hand-over buttons; members are not.
    expect(gilles.get_by_role("button", name=f"Make co-admin: {DAVID}")).to_be_visible()
    expect(david.get_by_role("button", name=re.compile("Make co-admin"))).to_have_count(0)
    expect(david.get_by_role("button", name="Send the invitation")).to_have_count(0)
    shot(gilles, "group-rights")

    # -- Gilles adds a contact and lets every member modify it (R4) --------------------------------
    open_group_contacts(gilles)
    add_contact(gilles, "Claire", "Martin", "claire.martin@client.fr", "Nice")
    gilles.get_by_role("link", name="Claire Martin").click()
    expect(gilles.get_by_text(f"Created by {GILLES}")).to_be_visible()
    editors = gilles.locator("section", has=gilles.get_by_role("heading", name="Who may modify"))
    editors.get_by_label("Let modify").select_option(value="*")
    editors.get_by_role("button", name="Allow").click()
    expect(gilles.locator("#messages")).to_contain_text("may now modify it")
    shot(gilles, "contact-editors")

    # -- Alexandre and David see it, add their own contacts --------------------------------------
    open_group_contacts(alexandre)
    expect(alexandre.get_by_role("link", name="Claire Martin")).to_be_visible()
    add_contact(alexandre, "Bruno", "Petit", "bruno.petit@client.fr", "Lyon")
    alexandre.get_by_role("link", name="Claire Martin").click()
    alexandre.get_by_label("Job title").fill("Directrice technique")
    alexandre.get_by_role("button", name="Save").click()
    expect(alexandre.locator("#messages")).to_contain_text("Saved")

    open_group_contacts(david)
    add_contact(david, "Denis", "Roux", "denis.roux@client.fr", "Nice")
    shot(david, "group-contacts")

    # -- a refused edit: David may not modify what Alexandre created --------------------------------
    david.get_by_role("link", name="Bruno Petit").click()
    expect(david.get_by_role("note")).to_contain_text(
        f"Only {ALEXANDRE}, who created it, may let you modify it: ask them."
    )
    expect(david.get_by_role("button", name="Save")).to_have_count(0)  # not offered
    expect(david.get_by_label("Job title")).not_to_be_editable()
    # Alexandre lets David modify it; David opens the form; Alexandre takes it back before
    # David saves: the server refuses, and the page says why and what to do.
    alexandre.get_by_role("link", name="Bruno Petit").click()  # back on the list after saving
    allow = alexandre.locator(
        "section", has=alexandre.get_by_role("heading", name="Who may modify")
    )
    allow.get_by_label("Let modify").select_option(value=DAVID)
    allow.get_by_role("button", name="Allow").click()
    expect(allow.get_by_role("button", name="Take back")).to_be_visible()
    david.reload()
    expect(david.get_by_label("Job title")).to_be_editable()
    allow.get_by_role("button", name="Take back").click()
    expect(alexandre.locator("#messages")).to_contain_text("may no longer modify it")
    david.get_by_label("Job title").fill("Changed by David")
    david.get_by_role("button", name="Save").click()
    refusal = david.get_by_role("alert").first
    expect(refusal).to_contain_text("You may not modify this item")
    expect(refusal).to_contain_text(f"ask its creator ({ALEXANDRE}) to let you")
    shot(david, "refused-edit")

    # -- the same collections over DAV ------------------------------------------------------------
    expected = {"Claire Martin", "Bruno Petit", "Denis Roux"}
    for login in (GILLES, ALEXANDRE, DAVID):
        session = server.session(login)
        url = f"{server.url}/{login}/contacts@{GROUP}/"
        listing = propfind(session, url, "<D:getetag/>", depth="1")
        assert listing.status_code == 207, listing.text
        hrefs = [
            r.findtext("D:href", namespaces=NS) or ""
            for r in ET.fromstring(listing.content).findall("D:response", NS)
        ]
        cards = [session.get(server.url + h).text for h in hrefs if h.endswith(".vcf")]
        names = {re.search(r"^FN:(.*?)\r?$", c, re.M)[1] for c in cards}  # type: ignore[index]
        assert names == expected, (login, names)
        assert any("TITLE:Directrice technique" in c for c in cards)
        assert not any("Changed by David" in c for c in cards)  # the refused edit changed nothing

    # The subscription URLs the pages show are the ones DAV serves.
    collections = ApiClient(server.url, server.session(DAVID)).ok("GET", "/collections")
    group_book = next(c for c in collections["collections"] if c["name"] == f"contacts@{GROUP}")
    assert group_book["url"] == f"{server.url}/{DAVID}/contacts@{GROUP}/"
    assert (
        requests.request(
            "PROPFIND",
            group_book["url"],
            auth=(DAVID, "correct horse battery"),
            headers={"Depth": "0"},
        ).status_code
        == 207
    )
    # And the rights Gilles set in the page are those of the API.
    grants = ApiClient(server.url, server.session(GILLES)).ok(
        "GET", f"/groups/{GROUP}/collections/contacts/grants"
    )
    assert {(g["grantee"], g["rights"]) for g in grants["grants"]} == {
        (ALEXANDRE, "add_delete"),
        (DAVID, "add"),
    }
    assert PREFIX  # the API prefix the pages call
