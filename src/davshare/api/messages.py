"""The server's messages in the language the page asks for (``Accept-Language``), each with
a stable ``message_code`` the page can translate by itself (issue 17).

Messages are written in English where they arise (the data layer, the DAV application);
this catalog gives each the same sentence in French, its variable parts carried over.
A message not in the catalog still answers a French reader in French: a sentence for its
error's code, so a French session never reads English.
"""

import json
import re

from werkzeug.wrappers import Request, Response

LANGUAGES = ("en", "fr")

# (message code, the English message with {parts}, the French one).
# fmt: off
CATALOG: list[tuple[str, str, str]] = [
    ("may_not_add", "You may not add to {name}: ask its owner or group admin.",
     "Vous ne pouvez pas ajouter dans {name} : demandez-le à son propriétaire ou à l’admin du groupe."),
    ("may_not_modify_creator", "You may not modify this item: ask its creator ({who}) to let you.",
     "Vous ne pouvez pas modifier cet élément : demandez à son créateur ({who}) de vous le permettre."),
    ("may_not_modify", "You may not modify this item: ask its creator to let you.",
     "Vous ne pouvez pas modifier cet élément : demandez à son créateur de vous le permettre."),
    ("may_not_delete", "You may not delete items of {name}: ask for the delete right.",
     "Vous ne pouvez pas supprimer d’éléments de {name} : demandez le droit de supprimer."),
    ("linked_contact", "This contact is shared from the address book of {who}: it follows their copy, so ask them to change it there.",
     "Ce contact est partagé depuis le carnet d’adresses de {who} : il suit sa copie, demandez-lui de le modifier."),
    ("owner_deletes", "Only its owner may delete this collection.",
     "Seul son propriétaire peut supprimer cette collection."),
    ("group_collection_kept", "A group's collection cannot be deleted from a member's home: leave the group to stop seeing it.",
     "La collection d’un groupe ne peut pas être supprimée par un membre : quittez le groupe pour ne plus la voir."),
    ("signed_out", "you are signed out (the session ended or the password changed): sign in again",
     "vous êtes déconnecté (la session a pris fin ou le mot de passe a changé) : reconnectez-vous"),
    ("signed_out", "you are signed out: sign in again", "vous êtes déconnecté : reconnectez-vous"),
    ("sign_in_failed", "wrong login or password: check both (the login is your full address, name@domain) and try again; your server admin can reset a forgotten password",
     "identifiant ou mot de passe erroné : vérifiez les deux (l’identifiant est votre adresse complète, nom@domaine) et réessayez ; l’administrateur du serveur peut réinitialiser un mot de passe oublié"),
    ("sign_in_missing", "give your login (name@domain) and password",
     "donnez votre identifiant (nom@domaine) et votre mot de passe"),
    ("csrf_token_missing", "this change came without the page's security token (X-CSRF-Token): reload the page and try again",
     "cette modification est arrivée sans le jeton de sécurité de la page (X-CSRF-Token) : rechargez la page et réessayez"),
    ("no_account", "no account {login} on this server", "aucun compte {login} sur ce serveur"),
    ("no_account", "no account {login}", "aucun compte {login}"),
    ("share_with_self", "you cannot share a collection with yourself",
     "vous ne pouvez pas partager une collection avec vous-même"),
    ("freebusy_calendars_only", "'freebusy' only applies to calendars",
     "« disponibilités seulement » ne vaut que pour les agendas"),
    ("unknown_rights", "unknown rights {rights}: use one of {known}",
     "droits inconnus {rights} : utilisez l’un de {known}"),
    ("not_shared", "{name} is not shared with {who}", "{name} n’est pas partagé avec {who}"),
    ("no_collection", "you have no collection {name}: pick one from your list",
     "vous n’avez pas de collection {name} : choisissez-en une dans votre liste"),
    ("no_collection", "you have no collection {name} to share",
     "vous n’avez pas de collection {name} à partager"),
    ("no_collection", "you have no collection {name}", "vous n’avez pas de collection {name}"),
    ("may_not_change_collection", "you may not change this collection",
     "vous ne pouvez pas modifier cette collection"),
    ("name_needed", "display_name: give a name of 1 to {max} characters",
     "nom : donnez un nom de 1 à {max} caractères"),
    ("color_invalid", "color: give a colour like #1d4ed8 (or nothing)",
     "couleur : donnez une couleur comme #1d4ed8 (ou rien)"),
    ("description_owner_only", "description: only its owner describes a collection",
     "description : seul son propriétaire décrit une collection"),
    ("description_too_long", "description: {max} characters at most",
     "description : {max} caractères au plus"),
    ("time_zone_invalid", "time_zone: {name} is not a time zone; use one like Europe/Paris",
     "fuseau horaire : {name} n’est pas un fuseau ; utilisez-en un comme Europe/Paris"),
    ("end_before_start", "end must come after start", "la fin doit venir après le début"),
    ("end_before_start", "end: the end must come after the start",
     "fin : la fin doit venir après le début"),
    ("title_missing", "title: give it a title", "titre : donnez-lui un titre"),
    ("email_invalid", "e-mail: {value} is not an e-mail address",
     "e-mail : {value} n’est pas une adresse e-mail"),
    ("date_out_of_range", "{field}: dates must lie between the years {min} and {max}",
     "{field} : les dates doivent être comprises entre les années {min} et {max}"),
    ("percent_out_of_range", "percent: a whole number from 0 to 100",
     "pourcentage : un nombre entier de 0 à 100"),
    ("range_too_long", "ask for {days} days at most at once",
     "demandez {days} jours au plus à la fois"),
    ("date_invalid", "{name} must be a date or date-time like 2026-12-07 or 2026-12-07T00:00Z",
     "{name} doit être une date ou une date et heure comme 2026-12-07 ou 2026-12-07T00:00Z"),
    ("not_a_calendar", "{name} is not a calendar", "{name} n’est pas un agenda"),
    ("not_a_task_list", "{name} is not a task list", "{name} n’est pas une liste de tâches"),
    ("may_not_read", "you may not read {name}: ask its owner for the read right",
     "vous ne pouvez pas lire {name} : demandez à son propriétaire le droit de lecture"),
    ("may_not_see", "you may not see {name}: ask its owner to share it with you",
     "vous ne pouvez pas voir {name} : demandez à son propriétaire de le partager avec vous"),
    ("group_exists", "a group named {name} exists already: choose another name",
     "un groupe nommé {name} existe déjà : choisissez un autre nom"),
    ("already_member", "{who} is a member already", "{who} est déjà membre"),
    ("already_invited", "{who} is invited already: resend or withdraw the invitation",
     "{who} est déjà invité : renvoyez ou retirez l’invitation"),
    ("no_group", "no group {name} in the directory", "aucun groupe {name} dans l’annuaire"),
    ("no_group", "no group {name}", "aucun groupe {name}"),
    ("not_member", "you are not a member of a group {name}",
     "vous n’êtes pas membre d’un groupe {name}"),
    ("invitation_expired", "the invitation has expired: ask the group's admin to resend it",
     "l’invitation a expiré : demandez à l’admin du groupe de la renvoyer"),
    ("no_invitation", "no such invitation: it was withdrawn, answered, or is for someone else",
     "pas d’invitation de ce genre : elle a été retirée, a déjà reçu une réponse ou est destinée à quelqu’un d’autre"),
    ("admins_only", "only the group's admin and co-admins manage invitations",
     "seuls l’admin et les co-admins du groupe gèrent les invitations"),
    ("admin_only", "only the group's admin changes its settings",
     "seul l’admin du groupe modifie ses réglages"),
    ("server_admin_only", "only a server admin {what}", "seul un administrateur du serveur {what}"),
    ("password_too_short", "the password must have at least {n} characters",
     "le mot de passe doit avoir au moins {n} caractères"),
    ("body_not_json", "the body is not valid JSON: {detail}",
     "le corps de la requête n’est pas du JSON valide : {detail}"),
    ("field_required", "the field {name} is required and must be a string",
     "le champ {name} est obligatoire et doit être une chaîne"),
]
# fmt: on
# A French sentence for each error code, when the message itself is not in the catalog.
GENERIC_FR = {
    "invalid_input": "Cette saisie est refusée : vérifiez-la et réessayez.",
    "forbidden": "Vous n’avez pas le droit de faire cela : demandez-le au propriétaire ou à l’admin.",
    "not_found": "Introuvable : cet élément a peut-être été supprimé entre-temps.",
    "already_exists": "Cela existe déjà : choisissez un autre nom.",
    "precondition_failed": "Quelqu’un l’a modifié entre-temps : rechargez la page et réessayez.",
    "uid_conflict": "Un élément avec le même identifiant existe déjà dans cette collection.",
    "plan_limit": "Votre formule ne le permet pas : demandez à l’administrateur du serveur.",
    "quota_exceeded": "L’espace de stockage est plein : supprimez des éléments ou demandez plus d’espace.",
    "unauthorized": "Connectez-vous avec votre identifiant et votre mot de passe.",
    "too_large": "C’est trop volumineux pour ce serveur.",
}
GENERIC_FR_DEFAULT = (
    "La demande a été refusée : réessayez, ou demandez à l’administrateur du serveur."
)


def _pattern(english: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", english)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


_COMPILED = [(code, _pattern(english), french) for code, english, french in CATALOG]


def language(request: Request) -> str:
    """The language the page asks for: French or English (the default)."""
    return request.accept_languages.best_match(LANGUAGES) or "en"


def translate(message: str, code: str, lang: str) -> tuple[str, str]:
    """``message`` in ``lang`` and its stable message code (the error's code when unknown)."""
    for message_code, pattern, french in _COMPILED:
        found = pattern.match(message.strip())
        if found:
            if lang == "fr":
                return french.format(**found.groupdict()), message_code
            return message, message_code
    if lang == "fr":
        return GENERIC_FR.get(code, GENERIC_FR_DEFAULT), code
    return message, code


def localized(request: Request, response: Response) -> Response:
    """An API error answer with its message in the asked language and its message code."""
    if response.status_code < 400 or response.mimetype != "application/json":
        return response
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return response
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return response
    message, message_code = translate(
        error["message"], str(error.get("code", "")), language(request)
    )
    error["message"] = message
    error.setdefault("message_code", message_code)
    response.set_data(json.dumps(body, indent=1, ensure_ascii=False))
    response.headers["Content-Language"] = language(request)
    return response


# The default collections' names (model/defaults.py) as a French reader sees them.
_DEFAULT_NAMES_FR = {"Contacts": "Contacts", "Calendar": "Agenda", "Tasks": "Tâches"}
_DEFAULT_NAME = re.compile(r"^(Contacts|Calendar|Tasks)( \(.*\))?$")


def collection_name(display_name: str, lang: str) -> str:
    """A default collection's name in ``lang`` (a mount's "Calendar (sales)" too)."""
    found = _DEFAULT_NAME.match(display_name) if lang == "fr" else None
    if found is None:
        return display_name
    return _DEFAULT_NAMES_FR[found[1]] + (found[2] or "")
