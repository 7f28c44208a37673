"""``davshare group …``: the server admin's commands for groups.

Each command acts as a person — the group's admin unless ``--as LOGIN`` names
another — so the rules are exactly those of the API and DAV clients.
"""

import argparse
from collections.abc import Callable

from sqlalchemy import Engine

from davshare.model import group_rights, groups, membership

EngineOf = Callable[[argparse.Namespace], Engine]


def _actor(engine: Engine, args: argparse.Namespace) -> str:
    return str(args.as_login or groups.admin_of(engine, args.group))


def _print_group(group: groups.Group) -> None:
    print(f"group: {group.name}")
    print(f"description: {group.description}")
    for member in group.members:
        print(f"member: {member.login}\t{member.role}\t{member.display_name}")
    for collection in group.collections:
        print(f"collection: {collection.name}\t{collection.kind}\t{collection.display_name}")


def register(sub: argparse._SubParsersAction, engine_of: EngineOf) -> None:
    """Add the ``group`` command and its actions to the ``davshare`` parser."""
    group = sub.add_parser("group", help="manage groups").add_subparsers(
        required=True, metavar="ACTION"
    )

    def command(
        name: str,
        help_: str,
        run: Callable[[Engine, argparse.Namespace], None],
        *,
        needs_group: bool = True,
        says: str = "",
    ) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(name, help=help_, description=help_)
        if needs_group:
            parser.add_argument("group", help="the group's name")
            parser.add_argument(
                "--as",
                dest="as_login",
                metavar="LOGIN",
                help="act as this member (default: the group's admin)",
            )

        def done(args: argparse.Namespace) -> None:
            run(engine_of(args), args)
            if says:  # a change says what it did
                print(says.format(**vars(args)))

        parser.set_defaults(func=done)
        return parser

    create = command(
        "create",
        "create a group with its address book, calendar and task list",
        lambda e, a: _print_group(groups.create_group(e, a.admin, a.name, a.description)),
        needs_group=False,
    )
    create.add_argument("name")
    create.add_argument("--admin", required=True, help="the account that becomes the group's admin")
    create.add_argument("--description", default="")

    command(
        "list",
        "list every group",
        lambda e, a: _print_all(e),
        needs_group=False,
    )
    command(
        "show",
        "show a group's members and collections",
        lambda e, a: _print_group(groups.get_group(e, _actor(e, a), a.group)),
    )
    delete = command(
        "delete",
        "delete a group and all its content (only the admin may be left)",
        lambda e, a: groups.delete_group(e, _actor(e, a), a.group, a.confirm or ""),
        says="group {group} deleted with all its content",
    )
    delete.add_argument("--confirm", metavar="NAME", help="the group's name again")

    add = command(
        "add-member",
        "add an existing account to the group",
        lambda e, a: membership.add_member(e, _actor(e, a), a.group, a.login),
        says="{login} added to group {group}",
    )
    add.add_argument("login")
    remove = command(
        "remove-member",
        "remove a member (what they added stays)",
        lambda e, a: _remove_member(e, a),
        says="{login} removed from group {group}",
    )
    remove.add_argument("login")
    role = command(
        "set-role",
        "appoint or revoke a co-admin",
        lambda e, a: membership.set_role(e, _actor(e, a), a.group, a.login, a.role),
        says="{login} is now {role} of group {group}",
    )
    role.add_argument("login")
    role.add_argument("role", choices=["coadmin", "member"])
    transfer = command(
        "transfer",
        "hand the admin role to a member",
        lambda e, a: membership.transfer_admin(e, _actor(e, a), a.group, a.login),
        says="{login} is now the admin of group {group}",
    )
    transfer.add_argument("login")

    grant = command(
        "grant",
        "let a member, or all members ('*'), add or add and delete in a collection",
        lambda e, a: group_rights.grant_collection(
            e, _actor(e, a), a.group, a.collection, a.to, a.rights
        ),
        says="{to} may now {rights} in {group}/{collection}",
    )
    grant.add_argument("collection")
    grant.add_argument("--to", required=True, metavar="LOGIN|*")
    grant.add_argument("--rights", required=True, choices=["add", "add_delete"])
    revoke = command(
        "revoke",
        "take back a grant on a collection",
        lambda e, a: group_rights.revoke_collection(e, _actor(e, a), a.group, a.collection, a.to),
        says="grant of {to} on {group}/{collection} taken back",
    )
    revoke.add_argument("collection")
    revoke.add_argument("--to", required=True, metavar="LOGIN|*")

    editor = command(
        "item-editor",
        "the creator of an item lets a member (or '*') modify it, or not",
        lambda e, a: group_rights.set_item_editor(
            e, _actor(e, a), a.group, a.collection, a.href, a.to, not a.forbid
        ),
        says="item {href} in {group}/{collection}: who may modify it changed for {to}",
    )
    editor.add_argument("collection")
    editor.add_argument("href", help="the item's file name, e.g. 1234.vcf")
    editor.add_argument("--to", required=True, metavar="LOGIN|*")
    editor.add_argument("--forbid", action="store_true", help="take the right back")


def _remove_member(engine: Engine, args: argparse.Namespace) -> None:
    given = membership.remove_member(engine, _actor(engine, args), args.group, args.login)
    for share in given:
        to = f"group {share.group}" if share.group else share.sharee
        print(f"{args.login} still shares {share.collection} with {to} ({share.rights})")


def _print_all(engine: Engine) -> None:
    for group in groups.all_groups(engine):
        print(f"{group.name}\t{len(group.members)} member(s)\t{group.description}")
