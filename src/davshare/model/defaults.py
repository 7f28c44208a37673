"""The collections every account and every group starts with (SPEC A3, G2)."""

PREDEFINED_COLLECTIONS: dict[str, dict[str, str]] = {
    "contacts": {"tag": "VADDRESSBOOK", "D:displayname": "Contacts"},
    "calendar": {
        "tag": "VCALENDAR",
        "D:displayname": "Calendar",
        "C:supported-calendar-component-set": "VEVENT",
    },
    "tasks": {
        "tag": "VCALENDAR",
        "D:displayname": "Tasks",
        "C:supported-calendar-component-set": "VTODO",
    },
}
