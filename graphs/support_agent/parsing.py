"""Entity extraction for the offline router: emails, UUIDs, amounts, points, codes, cards, attributes.

Deterministic and dependency-free, so the support agent runs with no model at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_NUMBER = r"(\d{1,7}(?:[.,]\d{1,2})?)"
MONEY = [
    re.compile(r"(?:€|eur(?:o|os)?\s?)\s?" + _NUMBER, re.I),
    re.compile(_NUMBER + r"\s?(?:€|eur(?:o|os)?\b|euro's\b)", re.I),
    re.compile(r"(?:\$)\s?" + _NUMBER),
]
POINTS = re.compile(r"(-?\d{1,7})\s?(?:points?|pts|credits?|beans?|punten|stamps?)\b", re.I)
# Codes: upper-case words with a digit or a dash, like SPRING-10, WELCOME-7F3K, GC-41654, CARD-000123.
CODE = re.compile(r"\b(?=[A-Z0-9-]*[0-9-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b|\b[A-Z]{2,}[0-9]{2,}[A-Z0-9]*\b")
CARD_NUMBER = re.compile(
    r"\b(?:card|kaart|pass|qr(?:\s?code)?|identifier|tag)\s*(?:number|no\.?|nr\.?|#)?\s*:?\s*"
    r"([A-Za-z0-9][A-Za-z0-9-]{3,40})",
    re.I,
)
QUOTED = re.compile(r"[\"“'‘]([^\"”'’]{2,60})[\"”'’]")

ATTRIBUTE_WORDS = {
    "firstname": ["first name", "firstname", "given name", "voornaam"],
    "lastname": ["last name", "lastname", "surname", "family name", "achternaam"],
    "phonenumber": ["phone number", "phonenumber", "phone", "mobile", "telephone", "telefoon", "cell"],
    "birthdate": ["birthdate", "birthday", "date of birth", "birth date", "verjaardag"],
    "city": ["city", "town", "woonplaats", "place"],
    "address": ["address", "street", "adres"],
    "postalcode": ["postal code", "postcode", "zip code", "zip"],
    "housenumber": ["house number", "housenumber", "huisnummer"],
}


@dataclass
class Entities:
    """What an utterance mentions."""

    emails: list[str] = field(default_factory=list)
    uuids: list[str] = field(default_factory=list)
    money_cents: int | None = None
    points: int | None = None
    codes: list[str] = field(default_factory=list)
    card: str | None = None
    quoted: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    gdpr: bool = False


def to_cents(text: str) -> int:
    """'12,50' or '12.50' -> 1250; '12' -> 1200."""
    whole, _, frac = text.replace(",", ".").partition(".")
    return int(whole) * 100 + int((frac + "00")[:2] if frac else 0)


def extract(text: str) -> Entities:
    """Pull every entity the planners may need out of one customer message."""
    found = Entities()
    found.emails = [e.rstrip(".").lower() for e in EMAIL.findall(text)]
    found.uuids = [u.lower() for u in UUID.findall(text)]
    without_emails = EMAIL.sub(" ", UUID.sub(" ", text))
    for pattern in MONEY:
        match = pattern.search(without_emails)
        if match:
            found.money_cents = to_cents(match.group(1))
            break
    points = POINTS.search(without_emails)
    if points:
        found.points = int(points.group(1))
    card = CARD_NUMBER.search(without_emails)
    if card and any(ch.isdigit() for ch in card.group(1)):
        found.card = card.group(1).upper()
    found.codes = [c for c in CODE.findall(without_emails) if c not in {"GDPR", "EUR", "QR", "ID"}]
    if found.card and found.card not in found.codes and not found.codes:
        found.codes = []
    found.quoted = QUOTED.findall(text)
    found.attributes = _attributes(text)
    found.gdpr = bool(
        re.search(r"\bgdpr\b|\bavg\b|erase|forget me|right to be forgotten|all (my|her|his|their) data", text, re.I)
    )
    return found


def _attributes(text: str) -> dict[str, str]:
    """'change her phone number to 0612345678' -> {'phonenumber': '0612345678'}."""
    out: dict[str, str] = {}
    lowered = text.lower()
    for name, words in ATTRIBUTE_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            pattern = re.compile(
                re.escape(word)
                + r"(?:\s+(?:of|for|van|voor)\s+\S+)?\s*(?:to|into|=|:|is now|should be|becomes|as|naar|in)\s+"
                r"(.+?)(?:\s*(?:,| and |;|\.$|$))",
                re.I,
            )
            match = pattern.search(text)
            if match and word in lowered:
                value = match.group(1).strip().strip("\"'“”").rstrip(".")
                value = EMAIL.sub("", value).strip() or value
                value = re.split(r"\s+(?:for|of|voor)\s+", value)[0].strip()
                if value:
                    out[name] = value
                break
    return out


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ']+", text.lower()))
