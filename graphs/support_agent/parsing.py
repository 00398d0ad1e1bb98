"""Slot extraction for the offline router: every value in a message, with the role it plays in the sentence.

Emails; UUIDs as contact, promotion, reward, gift card, automation, award... by the words just before them;
amounts as money (with or without a currency sign) or points by the unit next to them, and money signed as a
top-up or a payment by the verb; codes as voucher, gift card, loyalty card or order by their shape and context;
dates, times, party sizes; the profile fields a sentence changes. Deterministic and dependency-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
# Codes: upper-case, dash-separated, with a digit (SPRING-10, GC-41654, CARD-000123) or three parts (COFFEE-CARD-JANE).
CODE = re.compile(
    r"(?<![\w-])(?:(?=[A-Z0-9-]*\d)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{2,}(?:-[A-Z]{2,}){2,}|[A-Z]{2,}\d{2,}[A-Z0-9]*)(?![\w-])"
)
_NUMBER = r"(\d{1,7}(?:[.,]\d{1,2})?)"
_CURRENCY = [
    re.compile(r"(?:€|\beur(?:o|os)?\b)\s?" + _NUMBER, re.I),
    re.compile(_NUMBER + r"\s?(?:€|eur(?:o|os)?\b|euro's\b)", re.I),
    re.compile(r"\$\s?" + _NUMBER),
]
_DECIMAL = re.compile(r"(?<![\d.,:-])(\d{1,6}[.,]\d{2})(?![\d.,:-])")
_MONEY_VERB_INT = re.compile(
    r"\b(?:spent|spends|paid|pay|purchase of|aankoop van|order of|bestelling van|charge)\s+(\d{1,6})(?![\d.,:])\b", re.I
)
MONEY_ANY = re.compile(
    r"(?:€|\beur(?:o|os)?\b|\$)\s?\d{1,7}(?:[.,]\d{1,2})?|\d{1,7}(?:[.,]\d{1,2})?\s?(?:€|eur(?:o|os)?\b|euro's\b)"
    r"|(?<![\d.,:-])\d{1,6}[.,]\d{2}(?![\d.,:-])",
    re.I,
)
_POINT_UNITS: tuple[str, ...] = (
    "points",
    "point",
    "pts",
    "pt",
    "credits",
    "credit",
    "beans",
    "bean",
    "stamps",
    "stamp",
    "punten",
    "punt",
    "bonen",
    "boon",
    "stempels",
    "stempel",
    "spaarpunten",
)
_POINTS = re.compile(r"([+-]?\d{1,7})\s?(?:bonus\s+|extra\s+)?([a-z]+)", re.I)
_WORD_NUMBERS = {"one": 1, "a single": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "een": 1}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME = re.compile(r"(?:\bat\s+|\bom\s+|T|\s)(\d{1,2}):(\d{2})\b")
_PEOPLE = re.compile(
    r"\b(\d{1,2})\s*(?:people|persons|personen|ppl|guests|pers|gasten)\b|\b(?:for|voor)\s+(\d{1,2})\b(?!\s*[.,]?\d)(?!\s*(?:euro|eur|€|points|punten))",
    re.I,
)

# Words just before a UUID that say what it is. The closest cue wins; longer cues first at the same place.
_UUID_CUES: list[tuple[str, str]] = [
    ("voucher_redemption", r"redemptions?|inwisseling|voucher redemption"),
    (
        "giftcard_transaction",
        r"gift ?card (?:transaction|payment)|giftcard (?:transaction|payment)|cadeaukaarttransactie",
    ),
    (
        "prepaid_transaction",
        r"prepaid (?:transaction|payment|top[ -]?up)|wallet (?:transaction|payment)|prepaid transactie",
    ),
    ("reward_reception", r"reward (?:claim|reception)|ingewisselde beloning|refund reward|reward claim"),
    ("credit_reception", r"credit reception|award|credits of|transaction|toekenning|puntentoekenning|reverse credits"),
    ("giftcard_program", r"(?:giftcard |gift-card |gift card )?program(?:me|ma)?"),
    ("giftcard", r"gift ?cards?|giftcards?|cadeaukaart"),
    ("promotion", r"promotions?|promos?|actie"),
    ("reward", r"rewards?|beloning"),
    ("automation", r"automations?"),
    ("contact", r"contacts?|customers?|klant|members?|anonymous|anonieme|profile|person"),
]
_UUID_CUE = [(role, re.compile(r"(?<![a-z])(?:" + pattern + r")(?![a-z])", re.I)) for role, pattern in _UUID_CUES]

ATTRIBUTE_WORDS = {
    "firstname": ["first name", "firstname", "given name", "voornaam"],
    "lastname": ["last name", "lastname", "surname", "family name", "achternaam"],
    "phonenumber": [
        "phone number",
        "phonenumber",
        "phone",
        "mobile",
        "telephone",
        "telefoonnummer",
        "telefoon",
        "number",
        "nummer",
        "mobiel",
        "gsm",
    ],
    "birthdate": ["birthdate", "birthday", "date of birth", "birth date", "born", "verjaardag", "geboortedatum"],
    "city": [
        "city",
        "town",
        "woonplaats",
        "moved to",
        "verhuisd naar",
        "lives in",
        "live in",
        "woont in",
        "woon in",
        "moved",
        "verhuisd",
        "woont",
        "lives",
        "relocated",
    ],
    "address": ["address", "street", "adres"],
    "postalcode": ["postal code", "postcode", "zip code", "zip"],
    "housenumber": ["house number", "housenumber", "huisnummer"],
}
_ATTRIBUTE_PATTERNS = {
    name: re.compile(
        r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in sorted(keywords, key=len, reverse=True)) + r")(?![a-z])"
    )
    for name, keywords in ATTRIBUTE_WORDS.items()
}
_FILLER = {
    "to",
    "into",
    "naar",
    "is",
    "are",
    "now",
    "nu",
    "should",
    "shoud",
    "be",
    "moet",
    "as",
    "=",
    ":",
    "it",
    "its",
    "changed",
    "veranderd",
    "becomes",
    "has",
    "a",
    "new",
    "in",
    "op",
    "of",
    "van",
    "for",
    "voor",
    "set",
    "the",
    "wordt",
    "was",
    "her",
    "his",
    "my",
    "mijn",
    "haar",
    "zijn",
    "heeft",
    "en",
    "got",
}
_PARTICLES = {"de", "van", "der", "den", "het", "ter", "ten", "te", "la", "le", "du", "von", "'t"}
_STOP_VALUE = {"now", "nu", "please", "pls", "and", "en", "zijn", "thanks", "can", "kan", "zetten", "for", "voor"}
_SPEND = re.compile(
    r"\b(?:spend|spent|spends|pay|pays|paying|paid|deduct|charge|use|subtract|withdraw|take|betaal|betalen|afschrijven|af|minus|dedcut)\b",
    re.I,
)
_TOP_UP = re.compile(
    r"\b(?:top(?:ped)?[ -]?(?:it )?up|add|load|reload|deposit|put|increase|opwaarderen|waardeer|laad|erbij|zet|stort)\b"
    r"|\+",
    re.I,
)
_ENTITIES = {
    "voucher": "voucher",
    "vouchers": "voucher",
    "reward": "reward",
    "rewards": "reward",
    "promotion": "promotion",
    "promotions": "promotion",
    "promoties": "promotion",
    "promotie": "promotion",
    "giftcard": "giftcard",
    "giftcards": "giftcard",
    "gift cards": "giftcard",
    "gift card": "giftcard",
    "visit": "visit",
    "visits": "visit",
    "booking": "booking",
    "bookings": "booking",
    "prepaid": "prepaid",
    "contact": "contact",
    "contacts": "contact",
}


@dataclass
class Entities:
    """What an utterance mentions, each value with its role."""

    emails: list[str] = field(default_factory=list)
    uuids: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    money_cents: int | None = None
    points: int | None = None
    direction: int = 0
    codes: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    card: str | None = None
    quoted: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    gdpr: bool = False
    date: str | None = None
    datetime: str | None = None
    people: int | None = None
    entity: str | None = None

    def uuid_as(self, *roles: str) -> str | None:
        """The first UUID with one of these roles (a UUID with no cue counts for every role)."""
        for value in self.uuids:
            if self.roles.get(value, "") in (*roles, ""):
                return value
        return None

    def code_of(self, *kinds: str) -> str | None:
        """The first code of one of these kinds."""
        return next((c for c in self.codes if self.kinds.get(c) in kinds), None)

    @property
    def money(self) -> float | None:
        return None if self.money_cents is None else round(self.money_cents / 100, 2)

    @property
    def contact_uuids(self) -> list[str]:
        return [u for u in self.uuids if self.roles.get(u, "contact") == "contact"]


def to_cents(text: str) -> int:
    """'12,50' or '12.50' -> 1250; '12' -> 1200."""
    whole, _, frac = text.replace(",", ".").partition(".")
    return int(whole) * 100 + int((frac + "00")[:2] if frac else 0)


def extract(text: str) -> Entities:
    """Pull every value the planners may need out of one message."""
    found = Entities()
    found.emails = list(dict.fromkeys(e.rstrip(".").lower() for e in EMAIL.findall(text)))
    found.uuids = list(dict.fromkeys(u.lower() for u in UUID.findall(text)))
    found.roles = _uuid_roles(text)
    plain = EMAIL.sub(" ", UUID.sub(" ", text))
    found.codes = [c for c in dict.fromkeys(CODE.findall(plain)) if c not in {"GDPR", "EUR", "QR", "ID", "AVG"}]
    found.kinds = {c: code_kind(c, plain) for c in found.codes}
    no_codes = CODE.sub(" ", plain)
    found.points = _points(no_codes)
    found.money_cents = _money(no_codes)
    found.direction = -1 if _SPEND.search(no_codes) else 1 if _TOP_UP.search(no_codes) else 0
    found.card = found.code_of("card")
    found.quoted = re.findall(r"[\"“‘]([^\"”’]{2,60})[\"”’]", text)
    found.attributes = _attributes(plain)
    found.gdpr = bool(
        re.search(
            r"\bgdpr\b|\bavg\b|eras|forget|forgotten|wipe|\ball (?:my |her |his |their )?data|alle gegevens|"
            r"al mijn gegevens|personal data|everything",
            text,
            re.I,
        )
    )
    found.date, found.datetime = _when(plain)
    found.people = _people(no_codes)
    lowered = text.lower()
    found.entity = next((e for word, e in _ENTITIES.items() if re.search(rf"\b{word}\b", lowered)), None)
    return found


def _uuid_roles(text: str) -> dict[str, str]:
    roles: dict[str, str] = {}
    start = 0
    for match in UUID.finditer(text):
        before = text[max(start, match.start() - 60) : match.start()]
        best: tuple[int, int, str] | None = None
        for role, pattern in _UUID_CUE:
            for cue in pattern.finditer(before):
                key = (cue.end(), cue.end() - cue.start(), role)
                if best is None or key[:2] > best[:2]:
                    best = key
        roles[match.group(0).lower()] = best[2] if best else ""
        start = match.end()
    return roles


def code_kind(code: str, text: str) -> str:
    """What a code is, by its shape, else by the words just before it: giftcard, card, order or voucher."""
    if re.match(r"^(?:BEAN-GC|BEAN-CORP|GC)-", code):
        return "giftcard"
    if re.match(r"^(?:CARD|QR|TAG|PASS)-", code):
        return "card"
    if "ORDER" in code:
        return "order"
    before = text[: text.find(code)].lower()[-30:]
    if re.search(r"gift ?card|giftcard|cadeau", before):
        return "giftcard"
    if re.search(r"\b(?:card|kaart|pas|qr|identifier)\b", before):
        return "card"
    if re.search(r"\b(?:order|bestelling)\b", before):
        return "order"
    return "voucher"


def _points(text: str) -> int | None:
    from graphs.support_agent.router.classifier import _distance

    for match in _POINTS.finditer(text):
        unit = match.group(2).lower()
        if (
            unit in _POINT_UNITS
            or unit.endswith(("punten", "points", "credits", "bonen", "beans", "stamps"))
            or (len(unit) >= 5 and any(_distance(unit, u, 2) <= 2 for u in _POINT_UNITS if len(u) >= 5))
        ):
            return int(match.group(1))
    plus = re.search(r"(?<![\w€$])\+\s?(\d{1,6})(?![\d.,])(?!\s*(?:€|eur|euro))", text, re.I)
    if plus:
        return int(plus.group(1))
    lowered = text.lower()
    for word, value in _WORD_NUMBERS.items():
        if re.search(rf"\b{word}\s+(?:bonus\s+)?(?:point|stamp|bean|credit|punt|stempel)s?\b", lowered):
            return value
    return None


def _money(text: str) -> int | None:
    for pattern in _CURRENCY:
        match = pattern.search(text)
        if match:
            return to_cents(match.group(1))
    without_points = _POINTS.sub(lambda m: " " if m.group(2).lower() in _POINT_UNITS else m.group(0), text)
    match = _DECIMAL.search(without_points)
    if match:
        return to_cents(match.group(1))
    match = _MONEY_VERB_INT.search(without_points)
    if match:
        return to_cents(match.group(1))
    return None


def bare_amount(text: str) -> float | None:
    """A purchase amount written as a bare number ("calc credits for 55"), for tools whose amount is always money."""
    plain = CODE.sub(" ", EMAIL.sub(" ", UUID.sub(" ", text)))
    without_points = _POINTS.sub(lambda m: " " if m.group(2).lower() in _POINT_UNITS else m.group(0), plain)
    without_dates = re.sub(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b", " ", without_points)
    match = re.search(r"(?<![\w.,])(\d{1,6}(?:[.,]\d{1,2})?)(?![\w.,]*\d)", without_dates)
    return round(to_cents(match.group(1)) / 100, 2) if match else None


def _when(text: str) -> tuple[str | None, str | None]:
    date = _ISO_DATE.search(text)
    if not date:
        return None, None
    day = date.group(0)
    time = _TIME.search(text[date.end() : date.end() + 20])
    clock = f"{int(time.group(1)):02d}:{time.group(2)}" if time else "00:00"
    return day, f"{day}T{clock}:00"


def _people(text: str) -> int | None:
    match = _PEOPLE.search(text)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def _attributes(text: str) -> dict[str, str]:
    """'change her phone number to 0612345678' -> {'phonenumber': '0612345678'}; 'moved to Utrecht' -> city."""
    out: dict[str, str] = {}
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    for name, pattern in _ATTRIBUTE_PATTERNS.items():
        for hit in pattern.finditer(lowered):
            if any(a <= hit.start() < b for a, b in taken):
                continue
            value = _value_after(name, text[hit.end() :])
            if value:
                out[name] = value
                taken.append((hit.start(), hit.end()))
                break
    if "birthdate" in out or re.search(r"\b(?:birthday|born|verjaardag|geboortedatum)\b", lowered):
        date = _ISO_DATE.search(text)
        if date:
            out["birthdate"] = date.group(0)
    if "phonenumber" in out and "postalcode" in out and out["phonenumber"] == out["postalcode"]:
        del out["phonenumber"]
    return out


def _value_after(name: str, rest: str) -> str | None:
    """The value a field keyword is set to: skip filler words, then read the value's shape."""
    rest = EMAIL.sub(" ", rest)
    if name == "phonenumber":
        match = re.match(r"(?:[^\d]{0,40}?)(\+?\d[\d -]{7,14}\d)", rest)
        return match.group(1).replace(" ", "").replace("-", "") if match else None
    if name == "birthdate":
        match = _ISO_DATE.search(rest[:40])
        return match.group(0) if match else None
    if name == "postalcode":
        match = re.match(r"[^\d]{0,30}?(\d{4}\s?[A-Za-z]{2})\b", rest)
        return match.group(1).upper().replace(" ", "") if match else None
    if name == "housenumber":
        match = re.match(r"[^\d]{0,30}?(\d{1,5}[A-Za-z]?)\b", rest)
        return match.group(1) if match else None
    words = re.findall(r"[\w'’-]+|[,.;!?()]", rest)
    i = 0
    while i < len(words) and (words[i].lower() in _FILLER or words[i] in ",:()"):
        i += 1
    value: list[str] = []
    for word in words[i:]:
        # A name or a place: capitalised words, with lower-case particles inside ("de Jong", "van der Berg").
        if word in ",.;!?()" or word.lower() in _STOP_VALUE or not (word[0].isupper() or word in _PARTICLES):
            break
        value.append(word)
        if len(value) >= 4:
            break
    while value and value[-1] in _PARTICLES:
        value.pop()
    if not value or not any(w[0].isupper() for w in value):
        return None
    return " ".join(value)


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ']+", text.lower()))
