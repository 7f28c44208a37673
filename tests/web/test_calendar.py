"""Seed 001's team plans a week in the calendar view (issue 17), in headless Chromium.

Gilles creates a coloured team calendar and adds a weekly meeting by clicking a slot in
week view; Alexandre (read and write) moves one occurrence by dragging it; David (read
only, browser in New York, profile in London) sees it in the calendar's colour at
London's hour and cannot drag it. Each step is checked over DAV as well.
"""

import datetime
import re
import zoneinfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.support.api import ApiClient
from tests.support.server import Server
from tests.web.conftest import make_account, new_page, shot, sign_in

GILLES = "gilles.buisson@namebay.fr"
ALEXANDRE = "alexandre.bernard@namebay.fr"
DAVID = "david.lanteri@namebay.fr"
GREEN = "#16a34a"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def team(web_server: Server) -> Server:
    for login, name in [
        (GILLES, "Gilles Buisson"),
        (ALEXANDRE, "Alexandre Bernard"),
        (DAVID, "David Lanteri"),
    ]:
        make_account(web_server, login, name)
    return web_server


def open_as(
    browser: Browser, server: Server, opened: list[BrowserContext], login: str, zone: str
) -> Page:
    context, page = new_page(browser, server, timezone_id=zone)
    opened.append(context)
    sign_in(page, login)
    return page


def bring(page: Page, time: str) -> None:
    """Scroll the page so that the week view's row at ``time`` is near the top."""
    row = page.locator(f"td.fc-timegrid-slot-lane[data-time='{time}']")
    page.evaluate("y => window.scrollBy(0, y - 150)", row.bounding_box()["y"])  # type: ignore[index]


def slot(page: Page, day: datetime.date, time: str) -> dict[str, float]:
    """The middle of a week view's slot (on screen): the day's column at the time's row."""
    column = page.locator(f"td.fc-timegrid-col[data-date='{day.isoformat()}']").bounding_box()
    row = page.locator(f"td.fc-timegrid-slot-lane[data-time='{time}']").bounding_box()
    assert column and row
    return {"x": column["x"] + column["width"] / 2, "y": row["y"] + 4}


def drag(page: Page, event: Locator, to: dict[str, float]) -> None:
    """Drag an event with the mouse, as a person does (in small steps)."""
    box = event.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4)  # grabbed at its top
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 12, steps=3)
    page.mouse.move(to["x"], to["y"], steps=12)
    page.mouse.up()


def item_text(server: Server, login: str) -> str:
    """The one event of Gilles's team calendar, as ``login`` reads it over DAV."""
    session = server.session(login)
    base = (
        f"{server.url}/{login}/equipe-tech/"
        if login == GILLES
        else f"{server.url}/{login}/equipe-tech~{GILLES}/"
    )
    listing = session.request("PROPFIND", base, headers={"Depth": "1"})
    [href] = [h for h in re.findall(r"<[^>]*href>([^<]+\.ics)<", listing.text)]
    return session.get(server.url + href).text


def test_the_team_plans_a_week(
    team: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    server = team
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    tuesday = monday + datetime.timedelta(days=1)

    # -- Gilles creates a green team calendar and shares it: Alexandre writes, David reads ---
    gilles = open_as(browser, server, contexts, GILLES, "Europe/Paris")
    form = gilles.locator("form", has=gilles.get_by_role("heading", name="New address book"))
    form.get_by_label("Kind").select_option(label="Calendar")
    form.get_by_label("Name").fill("Équipe tech")
    form.get_by_label("Colour").fill(GREEN)
    form.get_by_role("button", name="Create").click()
    expect(gilles.get_by_role("heading", level=1)).to_contain_text("Équipe tech")
    owner = ApiClient(server.url, server.session(GILLES))
    owner.ok("PUT", f"/collections/equipe-tech/shares/{ALEXANDRE}", {"rights": "read_write"})
    owner.ok("PUT", f"/collections/equipe-tech/shares/{DAVID}", {"rights": "read"})

    # -- ... and adds a weekly meeting by clicking Monday 10:00 in week view -------------------
    gilles.locator("#nav").get_by_role("link", name="Calendar").click()
    expect(gilles.get_by_role("heading", level=1)).to_have_text("Calendar")
    expect(gilles.locator("#calendar-zone")).to_contain_text("Europe/Paris")
    expect(gilles.locator(".fc-timeGridWeek-view")).to_be_visible()
    bring(gilles, "09:00:00")
    gilles.mouse.click(**slot(gilles, monday, "10:00:00"))
    dialog = gilles.get_by_role("dialog", name="New event")
    dialog.get_by_label("Title").fill("")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Title: give the event a title.")
    dialog.get_by_label("Title").fill("Réunion d'équipe")
    dialog.get_by_label("Calendar").select_option(label="Équipe tech")
    dialog.get_by_label("Ends").fill(f"{monday.isoformat()}T09:00")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Ends: the end must come after the start.")
    dialog.get_by_label("Ends").fill(f"{monday.isoformat()}T11:00")
    dialog.get_by_label("Repeat").select_option(label="Every week")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog).to_have_count(0)
    meeting = gilles.locator(".fc-event", has_text="Réunion d'équipe")
    expect(meeting).to_have_count(1)
    shot(gilles, "calendar-week")
    stored = item_text(server, GILLES)
    assert "RRULE:FREQ=WEEKLY" in stored
    assert f"DTSTART;TZID=Europe/Paris:{monday:%Y%m%d}T100000" in stored
    assert "BEGIN:VTIMEZONE" in stored  # RFC 5545: the zone travels with the event

    # -- Alexandre moves this week's occurrence to Tuesday 14:00 by dragging it ---------------
    alexandre = open_as(browser, server, contexts, ALEXANDRE, "Europe/Paris")
    alexandre.locator("#nav").get_by_role("link", name="Calendar").click()
    event = alexandre.locator(".fc-event", has_text="Réunion d'équipe")
    expect(event).to_have_count(1)
    bring(alexandre, "09:00:00")
    drag(alexandre, event, slot(alexandre, tuesday, "14:00:00"))
    expect(alexandre.locator("#messages")).to_contain_text("is moved")
    moved = item_text(server, ALEXANDRE)
    assert "RRULE:FREQ=WEEKLY" in moved  # the series stays
    assert f"RECURRENCE-ID;TZID=Europe/Paris:{monday:%Y%m%d}T100000" in moved
    new_start = datetime.datetime.combine(tuesday, datetime.time(14), PARIS).astimezone(
        datetime.UTC
    )
    assert f"DTSTART:{new_start:%Y%m%dT%H%M%S}Z" in moved
    shot(alexandre, "calendar-moved")

    # Gilles takes the write right back while Alexandre's page is open: the server refuses
    # the next drag in plain words, the event goes back, and nothing changes.
    owner.ok("PUT", f"/collections/equipe-tech/shares/{ALEXANDRE}", {"rights": "read"})
    alexandre.locator("#messages").get_by_role("button").click()  # the earlier message closed
    bring(alexandre, "13:00:00")
    drag(alexandre, event, slot(alexandre, tuesday, "16:00:00"))
    expect(alexandre.get_by_role("alert")).to_contain_text("You may not modify this item")
    expect(event).to_contain_text("14:00")  # back where it was
    assert item_text(server, ALEXANDRE) == moved

    # -- David, read only: the calendar's colour, London's hour, not draggable ------------------
    ApiClient(server.url, server.session(DAVID)).ok(
        "PUT", "/me/time-zone", {"time_zone": "Europe/London"}
    )
    david = open_as(browser, server, contexts, DAVID, "America/New_York")
    david.locator("#nav").get_by_role("link", name="Calendar").click()
    expect(david.locator("#calendar-zone")).to_contain_text("Europe/London")
    seen = david.locator(".fc-event", has_text="Réunion d'équipe")
    expect(seen).to_have_count(1)
    london = new_start.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    expect(seen).to_contain_text(f"{london:%H:%M}")
    expect(seen).to_have_css("background-color", "rgb(22, 163, 74)")
    expect(seen).not_to_have_class(re.compile("fc-event-draggable"))
    before = item_text(server, DAVID)
    bring(david, "07:00:00")
    drag(david, seen, slot(david, monday, "08:00:00"))
    expect(seen).to_contain_text(f"{london:%H:%M}")
    assert item_text(server, DAVID) == before  # nothing moved
    seen.click()
    opened = david.get_by_role("dialog")
    expect(opened.get_by_role("note")).to_contain_text("You may only read this event")
    expect(opened.get_by_role("button", name="Save")).to_have_count(0)
    shot(david, "calendar-read-only", full_page=False)
    opened.get_by_role("button", name="Close").click()
    for button, name in [
        ("month", "calendar-month"),
        ("day", "calendar-day"),
        ("agenda", "calendar-agenda"),
    ]:
        david.get_by_role("button", name=button, exact=True).click()
        expect(
            david.locator(".fc-event", has_text="Réunion d'équipe").first
        ).to_be_visible() if button != "day" else None
        shot(david, name)
