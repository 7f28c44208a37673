"""The share dialog, the view builder, import, the server admin's page, a phone in French,
the keyboard, sharing a private contact into a group — each driven once in the browser."""

import base64
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from davshare.model.tables import users
from tests.support.api import ApiClient
from tests.support.dav import NS, propfind, put, vcard
from tests.support.server import PASSWORD, Server
from tests.web.conftest import SCREENSHOTS, make_account, new_page, shot, sign_in


def open_as(
    browser: Browser, server: Server, opened: list[BrowserContext], login: str, **options: object
) -> Page:
    context, page = new_page(browser, server, **options)
    opened.append(context)
    sign_in(page, login)
    return page


def person(server: Server, name: str, domain: str = "namebay.fr", **kwargs: object) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = plain.lower().replace(" ", ".") + "." + uuid.uuid4().hex[:4]
    return make_account(server, f"{local}@{domain}", name, **kwargs)


def api(server: Server, login: str) -> ApiClient:
    return ApiClient(server.url, server.session(login))


def fns(server: Server, login: str, url: str) -> set[str]:
    """The names of the contacts ``login`` sees at ``url`` over DAV."""
    session = server.session(login)
    listing = propfind(session, url, "<D:getetag/>", depth="1")
    assert listing.status_code == 207, listing.text
    names = set()
    for response in ET.fromstring(listing.content).findall("D:response", NS):
        href = response.findtext("D:href", namespaces=NS) or ""
        if href.endswith(".vcf"):
            text = session.get(server.url + href).text
            names.add(re.search(r"^FN:(.*?)\r?$", text, re.M)[1])  # type: ignore[index]
    return names


def test_s1_share_dialog(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """S1: share a personal collection with someone of another domain; autocomplete; rights;
    confidential fields for contacts, free/busy only for calendars."""
    server = web_server
    anne = person(server, "Anne Roche")
    bob = person(server, "Bob Sinclair", domain="partner.org")
    put(
        server.session(anne),
        f"{server.url}/{anne}/contacts/k.vcf",
        vcard("k", "Karim Benali", extra="NOTE:owes us a call\r\nBDAY:1980-01-01"),
    )
    page = open_as(browser, server, contexts, anne)
    card = page.get_by_role("region", name="Contacts", exact=True)
    card.get_by_role("button", name="Share…").click()
    dialog = page.get_by_role("dialog", name="Share Contacts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("option", name="Busy times only")).to_have_count(0)  # contacts
    dialog.get_by_label("Login of the person").press_sequentially("bob.sin", delay=30)
    expect(dialog.locator("datalist option")).to_have_count(1)
    assert dialog.locator("datalist option").first.get_attribute("value") == bob
    dialog.get_by_label("Login of the person").fill(bob)
    dialog.get_by_label("Rights").first.select_option(label="Read and write")
    dialog.get_by_label("Notes").check()
    dialog.get_by_label("Birthday").check()
    shot(page, "share-dialog", full_page=False)
    dialog.get_by_role("button", name="Share", exact=True).click()
    expect(dialog.get_by_role("listitem").filter(has_text=bob)).to_contain_text("Read and write")
    expect(dialog.get_by_role("listitem").filter(has_text=bob)).to_contain_text("NOTE")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Bob sees it by himself, without its confidential fields, and may write in it.
    [shared] = [
        c
        for c in api(server, bob).ok("GET", "/collections")["collections"]
        if c["source"] == "shared"
    ]
    assert shared["name"] == f"contacts~{anne}"
    text = server.session(bob).get(f"{shared['url']}k.vcf").text
    assert "Karim Benali" in text and "owes us" not in text and "BDAY" not in text
    bob_page = open_as(browser, server, contexts, bob)
    expect(bob_page.get_by_role("region", name="Contacts (Anne Roche)")).to_contain_text(
        f"shared by {anne}"
    )

    # A calendar offers free/busy only; stopping a share ends it at once.
    page.get_by_role("region", name="Calendar", exact=True).get_by_role(
        "button", name="Share…"
    ).click()
    dialog = page.get_by_role("dialog", name="Share Calendar")
    expect(dialog.get_by_label("Rights").first.get_by_role("option")).to_have_count(4)
    dialog.get_by_label("Login of the person").fill(bob)
    dialog.get_by_label("Rights").first.select_option(label="Busy times only")
    expect(dialog.get_by_text("Confidential fields")).to_have_count(0)
    dialog.get_by_role("button", name="Share", exact=True).click()
    stop = dialog.get_by_role("button", name=f"Stop sharing: {bob}")
    expect(stop).to_be_visible()
    stop.click()
    expect(dialog.get_by_text("Nobody")).to_be_visible()
    shares = api(server, anne).ok("GET", "/collections/calendar/shares")["shares"]
    assert shares == []


def test_q1_q2_view_builder(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """Q1-Q3: build a view with a live count, give it to a member; DAV shows only its contacts."""
    server = web_server
    admin = person(server, "Hélène Admin")
    member = person(server, "Marc Membre")
    group = f"vues-{uuid.uuid4().hex[:6]}"
    api(server, admin).ok("POST", "/groups", {"name": group})
    api(server, admin).ok("POST", f"/groups/{group}/members", {"login": member})
    book = f"{server.url}/{admin}/contacts@{group}/"
    for uid, name, city in [
        ("1", "Alice Nice", "Nice"),
        ("2", "Bruno Nice", "Nice"),
        ("3", "Chloé Lyon", "Lyon"),
    ]:
        assert (
            put(server.session(admin), f"{book}{uid}.vcf", vcard(uid, name, city=city)).status_code
            == 201
        )

    page = open_as(browser, server, contexts, admin)
    page.goto(f"/.davshare/web/#/groups/{group}")
    views = page.get_by_role("region", name="Views of Contacts")
    views.get_by_role("button", name="New view").click()
    builder = views.get_by_role("form", name="View builder")
    builder.get_by_label("Name of the view").fill("nice")
    condition = builder.get_by_role("group", name="Condition").first
    condition.get_by_label("Field").select_option("city")
    condition.get_by_label("Test").select_option("equals")
    condition.get_by_label("Value").fill("nice")
    expect(builder.get_by_role("status")).to_have_text("2 contacts match")
    builder.get_by_role("button", name="Add a condition").click()
    second = builder.get_by_role("group", name="Condition").nth(1)
    second.get_by_label("Field").select_option("name")
    second.get_by_label("Test").select_option("starts_with")
    second.get_by_label("Value").fill("ali")
    expect(builder.get_by_role("status")).to_have_text("1 contacts match")
    second.get_by_role("button", name="Remove").click()
    expect(builder.get_by_role("status")).to_have_text("2 contacts match")
    shot(page, "view-builder")
    builder.screenshot(path=str(SCREENSHOTS / "view-builder-form.png"))
    builder.get_by_role("button", name="Save the view").click()
    expect(page.locator("#messages")).to_contain_text("The view nice is saved")
    expect(views.get_by_role("listitem").filter(has_text="nice")).to_contain_text("City is “nice”")
    views.get_by_label(f"What {member} sees").select_option(label="nice")
    expect(page.locator("#messages")).to_contain_text(f"{member} now sees the view nice")

    assert fns(server, member, f"{server.url}/{member}/contacts@{group}/") == {
        "Alice Nice",
        "Bruno Nice",
    }
    assert len(fns(server, admin, book)) == 3
    views.get_by_label(f"What {member} sees").select_option(label="Every contact")
    expect(page.locator("#messages")).to_contain_text(f"{member} sees every contact again")
    assert len(fns(server, member, f"{server.url}/{member}/contacts@{group}/")) == 3


def test_i1_import_with_progress_and_report(
    web_server: Server, browser: Browser, contexts: list[BrowserContext], tmp_path: Path
) -> None:
    """I1: a file with a bad record: the good ones are imported, the bad one is reported."""
    server = web_server
    login = person(server, "Inès Import")
    good = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:;{name};;;\r\nEND:VCARD\r\n"
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad\r\nN:;;;;\r\nBDAY:not a date\r\nEND:VCARD\r\n"
    data = good.format(uid="i1", name="Jeanne Import") + "BEGIN:VCARD\r\nGARBAGE\r\n" + bad
    data += good.format(uid="i2", name="Paul Import")
    upload = tmp_path / "contacts.vcf"
    upload.write_text(data)
    page = open_as(browser, server, contexts, login)
    page.get_by_role("region", name="Contacts", exact=True).get_by_role("link", name="Open").click()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Import finished: 2 imported")
    report = page.locator(".note").filter(has_text="records read")
    expect(report).to_contain_text("2 imported")
    expect(page.get_by_role("heading", name=re.compile("Skipped records"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Line \d+"))).not_to_have_count(0)
    expect(page.get_by_role("link", name="Jeanne Import")).to_be_visible()
    expect(page.get_by_role("link", name="Paul Import")).to_be_visible()
    assert page.locator("progress").evaluate("p => p.value") == 100
    shot(page, "import-report")
    assert fns(server, login, f"{server.url}/{login}/contacts/") == {"Jeanne Import", "Paul Import"}
    # Export gives the same contacts back.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export (VCF)").click()
    exported = Path(download.value.path()).read_text()
    assert "Jeanne Import" in exported and "Paul Import" in exported


def is_server_admin(server: Server, login: str) -> bool:
    with server.engine.connect() as conn:
        return bool(conn.scalar(select(users.c.is_server_admin).where(users.c.login == login)))


def test_a2_server_admin_page(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """A1, A2, A4: accounts, profiles, domains and their sharing rules, plans."""
    server = web_server
    admin = person(server, "Sam Admin", server_admin=True)
    page = open_as(browser, server, contexts, admin)
    page.get_by_role("link", name="Server admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Server administration")
    domain = f"filiale-{uuid.uuid4().hex[:4]}.fr"
    page.get_by_label("Domain", exact=True).fill(domain)
    page.get_by_role("button", name="Add a domain").click()
    expect(page.locator("#messages")).to_contain_text(f"{domain} is served now")
    newcomer = f"nora@{domain}"
    add = page.locator("form", has=page.get_by_role("heading", name="Add an account"))
    add.get_by_label("Login").fill(newcomer)
    add.get_by_label("Name shown").fill("Nora Neuve")
    add.get_by_label("Password").fill("a good long password")
    add.get_by_label("Profile").select_option("add")
    add.get_by_role("button", name="Add an account").click()
    expect(page.locator("#messages")).to_contain_text(f"The account {newcomer} is created")
    page.get_by_label(f"Profile of {newcomer}").select_option("read_only")
    expect(page.locator("#messages")).to_contain_text(f"Saved for {newcomer}")
    row = page.get_by_role("row").filter(has_text=newcomer)
    row.get_by_role("button", name="Disable").click()
    expect(page.get_by_role("row").filter(has_text=newcomer)).to_contain_text("disabled")
    row.get_by_role("button", name="Make server admin").click()  # issue 14: promote, demote
    expect(row.get_by_role("button", name="Remove server admin")).to_be_visible()
    assert is_server_admin(server, newcomer)
    row.get_by_role("button", name="Remove server admin").click()
    expect(row.get_by_role("button", name="Make server admin")).to_be_visible()
    assert not is_server_admin(server, newcomer)
    page.get_by_label(f"Domains {domain} may share with").fill("namebay.fr")
    rule = page.get_by_label(f"Domains {domain} may share with")
    page.get_by_role("row").filter(has=rule).get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text(f"The sharing rule of {domain} is saved")
    plan = page.locator("form", has=page.get_by_role("heading", name="Create or change a plan"))
    plan.get_by_label("Name").fill("equipe")
    plan.get_by_label("Groups administered").fill("2")
    plan.get_by_label("Members per group").fill("10")
    plan.get_by_role("button", name="Create or change a plan").click()
    expect(page.locator("#messages")).to_contain_text("The plan equipe is saved")
    shot(page, "server-admin")
    assert (
        server.session(newcomer, "a good long password")
        .request("PROPFIND", f"{server.url}/{newcomer}/", headers={"Depth": "0"})
        .status_code
        == 401
    )  # disabled
    assert api(server, admin).ok("GET", "/domains/rules")["rules"][domain] == ["namebay.fr"]
    # Someone who is not a server admin is not offered the page.
    other = person(server, "Olga Autre")
    other_page = open_as(browser, server, contexts, other)
    expect(other_page.get_by_role("link", name="Server admin")).to_have_count(0)


def test_phone_in_french(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """Readable at 375 px, in French (chosen from the browser's language), and switchable."""
    server = web_server
    login = person(server, "Lucie Mobile")
    context, page = new_page(
        browser, server, locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    contexts.append(context)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à davshare")
    shot(page, "phone-sign-in-fr", full_page=False)
    page.get_by_label("Identifiant", exact=True).fill(login)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vos carnets d’adresses, agendas et listes de tâches"
    )
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("region", name="Contacts", exact=True).get_by_text(
        "Configurer un logiciel"
    ).click()
    expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("Code QR")).evaluate("i => i.naturalWidth")
    assert qr > 0  # the SVG loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # long URLs wrap
    shot(page, "phone-collections-fr")
    page.get_by_role("link", name="Groupes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groupes")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "phone-groups-fr")
    page.get_by_label("Langue", exact=True).select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")


def test_keyboard_and_focus(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """Sign in, navigate and copy a link with the keyboard alone; focus follows."""
    server = web_server
    login = person(server, "Karl Clavier")
    context, page = new_page(browser, server)
    contexts.append(context)
    page.goto("/")
    expect(page.get_by_label("Login", exact=True)).to_be_focused()
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("address books")
    expect(heading).to_be_focused()  # moved to the new page's heading
    page.get_by_role("link", name="Groups").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    page.get_by_role("link", name="Collections").focus()
    page.keyboard.press("Enter")
    copy = page.get_by_role("button", name=re.compile("Copy: Subscription link of Contacts"))
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{server.url}/{login}/contacts/"
    # Every form control has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
              .filter(e => !e.labels?.length && !e.getAttribute('aria-label')).length"""
    )
    assert unlabelled == 0


def test_share_a_private_contact_into_a_group(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """R6: share one private contact into a group, keeping some fields confidential; take it
    out again."""
    server = web_server
    owner = person(server, "Rita Partage")
    member = person(server, "Théo Membre")
    group = f"r6-{uuid.uuid4().hex[:6]}"
    api(server, owner).ok("POST", "/groups", {"name": group})
    api(server, owner).ok("POST", f"/groups/{group}/members", {"login": member})
    # As Apple's clients write it: a grouped e-mail with its label.
    card = vcard(
        "p1",
        "Paula Privée",
        extra="item1.EMAIL;type=INTERNET:paula@client.fr\r\nitem1.X-ABLabel:_$!<Work>!$_\r\nNOTE:private note",
    )
    put(server.session(owner), f"{server.url}/{owner}/contacts/p1.vcf", card)
    page = open_as(browser, server, contexts, owner)
    page.goto("/.davshare/web/#/collections/contacts/items/p1.vcf")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("paula@client.fr")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Share this contact into a group")
    )
    section.get_by_label("Group address book").select_option(f"contacts@{group}")
    expect(section.get_by_label("Notes")).to_be_checked()  # confidential by default
    section.get_by_role("button", name="Share into the group").click()
    expect(page.locator("#messages")).to_contain_text(f"The contact is shared into {group}")
    shot(page, "share-into-group")
    book = f"{server.url}/{member}/contacts@{group}/"
    assert fns(server, member, book) == {"Paula Privée"}
    session = server.session(member)
    listing = propfind(session, book, "<D:getetag/>", depth="1")
    hrefs = [
        r.findtext("D:href", namespaces=NS) or ""
        for r in ET.fromstring(listing.content).findall("D:response", NS)
    ]
    text = "".join(session.get(server.url + h).text for h in hrefs if h.endswith(".vcf"))
    assert "paula@client.fr" in text and "private note" not in text
    section.get_by_role("button", name="Take it out of the group").click()
    expect(page.locator("#messages")).to_contain_text(f"The contact was taken out of {group}")
    assert fns(server, member, book) == set()


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def test_g4_profile_seen_by_group_members(
    web_server: Server, browser: Browser, contexts: list[BrowserContext], tmp_path: Path
) -> None:
    """G4: name, organisation and photo set in the page reach the group's members book."""
    server = web_server
    lise = person(server, "Lise Profil")
    colleague = person(server, "Jean Collegue")
    group = f"g4-{uuid.uuid4().hex[:6]}"
    api(server, lise).ok("POST", "/groups", {"name": group})
    api(server, lise).ok("POST", f"/groups/{group}/members", {"login": colleague})
    photo = tmp_path / "me.png"
    photo.write_bytes(base64.b64decode(PNG))
    context, page = new_page(browser, server, viewport={"width": 375, "height": 740})
    contexts.append(context)
    sign_in(page, lise)
    page.get_by_role("link", name="Profile").click()
    page.get_by_label("Given name").fill("Lise")
    page.get_by_label("Family name").fill("Profil")
    page.get_by_label("Organisation").fill("Namebay")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    expect(page.get_by_role("img", name="Your photo")).to_have_attribute(
        "src", re.compile("^data:image/png;base64,")
    )
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator("#messages")).to_contain_text("Your profile is saved")
    shot(page, "phone-profile")
    book = f"{server.url}/{colleague}/members@{group}/"
    session = server.session(colleague)
    listing = propfind(session, book, "<D:getetag/>", depth="1")
    assert listing.status_code == 207, listing.text
    text = "".join(
        session.get(server.url + (r.findtext("D:href", namespaces=NS) or "")).text
        for r in ET.fromstring(listing.content).findall("D:response", NS)
        if (r.findtext("D:href", namespaces=NS) or "").endswith(".vcf")
    )
    assert "ORG:Namebay" in text and "PHOTO" in text
    # The group page on a phone: readable without sideways scrolling.
    page.goto(f"/.davshare/web/#/groups/{group}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(group)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "phone-group")


def test_events_and_tasks(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """A3, S4: an event and a task added in the page are what CalDAV serves."""
    server = web_server
    login = person(server, "Eva Agenda")
    page = open_as(browser, server, contexts, login)
    page.get_by_role("region", name="Calendar", exact=True).get_by_role("link", name="Open").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Réunion d'équipe")
    page.get_by_label("Starts").fill("2026-12-01T09:30")
    page.get_by_label("Ends (due for a task)").fill("2026-12-01T10:30")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("link", name="Réunion d'équipe")).to_be_visible()
    page.get_by_role("link", name="Réunion d'équipe").click()
    page.get_by_label("Description").fill("Salle 2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Saved")
    page.goto("/.davshare/web/#/collections/tasks")
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Title").fill("Préparer la démo")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("link", name="Préparer la démo")).to_be_visible()
    session = server.session(login)
    for collection, wanted in [
        ("calendar", "SUMMARY:Réunion d'équipe"),
        ("tasks", "SUMMARY:Préparer la démo"),
    ]:
        listing = propfind(
            session, f"{server.url}/{login}/{collection}/", "<D:getetag/>", depth="1"
        )
        texts = [
            session.get(server.url + (r.findtext("D:href", namespaces=NS) or "")).text
            for r in ET.fromstring(listing.content).findall("D:response", NS)
            if (r.findtext("D:href", namespaces=NS) or "").endswith(".ics")
        ]
        assert len(texts) == 1 and wanted in texts[0], texts
        if collection == "calendar":
            assert "DESCRIPTION:Salle 2" in texts[0] and "DTSTART:" in texts[0]
    event = api(server, login).ok("GET", "/collections/calendar/items")["items"][0]
    assert event["when"].startswith("2026-12-01")


def test_g7_g8_remove_all_then_delete_the_group(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """G7, G8: remove all members, then delete with the group's name typed again; sign out."""
    server = web_server
    admin = person(server, "Ada Admin")
    member = person(server, "Max Membre")
    group = f"fin-{uuid.uuid4().hex[:6]}"
    api(server, admin).ok("POST", "/groups", {"name": group})
    api(server, admin).ok("POST", f"/groups/{group}/members", {"login": member})
    page = open_as(browser, server, contexts, admin)
    page.on("dialog", lambda dialog: dialog.accept())  # the browser's own confirmations
    page.goto(f"/.davshare/web/#/groups/{group}")
    page.get_by_role("button", name="Remove all members").click()
    expect(page.locator("#messages")).to_contain_text("1 members were removed")
    page.get_by_role("button", name="Delete the group…").click()
    dialog = page.get_by_role("dialog", name=f"Delete the group {group}?")
    dialog.get_by_label(re.compile("Type the group's name")).fill("wrong-name")
    dialog.get_by_role("button", name="Delete for good").click()
    expect(dialog.get_by_role("alert")).to_contain_text(group)  # refused: says what to type
    shot(page, "delete-group-refused", full_page=False)
    dialog.get_by_label(re.compile("Type the group's name")).fill(group)
    dialog.get_by_role("button", name="Delete for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    expect(page.locator("#messages")).to_contain_text(f"The group {group} is deleted")
    assert api(server, admin).call("GET", f"/groups/{group}").status_code == 404
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to davshare")
    assert (
        page.evaluate("fetch('/.davshare/api/v1/session').then(r => r.json()).then(j => j.login)")
        is None
    )


def test_a3_create_and_delete_own_collections(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """A3: more address books, calendars and task lists (name, colour, description)."""
    server = web_server
    login = person(server, "Noé Nouveau")
    page = open_as(browser, server, contexts, login)
    form = page.locator(
        "form", has=page.get_by_role("heading", name=re.compile("^New address book"))
    )
    form.get_by_label("Kind").select_option("calendar")
    form.get_by_label("Name", exact=True).fill("Équipe tech")
    form.get_by_label("Colour").fill("#aa3300")
    form.get_by_label("Description").fill("Réunions & astreintes")
    form.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Équipe tech")
    expect(page.locator("#messages")).to_contain_text("Équipe tech is created")
    [made] = [
        c
        for c in api(server, login).ok("GET", "/collections")["collections"]
        if c["display_name"] == "Équipe tech"
    ]
    assert (made["name"], made["kind"], made["color"]) == ("equipe-tech", "calendar", "#aa3300")
    found = propfind(server.session(login), made["url"], "<C:calendar-description/>")
    assert "Réunions &amp; astreintes" in found.text
    page.get_by_role("button", name="Delete the collection…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(re.compile("Type its name")).fill("Équipe tech")
    dialog.get_by_role("button", name="Delete for good").click()
    expect(page.locator("#messages")).to_contain_text("Équipe tech is deleted")
    names = [c["name"] for c in api(server, login).ok("GET", "/collections")["collections"]]
    assert "equipe-tech" not in names and "contacts" in names
