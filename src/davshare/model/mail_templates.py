"""The texts of the messages davshare sends, in English and French (pure: no I/O).

Each template is (subject, body) with ``str.format`` fields; a language not
listed falls back to English.
"""

LANGUAGES = ("en", "fr")

_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "invitation": {
        "en": (
            "{inviter} invites you to the group {group}",
            "Hello,\n\n{inviter} invites you to join the group {group} on davshare: its "
            "address book, calendar and task list will appear in your clients next to your "
            "own.\n\nAccept or decline in davshare (log in as {invitee}; create your account "
            "first if you have none). The invitation is at:\n{link}\n\n"
            "It can be accepted until {expires}.\n",
        ),
        "fr": (
            "{inviter} vous invite dans le groupe {group}",
            "Bonjour,\n\n{inviter} vous invite à rejoindre le groupe {group} sur davshare : "
            "son carnet d'adresses, son agenda et sa liste de tâches apparaîtront dans vos "
            "logiciels à côté des vôtres.\n\nAcceptez ou refusez dans davshare (connectez-vous "
            "en tant que {invitee} ; créez d'abord votre compte si vous n'en avez pas). "
            "L'invitation se trouve à :\n{link}\n\nElle peut être acceptée jusqu'au {expires}.\n",
        ),
    },
    "join_request": {
        "en": (
            "{requester} asks to join the group {group}",
            "Hello,\n\n{requester} asks to join the group {group}.\n\n{message}\n"
            "Accept or decline the request at:\n{link}\n",
        ),
        "fr": (
            "{requester} demande à rejoindre le groupe {group}",
            "Bonjour,\n\n{requester} demande à rejoindre le groupe {group}.\n\n{message}\n"
            "Acceptez ou refusez la demande à :\n{link}\n",
        ),
    },
    "join_accepted": {
        "en": (
            "Welcome to the group {group}",
            "Hello,\n\nYour request to join the group {group} was accepted: its collections "
            "appear in your clients at their next sync.\n",
        ),
        "fr": (
            "Bienvenue dans le groupe {group}",
            "Bonjour,\n\nVotre demande pour rejoindre le groupe {group} a été acceptée : ses "
            "collections apparaîtront dans vos logiciels à leur prochaine synchronisation.\n",
        ),
    },
    "join_declined": {
        "en": (
            "Your request to join the group {group}",
            "Hello,\n\nYour request to join the group {group} was declined.\n",
        ),
        "fr": (
            "Votre demande pour rejoindre le groupe {group}",
            "Bonjour,\n\nVotre demande pour rejoindre le groupe {group} a été refusée.\n",
        ),
    },
    "itip_request": {
        "en": (
            "Invitation: {summary}",
            "Hello,\n\n{organizer} invites you to {summary} ({when}).\n\n"
            "The invitation is attached; your calendar program can answer it. Or answer here:\n"
            "Accept: {accept}\nTentative: {tentative}\nDecline: {decline}\n",
        ),
        "fr": (
            "Invitation : {summary}",
            "Bonjour,\n\n{organizer} vous invite à {summary} ({when}).\n\n"
            "L'invitation est jointe ; votre agenda peut y répondre. Ou répondez ici :\n"
            "Accepter : {accept}\nProvisoire : {tentative}\nRefuser : {decline}\n",
        ),
    },
    "itip_cancel": {
        "en": (
            "Cancelled: {summary}",
            "Hello,\n\n{organizer} cancelled {summary} ({when}).\n",
        ),
        "fr": (
            "Annulé : {summary}",
            "Bonjour,\n\n{organizer} a annulé {summary} ({when}).\n",
        ),
    },
    "itip_reply": {
        "en": (
            "{attendee} answered: {summary}",
            "Hello,\n\n{attendee} answered {answer} to {summary} ({when}).\n",
        ),
        "fr": (
            "Réponse de {attendee} : {summary}",
            "Bonjour,\n\n{attendee} a répondu {answer} à {summary} ({when}).\n",
        ),
    },
    "mass_deletion": {
        "en": (
            "{who} deleted {deleted} items of {collection} at once",
            "Hello,\n\n{deleted} items of {collection} were deleted by {who} from {client} "
            "since {when}. davshare refuses further deletions from that client for now.\n\n"
            "If it was a mistake (a phone or a sync tool gone wrong), undo it in one step in "
            "the collection's Trash, in davshare's web pages. Nothing is lost.\n",
        ),
        "fr": (
            "{who} a supprimé {deleted} éléments de {collection} d'un coup",
            "Bonjour,\n\n{deleted} éléments de {collection} ont été supprimés par {who} depuis "
            "{client} depuis le {when}. davshare refuse pour l'instant les suppressions suivantes "
            "de ce logiciel.\n\nSi c'est une erreur (un téléphone ou un outil de "
            "synchronisation qui s'emballe), annulez-la en une fois dans la Corbeille de la "
            "collection, dans les pages web de davshare. Rien n'est perdu.\n",
        ),
    },
}


def render(kind: str, language: str, **fields: str) -> tuple[str, str]:
    """(subject, body) of a message of ``kind`` in ``language`` (English if unknown)."""
    texts = _TEMPLATES[kind]
    subject, body = texts.get(language, texts["en"])
    return subject.format(**fields), body.format(**fields)
