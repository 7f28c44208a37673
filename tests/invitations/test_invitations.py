"""Invitations by address, with the mail really sent by SMTP (SPEC G3)."""

import uuid

from sqlalchemy import select, update

from davshare.model import accounts
from davshare.model.service_tables import invitations
from tests.invitations.conftest import body
from tests.invitations.helpers import api, counts, members, new_group
from tests.support.dav import put, vcard
from tests.support.server import PASSWORD


def _token_from(message):
    url = next(line for line in body(message).splitlines() if "/invitations/" in line)
    return url.strip().rsplit("/", 1)[1]


def test_g3_invite_mail_received_accept_makes_a_member(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok(
        "PUT", f"/groups/{name}/collections/contacts/grants/*", {"rights": "add"}
    )
    created = api(mailing_server, admin).call(
        "POST", f"/groups/{name}/invitations", {"address": invitee}
    )
    assert created.status_code == 201 and "token" not in created.json()
    message = inbox.wait_for(invitee, name)
    assert admin in message["Subject"]
    token = _token_from(message)
    assert f"https://dav.example.com/.davshare/api/v1/invitations/{token}" in body(message)
    mine = api(mailing_server, invitee).ok("GET", "/invitations")["invitations"]
    assert [(i["group"], i["token"]) for i in mine] == [(name, token)]
    assert invitee not in members(mailing_server, name)
    api(mailing_server, invitee).ok("POST", f"/invitations/{token}/accept")
    assert members(mailing_server, name)[invitee] == "member"
    assert api(mailing_server, invitee).ok("GET", "/invitations")["invitations"] == []
    # The "all members" grant reaches the new member at once.
    url = f"{mailing_server.url}/{invitee}/contacts@{name}/new.vcf"
    assert put(mailing_server.session(invitee), url, vcard("new", "New")).status_code == 201


def test_g3_invitation_in_the_invitees_language(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    api(mailing_server, invitee).ok("PUT", "/me/language", {"language": "fr"})
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    message = inbox.wait_for(invitee, name)
    assert "vous invite" in message["Subject"] and "Bonjour" in body(message)


def test_g3_decline_leaves_no_member_and_no_invitation(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    token = _token_from(inbox.wait_for(invitee, name))
    assert (
        api(mailing_server, invitee).call("POST", f"/invitations/{token}/decline").status_code
        == 204
    )
    assert invitee not in members(mailing_server, name)
    assert api(mailing_server, admin).ok("GET", f"/groups/{name}/invitations")["invitations"] == []
    assert (
        api(mailing_server, invitee).call("POST", f"/invitations/{token}/accept").status_code == 404
    )


def test_g3_only_the_invitee_accepts_and_only_managers_invite(mailing_server):
    admin, invitee, other = (mailing_server.new_user() for _ in range(3))
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok("POST", f"/groups/{name}/members", {"login": other})
    before = counts(mailing_server)
    refused = api(mailing_server, other).call(
        "POST", f"/groups/{name}/invitations", {"address": invitee}
    )
    assert refused.status_code == 403
    assert counts(mailing_server) == before
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    with mailing_server.engine.connect() as conn:
        token = conn.scalar(select(invitations.c.token).where(invitations.c.address == invitee))
    before = counts(mailing_server)
    assert (
        api(mailing_server, other).call("POST", f"/invitations/{token}/accept").status_code == 404
    )
    assert counts(mailing_server) == before


def test_g3_resend_is_limited_per_day(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    name = new_group(mailing_server, admin)
    admin_api = api(mailing_server, admin)
    admin_api.ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    resent = admin_api.ok("POST", f"/groups/{name}/invitations/{invitee}/resend")
    assert resent["sends"] == 2  # sends_per_day = 2 on this server
    before = counts(mailing_server)
    refused = admin_api.call("POST", f"/groups/{name}/invitations/{invitee}/resend")
    assert refused.status_code == 403 and "tomorrow" in refused.json()["error"]["message"]
    assert counts(mailing_server) == before
    inbox.wait_for(invitee, name)
    assert len([m for m in inbox.to(invitee)]) <= 2
    # A day later it may be sent again.
    with mailing_server.engine.begin() as conn:
        conn.execute(
            update(invitations)
            .where(invitations.c.address == invitee)
            .values(window_start=invitations.c.window_start - 86_400)
        )
    assert admin_api.ok("POST", f"/groups/{name}/invitations/{invitee}/resend")["sends"] == 1


def test_g3_withdrawn_invitation_cannot_be_accepted(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    name = new_group(mailing_server, admin)
    admin_api = api(mailing_server, admin)
    admin_api.ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    listed = admin_api.ok("GET", f"/groups/{name}/invitations")["invitations"]
    assert [i["address"] for i in listed] == [invitee]
    token = _token_from(inbox.wait_for(invitee, name))
    assert admin_api.call("DELETE", f"/groups/{name}/invitations/{invitee}").status_code == 204
    assert api(mailing_server, invitee).ok("GET", "/invitations")["invitations"] == []
    before = counts(mailing_server)
    assert (
        api(mailing_server, invitee).call("POST", f"/invitations/{token}/accept").status_code == 404
    )
    assert counts(mailing_server) == before and invitee not in members(mailing_server, name)


def test_g3_expired_invitation_is_refused_until_resent(mailing_server, smtp):
    inbox, _ = smtp
    admin, invitee = mailing_server.new_user(), mailing_server.new_user()
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    token = _token_from(inbox.wait_for(invitee, name))
    with mailing_server.engine.begin() as conn:  # the valid days have passed
        conn.execute(update(invitations).where(invitations.c.token == token).values(expires_at=1))
    assert api(mailing_server, invitee).ok("GET", "/invitations")["invitations"] == []
    listed = api(mailing_server, admin).ok("GET", f"/groups/{name}/invitations")["invitations"]
    assert listed[0]["expired"] is True
    before = counts(mailing_server)
    refused = api(mailing_server, invitee).call("POST", f"/invitations/{token}/accept")
    assert refused.status_code == 400 and "expired" in refused.text
    assert counts(mailing_server) == before
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations/{invitee}/resend")
    api(mailing_server, invitee).ok("POST", f"/invitations/{token}/accept")
    assert invitee in members(mailing_server, name)


def test_g3_invitation_waits_for_a_future_account(mailing_server, smtp):
    inbox, _ = smtp
    admin = mailing_server.new_user()
    future = f"new{uuid.uuid4().hex[:8]}@example.com"
    name = new_group(mailing_server, admin)
    api(mailing_server, admin).ok("POST", f"/groups/{name}/invitations", {"address": future})
    inbox.wait_for(future, name)
    accounts.add_user(mailing_server.engine, future, PASSWORD)
    mine = api(mailing_server, future).ok("GET", "/invitations")["invitations"]
    assert [i["group"] for i in mine] == [name]
    api(mailing_server, future).ok("POST", f"/invitations/{mine[0]['token']}/accept")
    assert members(mailing_server, name)[future] == "member"


def test_g3_address_of_a_foreign_domain_is_refused(mailing_server):
    admin = mailing_server.new_user()
    name = new_group(mailing_server, admin)
    before = counts(mailing_server)
    refused = api(mailing_server, admin).call(
        "POST", f"/groups/{name}/invitations", {"address": "someone@elsewhere.org"}
    )
    assert refused.status_code == 400 and "not a domain of this server" in refused.text
    assert counts(mailing_server) == before
