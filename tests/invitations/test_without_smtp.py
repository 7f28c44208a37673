"""With no SMTP server configured everything works in the app, and the CLI shows the links."""

import subprocess
import sys

from tests.invitations.helpers import api, members, new_group


def test_g3_without_smtp_the_cli_lists_the_invitation_links(server):
    admin, invitee = server.new_user(), server.new_user()
    name = new_group(server, admin)
    api(server, admin).ok("POST", f"/groups/{name}/invitations", {"address": invitee})
    [invitation] = api(server, invitee).ok("GET", "/invitations")["invitations"]
    shown = subprocess.run(
        [sys.executable, "-m", "davshare.cli", "--config", str(server.config), "mail", "pending"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in shown.splitlines() if line.startswith(invitee))
    assert invitation["url"] in line and name in line
    api(server, invitee).ok("POST", f"/invitations/{invitation['token']}/accept")
    assert members(server, name)[invitee] == "member"
