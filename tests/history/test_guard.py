"""Issue 20, optional: ``[trash] guard_share`` answers 403 to a client deleting more than a
share of a group's book in one burst, and tells the group's admins by e-mail (real SMTP)."""

import pytest

from tests.history.test_trash_undo import DAVX5, Team, _api
from tests.support.dav import need_privilege, vcard
from tests.support.mail import body, mail_options, smtp  # noqa: F401 - the fixture
from tests.support.server import Server


@pytest.fixture(scope="module")
def guarded(smtp):  # noqa: F811 - the fixture above
    inbox, port = smtp
    instance = Server(trash__guard_share="0.5", **mail_options(port, "{url}")).start()
    yield instance, inbox
    instance.stop()


def test_a_client_deleting_half_a_group_book_is_stopped_and_the_admin_told(guarded):
    server, inbox = guarded
    team = Team(server)
    for i in range(24):
        team.store(f"c{i}.vcf", vcard(f"uid-{i}", f"C {i}"))
    phone = server.session(team.deleter)
    phone.headers.update(DAVX5)
    statuses = [phone.delete(team.url(team.deleter) + f"c{i}.vcf") for i in range(24)]
    assert [r.status_code for r in statuses[:12]] == [200] * 12
    refused = statuses[12]
    assert refused.status_code == 403 and need_privilege(refused) == "unbind"
    assert "refuses to delete more" in refused.text
    assert {r.status_code for r in statuses[12:]} == {403}
    assert team.hrefs(team.reader) == {f"c{i}.vcf" for i in range(12, 24)}  # nothing more gone

    message = inbox.wait_for(team.admin, "12 items")
    assert team.deleter in message["Subject"] and "DAVx5" in body(message)
    assert len(inbox.to(team.admin)) == 1  # once per burst, however many refusals

    (burst,) = _api(server, team.admin).ok("GET", f"/collections/{team.book}/bursts")["bursts"]
    done = _api(server, team.admin).ok(
        "POST", f"/collections/{team.book}/bursts/{burst['id']}/undo"
    )
    assert done["restored"] == 12
    assert len(team.hrefs(team.reader)) == 24
