"""Implicit scheduling (RFC 6638 3, 4): what a PUT or DELETE of a calendar object delivers.

Before the write, ``plan_put`` decides: the organizer's write sends a REQUEST to each
attendee the server schedules (and a CANCEL to those removed), with each attendee's
SCHEDULE-STATUS recorded in the stored text; an attendee's change of their PARTSTAT
sends a REPLY; an ORGANIZER naming another account of this server is refused. After
the write succeeded, ``deliver`` carries the plan out in one transaction: accounts of
this server through their inbox and calendars (``schedule_delivery``), anyone else by
e-mail (``imip``).
"""

import io
from dataclasses import dataclass, field
from http import client

import icalendar
from radicale import item as radicale_item
from radicale import types
from radicale.log import logger
from sqlalchemy import Engine

from davshare.core import context, itip, itip_messages, policy
from davshare.dav import errors
from davshare.model import imip, schedule_delivery, scheduling
from davshare.model.db import read_transaction, write_transaction

TAG_HEADER = "HTTP_IF_SCHEDULE_TAG_MATCH"


@dataclass
class Plan:
    """The messages one write sends once it is stored."""

    organizer: str
    new: icalendar.Calendar | None = None
    old: icalendar.Calendar | None = None
    requests: set[str] = field(default_factory=set)
    cancels: set[str] = field(default_factory=set)
    reply: icalendar.Calendar | None = None
    replier: str = ""
    # The stored text differs from the client's (SCHEDULE-STATUS): no ETag in the answer.
    rewritten: bool = False


def tag_refusal(
    engine: Engine, environ: types.WSGIEnviron, collection_id: int, existing: object
) -> types.WSGIResponse | None:
    """412 when If-Schedule-Tag-Match names another Schedule-Tag than the item's (3.2.10)."""
    wanted = environ.get(TAG_HEADER)
    if wanted is None:
        return None
    href = getattr(existing, "href", None)
    stored = scheduling.schedule_tag(engine, collection_id, href) if href else None
    if stored is not None and stored and stored == wanted.strip().strip('"'):
        return None
    return errors.plain(
        client.PRECONDITION_FAILED,
        "The event changed since your client read it (its Schedule-Tag differs): reload it.",
    )


def _classify(engine: Engine, addresses: set[str]) -> dict[str, str]:
    """The SCHEDULE-STATUS each address will get: delivered here, e-mailed, or unknown."""
    with read_transaction(engine) as conn:
        local = scheduling.local_logins(conn, addresses)
        served = scheduling.served_domains(conn)
    statuses = {}
    for who in addresses:
        if who in local:
            statuses[who] = schedule_delivery.DELIVERED
        elif who.rpartition("@")[2] in served or "@" not in who:
            statuses[who] = policy.UNKNOWN_USER
        else:
            statuses[who] = imip.SENT
    return statuses


def _replace_body(environ: types.WSGIEnviron, text: str) -> None:
    body = text.encode()
    environ["wsgi.input"] = io.BytesIO(body)  # type: ignore[index]
    environ["CONTENT_LENGTH"] = str(len(body))  # type: ignore[index]
    environ["CONTENT_TYPE"] = "text/calendar; charset=utf-8"  # type: ignore[index]
    context.current().raw_body = text


def _organizer_plan(
    engine: Engine,
    environ: types.WSGIEnviron,
    new: icalendar.Calendar,
    old: icalendar.Calendar | None,
) -> Plan:
    facts, before = itip.read(new), itip.read(old) if old is not None else itip.Facts()
    plan = Plan(facts.organizer, new=new, old=old)
    recipients = facts.scheduled()
    if before.organizer == facts.organizer and not before.organizer_client:
        plan.cancels = before.scheduled() - recipients
    changed = itip.changed_for_attendees(old, new)
    plan.requests = recipients if changed else recipients - set(before.attendees)
    statuses = _classify(engine, plan.requests | plan.cancels)
    unknown = {who for who, status in statuses.items() if status == policy.UNKNOWN_USER}
    statuses = {who: s for who, s in statuses.items() if who in plan.requests}
    plan.requests -= unknown
    plan.cancels -= unknown
    if statuses:
        itip_messages.set_statuses(new, statuses)
        _replace_body(environ, itip_messages.serialize(new))
        plan.rewritten = True
    return plan


def _attendee_plan(user: str, new: icalendar.Calendar, old: icalendar.Calendar | None) -> Plan:
    facts, before = itip.read(new), itip.read(old) if old is not None else itip.Facts()
    plan = Plan(facts.organizer)
    if facts.organizer_client or user in facts.client_scheduled:
        return plan
    answers = facts.attendees.get(user, {})
    earlier = before.attendees.get(user, {})
    changed = {rid for rid, answer in answers.items() if earlier.get(rid, "NEEDS-ACTION") != answer}
    if changed:
        plan.reply = itip_messages.reply(new, user, only=changed)
        plan.replier = user
    return plan


def _other_account(engine: Engine, address: str) -> bool:
    with read_transaction(engine) as conn:
        return bool(scheduling.local_logins(conn, {address}))


def plan_put(
    engine: Engine,
    environ: types.WSGIEnviron,
    user: str,
    existing: radicale_item.Item | None,
    text: str,
) -> Plan | types.WSGIResponse | None:
    """What a PUT of ``text`` over ``existing`` delivers (None: nothing), or its refusal.

    Sets the Schedule-Tag the stored item gets (``context.schedule_tag``).
    """
    old_text = existing.serialize() if existing is not None else ""
    if "ORGANIZER" not in text.upper() and "ORGANIZER" not in old_text.upper():
        return None  # not a scheduling object, before or after: nothing to read further
    new = itip.parse(text)
    old = itip.parse(old_text) if old_text else None
    facts = itip.read(new) if new is not None else itip.Facts()
    before = itip.read(old) if old is not None else itip.Facts()
    if new is None or not (facts.is_scheduling or before.is_scheduling):
        return None
    ctx = context.current()
    if policy.may_organize(user, facts.organizer):
        ctx.schedule_tag = scheduling.new_tag()
        return None if facts.organizer_client else _organizer_plan(engine, environ, new, old)
    if user in facts.attendees:
        ctx.schedule_tag = None if existing is not None else scheduling.new_tag()
        return _attendee_plan(user, new, old)
    if facts.organizer != before.organizer and _other_account(engine, facts.organizer):
        return errors.dav_error(
            client.FORBIDDEN,
            "C:valid-organizer",
            f"The ORGANIZER must be you ({user}): you may not invite people in the name "
            f"of {facts.organizer}.",
        )
    return None  # someone else's event, stored as it is: nothing is sent


def plan_delete(user: str, existing: radicale_item.Item | None) -> Plan | None:
    """What a DELETE of ``existing`` delivers: the organizer's CANCEL, an attendee's decline."""
    text = existing.serialize() if existing is not None else ""
    old = itip.parse(text) if "ORGANIZER" in text.upper() else None
    facts = itip.read(old) if old is not None else itip.Facts()
    if old is None or not facts.is_scheduling or facts.organizer_client:
        return None
    if facts.organizer == user:
        return Plan(user, old=old, cancels=facts.scheduled())
    answers = facts.attendees.get(user)
    if not answers or user in facts.client_scheduled or set(answers.values()) == {"DECLINED"}:
        return None
    if any(str(c.get("STATUS", "")).upper() == "CANCELLED" for c in itip.components(old)):
        return None
    return Plan(facts.organizer, reply=itip_messages.reply(old, user, "DECLINED"), replier=user)


def deliver(engine: Engine, plan: Plan | None) -> None:
    """Send what ``plan`` holds, in one transaction (the write itself is already stored)."""
    if plan is None or not (plan.requests or plan.cancels or plan.reply is not None):
        return
    try:
        with write_transaction(engine) as conn:
            everyone = plan.requests | plan.cancels | ({plan.organizer} if plan.reply else set())
            local = scheduling.local_logins(conn, everyone)
            for who in sorted(plan.requests):
                assert plan.new is not None
                if who in local:
                    schedule_delivery.request(conn, plan.organizer, who, plan.new)
                else:
                    imip.send(conn, plan.organizer, who, plan.new)
            for who in sorted(plan.cancels):
                assert plan.old is not None
                if who in local:
                    schedule_delivery.cancel(conn, plan.organizer, who, plan.old)
                elif "@" in who:
                    imip.cancel(conn, plan.organizer, who, plan.old)
            if plan.reply is not None and plan.organizer in local:
                schedule_delivery.reply(conn, plan.replier, plan.organizer, plan.reply)
            elif plan.reply is not None and "@" in plan.organizer:
                imip.send_reply(conn, plan.replier, plan.organizer, plan.reply)
    except Exception:  # the write stands; a failed delivery must not turn it into a 500
        logger.exception("scheduling messages of %s were not delivered", plan.organizer)


def answer_headers(
    answer: types.WSGIResponse, plan: Plan | None, tag: str | None
) -> types.WSGIResponse:
    """The PUT's answer with its Schedule-Tag, and without an ETag if the text was changed."""
    status, headers, body, xml_request = answer
    if status not in (client.CREATED, client.NO_CONTENT, client.OK):
        return answer
    headers = dict(headers)
    if plan is not None and plan.rewritten:
        headers.pop("ETag", None)
    if tag:
        headers["Schedule-Tag"] = f'"{tag}"'
    return status, headers, body, xml_request
