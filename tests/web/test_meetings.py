"""Meeting invitations in the web pages (issue 16), in headless Chromium.

Gilles invites Alexandre (his domain) and Sophie (another domain) from the event form;
Alexandre accepts from his invitation list; Gilles sees the answer on the event. Each
step is checked over DAV as well.
"""

import datetime
import re

from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.scheduling import attendee_line, copy_url
from tests.support.server import Server
from tests.web.conftest import make_account, new_page, shot, sign_in

GILLES = "gilles@meetings.example"
ALEXANDRE = "alexandre@meetings.example"
SOPHIE = "sophie@sud.example"


def the_event(server: Server, login: str) -> tuple[str, str]:
    """(href, text) of the one event in ``login``'s calendar."""
    session = server.session(login)
    listing = session.request("PROPFIND", f"{server.url}/{login}/calendar/", headers={"Depth": "1"})
    hrefs = re.findall(r"<href>([^<]+\.ics)</href>", listing.text)
    assert len(hrefs) == 1, listing.text
    return hrefs[0], session.get(server.url + hrefs[0]).text


def test_invite_from_the_form_accept_from_the_list_and_see_the_answer(
    browser: Browser, web_server: Server, contexts: list[BrowserContext]
) -> None:
    server = web_server
    for login, name in [(GILLES, "Gilles"), (ALEXANDRE, "Alexandre"), (SOPHIE, "Sophie")]:
        make_account(server, login, name)
    day = datetime.date.today() + datetime.timedelta(days=7)

    context, gilles = new_page(browser, server, timezone_id="UTC")
    contexts.append(context)
    sign_in(gilles, GILLES)
    gilles.locator("#nav").get_by_role("link", name="Calendar").click()
    expect(gilles.locator(".fc-timeGridWeek-view")).to_be_visible()
    gilles.locator("td.fc-timegrid-slot-lane[data-time='10:00:00']").first.click()
    dialog = gilles.get_by_role("dialog", name="New event")
    dialog.get_by_label("Title").fill("Contract review")
    dialog.get_by_label("Starts").fill(f"{day.isoformat()}T10:00")
    dialog.get_by_label("Ends").fill(f"{day.isoformat()}T11:00")
    invite = dialog.get_by_label("Invite (e-mail addresses)")
    invite.fill(f"{ALEXANDRE}, not-an-address")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not-an-address is not an e-mail address")
    invite.fill(f"{ALEXANDRE}, soph")  # people one may share with are suggested
    suggested = dialog.locator("#attendee-list option").first
    expect(suggested).to_have_attribute("value", f"{ALEXANDRE}, {SOPHIE}")
    invite.fill(f"{ALEXANDRE}, {SOPHIE}")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog).to_have_count(0)
    href, text = the_event(server, GILLES)
    uid = href.rsplit("/", 1)[1][: -len(".ics")]
    assert f"ORGANIZER:mailto:{GILLES}" in text
    for login in (ALEXANDRE, SOPHIE):  # delivered into their calendars by the server
        copy = server.session(login).get(copy_url(server, login, uid))
        assert copy.status_code == 200 and "Contract review" in copy.text

    context, alexandre = new_page(browser, server)
    contexts.append(context)
    sign_in(alexandre, ALEXANDRE)
    alexandre.locator("#nav").get_by_role("link", name="Invitations").click()
    card = alexandre.get_by_role("listitem").filter(has_text="Contract review")
    expect(card).to_contain_text(f"from {GILLES}")
    expect(card).to_contain_text("No answer yet")
    shot(alexandre, "meetings-invitations")
    card.get_by_role("button", name="Accept").click()
    expect(alexandre.get_by_role("status")).to_contain_text("was sent to")
    expect(alexandre.get_by_role("listitem").filter(has_text="Contract review")).to_contain_text(
        "Accepted"
    )
    _, organizer_copy = the_event(server, GILLES)
    assert "PARTSTAT=ACCEPTED" in attendee_line(organizer_copy, ALEXANDRE)
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(organizer_copy, SOPHIE)

    gilles.reload()
    expect(gilles.locator(".fc-timeGridWeek-view")).to_be_visible()
    gilles.locator(".fc-next-button").click()
    gilles.locator(".fc-event", has_text="Contract review").click()
    opened = gilles.get_by_role("dialog")
    expect(opened.locator("ul.attendees")).to_contain_text(f"{ALEXANDRE} — Accepted")
    expect(opened.locator("ul.attendees")).to_contain_text(f"{SOPHIE} — No answer yet")
