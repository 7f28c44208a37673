"""The Trash and History panels and a group's activity (issue 20), in headless Chromium."""

import re

from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.api import ApiClient
from tests.support.dav import put, vcard
from tests.support.server import Server
from tests.web.test_everyday import open_as


def test_a_deleted_contact_restored_from_the_trash_and_a_version_compared(
    web_server: Server, browser: Browser, contexts: list[BrowserContext]
) -> None:
    server = web_server
    admin, member = server.new_user(), server.new_user()
    api = ApiClient(server.url, server.session(admin))
    api.ok("POST", "/groups", {"name": "trashweb"})
    api.ok("POST", "/groups/trashweb/members", {"login": member})
    api.ok(
        "PUT", f"/groups/trashweb/collections/contacts/grants/{member}", {"rights": "add_delete"}
    )
    book = f"{server.url}/{member}/contacts@trashweb/"
    put(
        server.session(admin),
        f"{server.url}/{admin}/contacts@trashweb/ada.vcf",
        vcard("uid-ada", "Ada Lovelace"),
    )
    put(
        server.session(admin),
        f"{server.url}/{admin}/contacts@trashweb/ada.vcf",
        vcard("uid-ada", "Ada King"),
    )
    put(
        server.session(admin),
        f"{server.url}/{admin}/contacts@trashweb/bob.vcf",
        vcard("uid-bob", "Bob Gone"),
    )
    phone = server.session(member)
    phone.headers["User-Agent"] = "DAVx5/4.4"
    assert phone.delete(book + "bob.vcf").status_code in (200, 204)

    page = open_as(browser, server, contexts, admin)
    page.goto("/.davshare/web/#/collections/contacts%40trashweb")
    trash = page.get_by_role("region", name="Trash", exact=True)
    expect(trash).to_contain_text("Bob Gone")
    expect(trash).to_contain_text(f"1 contacts deleted by {member} from DAVx5")
    trash.get_by_role("button", name="Restore").click()
    expect(page.get_by_role("list", name=re.compile("Contacts|contacts")).first).to_contain_text(
        "Bob Gone"
    )
    assert "UID:uid-bob" in server.session(member).get(book + "bob.vcf").text

    page.goto("/.davshare/web/#/collections/contacts%40trashweb/items/ada.vcf")
    history = page.get_by_role("region", name="History", exact=True)
    expect(history).to_contain_text(f"Written by {admin}")
    history.get_by_role("button", name="Compare with now").click()
    table = history.get_by_role("table", name="What differs")
    expect(table).to_contain_text("Ada Lovelace")
    expect(table).to_contain_text("Ada King")
    history.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")

    page.goto("/.davshare/web/#/groups/trashweb")
    activity = page.get_by_role("region", name="Activity", exact=True)
    expect(activity).to_contain_text("Bob Gone")
    activity.get_by_label("Show").select_option("deleted")
    expect(activity.get_by_role("row")).to_have_count(2)  # the header and Bob's deletion
    expect(activity).to_contain_text(member)
