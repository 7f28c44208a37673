"""Checking one item a client sends before anything is stored."""

from radicale import item as radicale_item

from davshare.core import context
from davshare.storage.collection import Collection

_COMPONENT_NAMES = {"VEVENT": "events", "VTODO": "tasks", "VJOURNAL": "journal entries"}


def parse_item(
    text: str, collection: Collection, max_occurrences: int
) -> tuple[radicale_item.Item | None, str]:
    """The item ``text`` makes in ``collection``, or None and why it cannot be stored."""
    kind = "vCard" if collection.tag == "VADDRESSBOOK" else "iCalendar object"
    try:
        components = radicale_item.read_components(text)
    except Exception as e:
        return None, f"The body is not a valid {kind}: {e}"
    _remember_uid(text, components)  # before Radicale's checks complete the components
    try:
        radicale_item.check_and_sanitize_items(
            components,
            max_vevent_rrule_occurrence=max_occurrences,
            is_collection=False,
            tag=collection.tag,
        )
        item = radicale_item.Item(collection_path=collection.path, vobject_item=components[0])
        item.prepare()
    except Exception as e:
        return None, f"The body is not a valid {kind} for {collection.path}: {e}"
    return item, ""


def _remember_uid(text: str, components: list[object]) -> None:
    context.current().cache[("uid of the text", text)] = (
        radicale_item.get_uid_from_object(components[0]) if len(components) == 1 else None
    )


def uid_of_text(text: str) -> str | None:
    """The UID of the one component ``text`` holds as sent (None: not exactly one, or
    not readable); parsed once per request."""
    cache, key = context.current().cache, ("uid of the text", text)
    if key not in cache:
        try:
            _remember_uid(text, radicale_item.read_components(text))
        except Exception:
            cache[key] = None
    found = cache[key]
    return found if isinstance(found, str) else None


def unsupported_component(item: radicale_item.Item, collection: Collection) -> str:
    """Why a calendar refuses the item's kind (RFC 4791 5.3.2.1), or "" if it takes it."""
    supported = collection.get_meta("C:supported-calendar-component-set")
    if (
        collection.tag != "VCALENDAR"
        or not supported
        or item.component_name in supported.split(",")
    ):
        return ""
    holds = ", ".join(_COMPONENT_NAMES.get(c, c) for c in supported.split(","))
    given = _COMPONENT_NAMES.get(item.component_name, item.component_name)
    return f"{collection.path} holds {holds}, not {given}: put it in another calendar"
