"""The benchmark's data: seeded, realistic contacts, events and tasks (same for every server)."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

SEED = 42
YEAR = 2026

_FIRST = (
    "Anna",
    "Bruno",
    "Chloé",
    "David",
    "Emma",
    "Farid",
    "Giulia",
    "Hugo",
    "Inès",
    "Jonas",
    "Karin",
    "Léa",
    "Marc",
    "Nadia",
    "Oscar",
    "Paula",
    "Quentin",
    "Rosa",
    "Samuel",
    "Tara",
    "Ugo",
    "Vera",
    "William",
    "Xenia",
    "Yann",
    "Zoé",
    "Ahmed",
    "Beatriz",
    "Chen",
    "Dmitri",
)
_LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Schmidt",
    "Rossi",
    "Novak",
    "Kowalski",
    "Silva",
)
# 10 x 10 = 100 distinct city names, none a substring of another or of any other field.
_CITY_HEADS = ("Ash", "Birch", "Cedar", "Elm", "Fern", "Hazel", "Maple", "Oak", "Pine", "Rowan")
_CITY_TAILS = ("brook", "bury", "dale", "field", "ford", "ham", "mere", "stead", "ton", "wick")
CITIES = tuple(h + t for h in _CITY_HEADS for t in _CITY_TAILS)
# 100 employers, each with its own mail domain: a domain query matches about 1 %.
_COMPANY_WORDS = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Wonka",
)
_COMPANY_KINDS = (
    "Labs",
    "Systems",
    "Foods",
    "Logistics",
    "Energy",
    "Media",
    "Textiles",
    "Robotics",
    "Finance",
    "Travel",
)
COMPANIES = tuple(f"{w} {k}" for w in _COMPANY_WORDS for k in _COMPANY_KINDS)
_PROVIDERS = ("mailbox.test", "post.test", "inbox.test", "webmail.test", "courrier.test")
_STREETS = (
    "Rue de la Paix",
    "Main Street",
    "Station Road",
    "Avenue Victor Hugo",
    "Church Lane",
    "Kirchweg",
    "Via Roma",
    "High Street",
    "Boulevard Voltaire",
    "Mill Road",
)
_SUMMARIES = (
    "Team meeting",
    "Lunch with client",
    "Project review",
    "Dentist",
    "Budget planning",
    "Call supplier",
    "Workshop",
    "One-to-one",
    "Training",
    "Board meeting",
)
_TASKS = (
    "Send invoice",
    "Renew contract",
    "Book venue",
    "Update slides",
    "Order supplies",
    "Review draft",
    "Call back",
    "File expenses",
    "Plan trip",
    "Fix printer",
)


def company_domain(company: str) -> str:
    """The mail domain of an employer, e.g. ``acme-labs.example``."""
    return company.lower().replace(" ", "-") + ".example"


@dataclass(frozen=True)
class Item:
    """One object to PUT: its href in the collection and its text."""

    href: str
    text: str


def _lines(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


def contact(rng: random.Random, uid: str) -> Item:
    """A vCard 3.0 with name, two e-mails, two phones, an address, an organisation and a note."""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    company, city = rng.choice(COMPANIES), rng.choice(CITIES)
    login = f"{first}.{last}".lower().encode("ascii", "ignore").decode() + str(rng.randrange(100))
    text = _lines(
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid}",
        f"FN:{first} {last}",
        f"N:{last};{first};;;",
        f"EMAIL;TYPE=INTERNET,WORK:{login}@{company_domain(company)}",
        f"EMAIL;TYPE=INTERNET,HOME:{login}@{rng.choice(_PROVIDERS)}",
        f"TEL;TYPE=CELL:+33 6 {rng.randrange(10**7, 10**8)}",
        f"TEL;TYPE=WORK:+33 1 {rng.randrange(10**7, 10**8)}",
        f"ADR;TYPE=WORK:;;{rng.randrange(1, 200)} {rng.choice(_STREETS)};{city};;"
        f"{rng.randrange(10000, 99999)};France",
        f"ORG:{company}",
        f"TITLE:{rng.choice(('Engineer', 'Manager', 'Buyer', 'Director'))}",
        f"NOTE:Met at the {rng.choice(('fair', 'conference', 'office', 'workshop'))} "
        f"in {YEAR - rng.randrange(10)}. Prefers {rng.choice(('e-mail', 'phone', 'meetings'))}.",
        "END:VCARD",
    )
    return Item(f"{uid}.vcf", text)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def event(rng: random.Random, uid: str) -> Item:
    """A one-hour event somewhere in the year; one in twenty recurs weekly for ten weeks."""
    start = datetime(YEAR, 1, 1, 8) + timedelta(days=rng.randrange(365), hours=rng.randrange(10))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//davshare bench//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{YEAR - 1}1201T000000Z",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + timedelta(hours=1))}",
        f"SUMMARY:{rng.choice(_SUMMARIES)}",
        f"LOCATION:{rng.choice(CITIES)}",
    ]
    if rng.random() < 0.05:
        lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return Item(f"{uid}.ics", _lines(*lines))


def task(rng: random.Random, uid: str) -> Item:
    """A task with a due date in the year."""
    due = datetime(YEAR, 1, 1, 17) + timedelta(days=rng.randrange(365))
    status = rng.choice(("NEEDS-ACTION", "NEEDS-ACTION", "IN-PROCESS", "COMPLETED"))
    return Item(
        f"{uid}.ics",
        _lines(
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//davshare bench//EN",
            "BEGIN:VTODO",
            f"UID:{uid}",
            f"DTSTAMP:{YEAR - 1}1201T000000Z",
            f"DUE:{_stamp(due)}",
            f"SUMMARY:{rng.choice(_TASKS)}",
            f"STATUS:{status}",
            "END:VTODO",
            "END:VCALENDAR",
        ),
    )


@dataclass(frozen=True)
class Dataset:
    """Everything loaded into each server for one size."""

    contacts: list[Item]
    events: list[Item]
    tasks: list[Item]


def dataset(size: int) -> Dataset:
    """``size`` contacts, ``size // 2`` events and ``size // 10`` tasks, the same on every call."""
    rng = random.Random(SEED)
    contacts = [contact(rng, f"bench-contact-{i:06d}") for i in range(size)]
    events = [event(rng, f"bench-event-{i:06d}") for i in range(size // 2)]
    tasks = [task(rng, f"bench-task-{i:06d}") for i in range(size // 10)]
    return Dataset(contacts, events, tasks)


def extra_contacts(prefix: str, count: int, seed: int = SEED + 1) -> list[Item]:
    """New contacts for the write workloads (UIDs that never clash with the dataset's)."""
    rng = random.Random(f"{seed}-{prefix}")
    return [contact(rng, f"bench-{prefix}-{i:06d}") for i in range(count)]


def query_targets(data: Dataset) -> tuple[str, str]:
    """(mail domain, city) used by the address-book queries: those of the first contact."""
    first = data.contacts[0].text
    domain = first.split("EMAIL;TYPE=INTERNET,WORK:", 1)[1].split("\r\n", 1)[0].split("@", 1)[1]
    city = first.split("ADR;TYPE=WORK:", 1)[1].split(";")[3]
    return domain, city
