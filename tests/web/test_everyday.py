"""Everyday pages (issue 17) in headless Chromium: a task list worked through to done."""

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.api import ApiClient
from tests.support.server import Server
from tests.web.conftest import new_page, shot, sign_in


def open_as(
    browser: Browser, server: Server, opened: list[BrowserContext], login: str, **options: object
) -> Page:
    context, page = new_page(browser, server, **options)
    opened.append(context)
    sign_in(page, login)
    return page


def tasks_over_dav(server: Server, login: str) -> dict[str, str]:
    """Each task's SUMMARY -> its text, as DAV serves it."""
    session = server.session(login)
    listing = session.request("PROPFIND", f"{server.url}/{login}/tasks/", headers={"Depth": "1"})
    found = {}
    for href in re.findall(r"<[^>]*href>([^<]+\.ics)<", listing.text):
        text = session.get(server.url + href).text
        found[re.search(r"^SUMMARY:(.*?)\r?$", text, re.M)[1]] = text  # type: ignore[index]
    return found


def test_a_task_list_worked_through_to_done(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    server = web_server
    login = server.new_user("namebay.fr")
    page = open_as(browser, server, contexts, login)
    page.get_by_role("region", name="Tasks", exact=True).get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tasks")

    # A task with a due date and a priority; the form refuses nonsense, naming the field.
    page.get_by_role("link", name="New task").click()
    expect(page.get_by_label("Starts")).to_have_count(0)  # no start date unless asked for
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Title: give the task a title.")
    page.get_by_label("Title").fill("Préparer la démo")
    page.get_by_label("Due date").fill("2026-12-10")
    page.get_by_label("Priority").select_option(label="High priority")
    page.get_by_label("Percent done").fill("150")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Percent done: a whole number from 0 to 100.")
    page.get_by_label("Percent done").fill("20")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Added")

    # A sub-task under it, and a task due earlier: sorted by due date, the sub-task nested.
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Title").fill("Slides")
    page.get_by_label("Sub-task of").select_option(label="Préparer la démo")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Added")
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Title").fill("Réserver la salle")
    page.get_by_label("Due date").fill("2026-12-08")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Added")
    top = page.locator("ul.tasks:not(.sub) > li > .task-line > a")
    expect(top).to_have_text(["Réserver la salle", "Préparer la démo"])
    expect(page.get_by_role("list", name="Sub-tasks of Préparer la démo")).to_contain_text("Slides")
    expect(page.locator("li.task", has_text="Préparer la démo").first).to_contain_text(
        "High priority"
    )
    shot(page, "tasks")

    # Done in one click each; completed ones hidden on demand.
    page.get_by_label("Done: Slides").check()
    expect(page.locator("#messages")).to_contain_text("Slides is done")
    page.get_by_label("Done: Préparer la démo").check()
    expect(page.locator("#messages")).to_contain_text("Préparer la démo is done")
    expect(page.get_by_text("1 to do, 3 shown")).to_be_visible()
    stored = tasks_over_dav(server, login)
    assert "STATUS:COMPLETED" in stored["Slides"] and "PERCENT-COMPLETE:100" in stored["Slides"]
    assert "RELATED-TO;RELTYPE=PARENT:" in stored["Slides"]
    assert (
        "PRIORITY:1" in stored["Préparer la démo"]
        and "DUE;VALUE=DATE:20261210" in stored["Préparer la démo"]
    )
    page.get_by_label("Hide completed tasks").check()
    expect(top).to_have_text(["Réserver la salle"])
    page.get_by_label("Done: Réserver la salle").check()
    expect(page.get_by_text("0 to do, 0 shown")).to_be_visible()
    page.get_by_label("Hide completed tasks").uncheck()
    expect(page.locator("li.task.done")).to_have_count(3)
    shot(page, "tasks-done")


def test_a_collection_renamed_recoloured_and_a_share_changed_in_place(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    server = web_server
    owner, colleague = server.new_user("namebay.fr"), server.new_user("namebay.fr")
    ApiClient(server.url, server.session(owner)).ok(
        "PUT", f"/collections/calendar/shares/{colleague}", {"rights": "read"}
    )
    page = open_as(browser, server, contexts, owner)
    card = page.get_by_role("region", name="Calendar", exact=True)
    expect(card).to_contain_text("shared with 1")  # the mark on a shared collection
    card.get_by_role("link", name="Settings of Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings of Calendar")
    details = page.get_by_role("form", name="Name, colour, description")
    details.get_by_label("Name").fill("")
    details.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Name: give the collection a name.")
    details.get_by_label("Name").fill("Équipe tech")
    details.get_by_label("Colour").fill("#16a34a")
    details.get_by_label("Description").fill("Réunions et astreintes")
    details.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Équipe tech is saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings of Équipe tech")
    link = page.get_by_role("region", name="Subscription link and set-up")
    expect(link.get_by_role("textbox")).to_have_value(f"{server.url}/{owner}/calendar/")

    # The colleague's rights, changed in place, hold for DAV at once.
    shares = page.get_by_role("region", name="Shared with")
    shares.get_by_label(f"Rights of {colleague}").select_option(label="Read and write")
    expect(page.locator("#messages")).to_contain_text(f"{colleague} now has: Read and write.")
    shot(page, "collection-settings")
    event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261207T090000Z\r\nDTEND:20261207T100000Z\r\nSUMMARY:Astreinte\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    written = server.session(colleague).put(
        f"{server.url}/{colleague}/calendar~{owner}/w.ics",
        data=event,
        headers={"Content-Type": "text/calendar"},
    )
    assert written.status_code == 201, written.text
    [shared] = [
        c
        for c in ApiClient(server.url, server.session(colleague)).ok("GET", "/collections")[
            "collections"
        ]
        if c["source"] == "shared"
    ]
    assert shared["display_name"].startswith("Équipe tech") and shared["color"] == "#16a34a"


ENGLISH = re.compile(
    r"\b(Calendar|Tasks|Settings|Share|Open|Copy|You may|Sign out|Save|address book|Busy|month|week|today|ask)\b"
)


def english_words(page: Page) -> list[str]:
    """English words left on the page (none in a French session)."""
    return ENGLISH.findall(page.locator("body").inner_text())


def test_a_french_session_sees_only_french_errors_included(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    server = web_server
    login = server.new_user("namebay.fr")
    context, page = new_page(browser, server, locale="fr-FR", timezone_id="Europe/Paris")
    contexts.append(context)
    page.goto("/")
    page.get_by_label("Identifiant", exact=True).fill(login)
    page.get_by_label("Mot de passe", exact=True).fill("wrong password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "identifiant ou mot de passe erroné"
    )  # the server's, in French
    page.get_by_label("Mot de passe", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vos carnets d’adresses, agendas et listes de tâches"
    )
    expect(
        page.get_by_role("region", name="Agenda", exact=True)
    ).to_be_visible()  # the default names, in French
    expect(page.get_by_role("region", name="Tâches", exact=True)).to_be_visible()
    assert english_words(page) == []

    # A refusal of the server, in French, with the same stable code as in English.
    page.get_by_role("region", name="Agenda", exact=True).get_by_role(
        "button", name="Partager…"
    ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Identifiant de la personne").fill("personne@nulle-part.fr")
    dialog.get_by_role("button", name="Partager", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text(
        re.compile("aucun compte personne@nulle-part.fr sur ce serveur")
    )
    assert english_words(page) == []
    shot(page, "french-refusal", full_page=False)
    page.keyboard.press("Escape")

    # The calendar in French: its buttons, days and the event dialog's checks.
    page.locator("#nav").get_by_role("link", name="Agenda").click()
    expect(page.locator(".fc-timeGridWeek-view")).to_be_visible()
    expect(page.get_by_role("button", name="Mois", exact=True)).to_be_visible()
    assert english_words(page) == []
    row = page.locator("td.fc-timegrid-slot-lane[data-time='09:00:00']")
    row.scroll_into_view_if_needed()
    box = page.locator("td.fc-timegrid-col").nth(2).bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, row.bounding_box()["y"] + 4)  # type: ignore[index]
    dialog = page.get_by_role("dialog", name="Nouvel évènement")
    dialog.get_by_role("button", name="Ajouter").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Titre : donnez un titre à l’évènement.")
    assert english_words(page) == []
    shot(page, "french-calendar", full_page=False)


def test_the_phone_top_bar_keeps_to_two_rows(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    """Issue 17, 8: on a phone the signed-in top bar does not wrap onto three lines."""
    server = web_server
    login = server.new_user("namebay.fr")
    context, page = new_page(
        browser, server, locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True
    )
    contexts.append(context)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à davshare")
    one_row = page.locator("header.top").bounding_box()["height"]  # type: ignore[index]
    page.get_by_label("Identifiant", exact=True).fill(login)
    page.get_by_label("Mot de passe", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Profil")).to_be_visible()
    bar = page.locator("header.top").bounding_box()["height"]  # type: ignore[index]
    assert bar < 2.2 * one_row, (bar, one_row)  # two rows at most
    tops = page.locator("#nav a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().top)"
    )
    assert len(set(tops)) == 1, tops  # the links on one row
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_label("Langue", exact=True).select_option("en")  # still labelled for screen readers
    expect(page.get_by_role("link", name="Profile")).to_be_visible()
    shot(page, "phone-top-bar", full_page=False)
