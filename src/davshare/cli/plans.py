"""``davshare plan …`` and ``davshare mail …``: plans and quotas (SPEC A4), the outbox.

With no SMTP server configured, ``davshare mail pending`` shows the messages
waiting, with their links, for the server admin to pass on.
"""

import argparse
from collections.abc import Callable

from sqlalchemy import Engine

from davshare.mail import sender
from davshare.model import mail_outbox, quotas
from davshare.server import config

EngineOf = Callable[[argparse.Namespace], Engine]


def _cap(value: int | None) -> str:
    return "unlimited" if value is None else str(value)


def _set_plan(engine: Engine, args: argparse.Namespace) -> None:
    plan = quotas.set_plan(
        engine,
        args.name,
        max_groups=args.groups,
        max_members=args.members,
        group_storage=args.group_storage,
        personal_storage=args.personal_storage,
    )
    print(f"plan {plan.name}: " + ", ".join(f"{k} {_cap(getattr(plan, k))}" for k in quotas.LIMITS))


def _list_plans(engine: Engine) -> None:
    for plan in quotas.list_plans(engine):
        print(plan.name + "\t" + "\t".join(f"{k}={_cap(getattr(plan, k))}" for k in quotas.LIMITS))


def _assign(engine: Engine, args: argparse.Namespace) -> None:
    plan = None if args.plan in ("none", "-") else args.plan
    quotas.assign_plan(engine, args.login, plan)
    print(f"{args.login.strip().lower()} now has {'no plan' if plan is None else 'plan ' + plan}")


def _send_pending(engine: Engine, args: argparse.Namespace) -> None:
    settings = config.load(args.config)
    if not settings.mail.host:
        print("no SMTP server configured ([mail] host): see `davshare mail pending`")
        return
    sent, failed = sender.send_pending(engine, settings.mail)
    print(f"{sent} message(s) sent, {failed} failed (retried later)")


def _pending(engine: Engine) -> None:
    for message in mail_outbox.unsent(engine):
        error = f"\t(last error: {message.last_error})" if message.last_error else ""
        print(f"{message.recipient}\t{message.subject}\t{message.link or '-'}{error}")


def register(sub: argparse._SubParsersAction, engine_of: EngineOf) -> None:
    """Add the ``plan`` and ``mail`` commands to the ``davshare`` parser."""
    plan = sub.add_parser("plan", help="plans: what accounts may create and store").add_subparsers(
        required=True, metavar="ACTION"
    )
    put = plan.add_parser("set", help="create or replace a plan (caps left out: none)")
    put.add_argument("name")
    put.add_argument("--groups", type=int, help="groups one may administer")
    put.add_argument("--members", type=int, help="members per group, admin included")
    put.add_argument("--group-storage", type=int, metavar="BYTES", help="storage per group")
    put.add_argument("--personal-storage", type=int, metavar="BYTES", help="own collections")
    put.set_defaults(func=lambda a: _set_plan(engine_of(a), a))
    plan.add_parser("list", help="list plans").set_defaults(
        func=lambda a: _list_plans(engine_of(a))
    )
    remove = plan.add_parser("remove", help="remove a plan no account has")
    remove.add_argument("name")
    remove.set_defaults(func=lambda a: quotas.remove_plan(engine_of(a), a.name))
    assign = plan.add_parser("assign", help="give an account a plan ('none': no caps)")
    assign.add_argument("login")
    assign.add_argument("plan")
    assign.set_defaults(func=lambda a: _assign(engine_of(a), a))

    mail = sub.add_parser("mail", help="the outbox of invitations and join requests")
    actions = mail.add_subparsers(required=True, metavar="ACTION")
    actions.add_parser("send-pending", help="send the messages due now by SMTP").set_defaults(
        func=lambda a: _send_pending(engine_of(a), a)
    )
    actions.add_parser(
        "pending", help="list the messages not sent yet, with their links"
    ).set_defaults(func=lambda a: _pending(engine_of(a)))
