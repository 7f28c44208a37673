"""The OpenAPI document of the API, built from the route table so the two never drift."""

import re
from typing import Any

from davshare import __version__
from davshare.api.base import Handler

_PARAM = re.compile(r"<(\w+)>")

# handler name -> the fields of its JSON body (all strings): name -> description
_CONFIDENTIAL = (
    "optional JSON list of contact properties the recipients do not receive, "
    'e.g. ["BDAY", "NOTE", "ADR;TYPE=HOME", "TEL;TYPE=CELL"]'
)
_FILTER = (
    '{"all": [...]}, {"any": [...]}, {"not": {...}} or {"field": "city", "op": "equals", '
    '"value": "Lyon"}; fields: city, country, region, postal_code, street, organisation, '
    "email, email_domain, phone, category, title, name, nickname, note, or a vCard property "
    "such as X-SUPPORT-LEVEL; ops: equals, contains, starts_with, exists"
)
BODIES: dict[str, dict[str, str]] = {
    "update_me": {
        "display_name": "the name others see",
        "given_name": "",
        "family_name": "",
        "organisation": "",
        "photo": "data:image/png;base64,... (under 256 kB)",
    },
    "create_group": {
        "name": "unique, never changes: 2-63 of a-z, 0-9, '-'",
        "description": "free text",
    },
    "update_group": {"description": "free text"},
    "add_member": {"login": "an existing account, local@domain"},
    "set_role": {"role": "'coadmin' or 'member'"},
    "transfer": {"login": "the member who becomes admin"},
    "add_collection": {
        "name": "a-z, 0-9, '-'",
        "kind": "addressbook, calendar or tasks",
        "display_name": "shown in clients",
    },
    "grant": {"rights": "'add' or 'add_delete'"},
    "update_collection": {
        "display_name": "for you only, on a group's or shared collection",
        "color": "#rrggbb",
        "hidden": "true or false (a JSON boolean)",
    },
    "share": {
        "rights": "freebusy (calendars), read, read_write or read_write_delete",
        "confidential": _CONFIDENTIAL,
    },
    "share_group": {
        "rights": "freebusy (calendars), read, read_write or read_write_delete",
        "confidential": _CONFIDENTIAL,
    },
    # Issue 5: views and linked contacts
    "put_view": {"filter": _FILTER},
    "preview_view": {"filter": _FILTER},
    "assign_view": {"view": "the name of a view of this address book"},
    "put_own_view": {"filter": _FILTER},
    "preview_own_view": {"filter": _FILTER},
    "assign_own_view": {"view": "the name of a view of this address book"},
    "link_contact": {
        "source_collection": "one of your own address books, e.g. contacts",
        "href": "the contact's file name in it, e.g. 1234.vcf",
        "confidential": _CONFIDENTIAL,
    },
    "set_domain_rule": {"share_with": "a JSON list of domain names; empty: every domain"},
    # SPEC G3, G12, A4
    "invite": {"address": "an account, or an address of a domain served here"},
    "set_language": {"language": "en or fr: the language of messages sent to you"},
    # Issue 15: app passwords and two factors
    "create_app_password": {"name": "the device, e.g. Phone or Thunderbird at work"},
    "confirm_two_factors": {"code": "the 6 digits the authenticator app shows"},
    "turn_off_two_factors": {"code": "a current code or a recovery code"},
    "new_recovery_codes": {"code": "a current code"},
    "update_directory_settings": {
        "published": "true or false (a JSON boolean): listed in the directory",
        "members_published": "true or false: the member list is shown",
        "open": "true or false: anyone joins at once (only when published)",
        "activity": "professional or personal",
        "sector": "free text, e.g. education",
        "language": "e.g. en, fr",
    },
    "join": {"message": "for the admins of a closed group"},
    "put_plan": {
        "max_groups": "groups one may administer (a JSON number, or null: no cap)",
        "max_members": "members per group, admin included",
        "group_storage": "bytes per group",
        "personal_storage": "bytes of one's own collections",
    },
    "assign_plan": {"plan": "a plan's name, or null for none"},
    # Issue 9: what the server admin's pages send
    "add_account": {
        "login": "local@domain, of a domain served here",
        "password": "the first password (8 characters or more)",
        "display_name": "shown to others",
        "profile": "read_only, add or add_delete",
    },
    "update_account": {
        "password": "a new password (only to reset it)",
        "profile": "read_only, add or add_delete",
        "display_name": "shown to others",
        "disabled": "true or false (a JSON boolean)",
        "server_admin": "true to make the account a server admin, false to take it back "
        "(the last server admin stays)",
    },
    "add_domain": {"name": "a mail domain, e.g. example.com"},
}
_REQUIRED_OPTIONAL = {
    "profile",
    "disabled",
    "server_admin",
    "description",
    "display_name",
    "color",
    "hidden",
    "given_name",
    "family_name",
    "organisation",
    "photo",
    "published",
    "members_published",
    "open",
    "activity",
    "sector",
    "language",
    "message",
    "max_groups",
    "max_members",
    "group_storage",
    "personal_storage",
    "plan",
}

_BOOLEANS = {"disabled", "server_admin", "hidden", "published", "members_published", "open"}
# Bodies whose unknown fields are refused with 400 (Call.body_of).
_CLOSED = {"update_account"}
# State refusals (409) and their stable error codes.
_CONFLICTS = {
    "delete_group": "group_has_members: remove the members first",
    "remove_member": "admin_must_hand_over: the admin hands the role over before leaving",
    "restore_item": "restore_conflict: an item holds its name or UID now",
    "restore_collection": "restore_conflict: a collection holds its path now",
}
_QUERIES = {
    "search_directory": ("name", "activity", "sector", "language"),
    "group_activity": ("action", "actor", "collection", "since", "until", "limit", "format"),
    "compare_versions": ("to",),
}

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        }
    },
}


def _operation(method: str, path: str, handler: Handler) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": handler.__name__,
        "summary": (handler.__doc__ or "").strip().splitlines()[0],
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in _PARAM.findall(path)
        ],
        "responses": {
            "200": {
                "description": "done",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "429": {
                "description": "too_many_failures: sign-ins refused for Retry-After seconds",
                "content": {"application/json": {"schema": ERROR}},
            },
            "default": {
                "description": "an error",
                "content": {"application/json": {"schema": ERROR}},
            },
        },
    }
    name = handler.__name__
    if name in _CONFLICTS:
        operation["responses"]["409"] = {
            "description": _CONFLICTS[name],
            "content": {"application/json": {"schema": ERROR}},
        }
    operation["parameters"] += [
        {"name": q, "in": "query", "required": False, "schema": {"type": "string"}}
        for q in _QUERIES.get(name, ())
    ]
    fields = BODIES.get(name)
    if fields:
        required = [f for f in fields if f not in _REQUIRED_OPTIONAL]
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {
                f: {"type": "boolean" if f in _BOOLEANS else "string", "description": d}
                for f, d in fields.items()
            },
            "required": required,
        }
        if name in _CLOSED:
            schema["additionalProperties"] = False
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    if method == "DELETE" and handler.__name__ == "delete_group":
        operation["parameters"].append(
            {
                "name": "confirm",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
                "description": "the group's name again",
            }
        )
    return operation


def document(prefix: str, routes: list[tuple[str, str, Handler]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``routes`` served under ``prefix``."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path, handler in routes:
        paths.setdefault(_PARAM.sub(r"{\1}", path), {})[method.lower()] = _operation(
            method, path, handler
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "davshare management API",
            "version": __version__,
            "description": "Groups, members, roles and rights. Log in with HTTP Basic, as for DAV. "
            'Errors are JSON: {"error": {"code": "...", "message": "..."}}.',
        },
        "servers": [{"url": prefix}],
        "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
        "security": [{"basic": []}],
        "paths": paths,
    }
