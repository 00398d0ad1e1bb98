"""The customer-service intents, loaded from ``router/intents.yaml``, and the offline classifier that picks one.

``classify(text)`` returns an intent name (or ``out_of_scope``); ``BY_NAME[name].tools`` are the tools its
specialist may use. Intents, examples and vocabulary are data (``router/*.yaml``); the classifier is in
``router/classifier.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graphs.support_agent.router.classifier import Classifier, Vocabulary

DATA = Path(__file__).parent / "router"

# Tools a named planner reads before it acts (look-ups, lists to choose from), besides the intent's own tool.
PLANNER_TOOLS: dict[str, tuple[str, ...]] = {
    "lookup": ("list_loyalty_transactions",),
    "earn": ("list_shops",),
    "rewards": ("list_rewards", "claim_reward", "list_shops"),
    "subscribe": ("list_subscription_types", "subscribe_contact", "unsubscribe_contact"),
    "voucher_issue": ("list_promotions",),
    "voucher_update": ("find_voucher",),
    "voucher_redeem": ("list_shops",),
    "giftcard": (
        "find_giftcard",
        "get_giftcard",
        "create_giftcard_transaction",
        "list_giftcard_transactions",
        "list_shops",
    ),
    "prepaid": ("get_prepaid_balance", "list_shops"),
    "automation": ("list_automations",),
    "reverse_credits": ("list_loyalty_transactions",),
    "shops": (),
}


@dataclass(frozen=True)
class Intent:
    """One intent: what it covers, the tool it exists for, how its arguments are filled, and its examples."""

    name: str
    description: str
    tool: str | None
    tools: tuple[str, ...]
    contact: str = "none"
    args: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    ask: str = ""
    planner: str = "generic"
    examples: tuple[str, ...] = ()
    expects: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    uuids: tuple[str, ...] = ()
    general: bool = False


# Canonical words that are about the program on their own (a shop, points, a voucher...), unlike "who" or "show".
TOPICS = frozenset(
    "point giftcard voucher card prepaid balance history reward claim redeem tier shop promotion automation "
    "order product booking visit form perk subscribe subscription newsletter portal referral signup gdpr".split()
)
PLACEHOLDERS = frozenset({"xemail", "xuuid", "xcode", "xmoney", "xnum", "xdate", "xtime"})
# Log-score penalty for an intent whose expected values (``expects``) are all absent from the message.
MISSING_VALUE_PENALTY = 6.0


def _intent(name: str, spec: dict[str, Any]) -> Intent:
    tool = spec.get("tool")
    planner = spec.get("planner", "generic")
    tools = (["get_contact"] if spec.get("contact", "none") != "none" else []) + ([tool] if tool else [])
    tools += list(PLANNER_TOOLS.get(planner, ()))
    return Intent(
        name=name,
        description=spec["description"],
        tool=tool,
        tools=tuple(dict.fromkeys(tools)),
        contact=spec.get("contact", "none"),
        args=dict(spec.get("args") or {}),
        required=tuple(spec.get("required") or ()),
        one_of=tuple(spec.get("one_of") or ()),
        ask=spec.get("ask", ""),
        planner=planner,
        examples=tuple(spec.get("examples") or ()),
        expects=tuple(spec.get("expects") or ()),
        codes=tuple(spec.get("codes") or ()),
        uuids=tuple(spec.get("uuids") or ()),
        general=spec.get("about") == "program",
    )


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


_ALL = [_intent(name, spec) for name, spec in _load("intents.yaml").items()]
OUT_OF_SCOPE = next(i for i in _ALL if i.name == "out_of_scope")
INTENTS: tuple[Intent, ...] = tuple(i for i in _ALL if i is not OUT_OF_SCOPE)
BY_NAME = {intent.name: intent for intent in _ALL}
_EXPECTING = [intent.name for intent in _ALL if intent.expects]


def _only_intents_taking_the_values(text: str, scores: dict[str, float]) -> dict[str, float]:
    """A gift-card code, a voucher code, a card number, an award's id...: keep the intents that act on such a value."""
    from graphs.support_agent.parsing import extract

    found = extract(text)
    kinds = {found.kinds[c] for c in found.codes}
    roles = {found.roles.get(u, "") for u in found.uuids} - {"", "contact"}
    taking = {name for name in scores if BY_NAME[name].codes and kinds & set(BY_NAME[name].codes)} | {
        name for name in scores if BY_NAME[name].uuids and roles & set(BY_NAME[name].uuids)
    }
    return {name: score for name, score in scores.items() if name in taking} if taking else scores


def _reads() -> frozenset[str]:
    from piggy_agent_tools.tools import REGISTRY, Risk

    risk = {spec.name: spec.max_risk for spec in REGISTRY}
    return frozenset(i.name for i in INTENTS if i.tool and risk.get(i.tool) is Risk.READ)


READS = _reads()
_GENERAL = [intent.name for intent in INTENTS if intent.general]
# Log-score penalty for a general intent (about the program, `about: program`) when the message names a person.
PERSON_PENALTY = 3.0
_PERSON = re.compile(r"(?<![\w.])(?:i|i'm|im|my|mine|she|her|hers|he|him|his|ik|mijn|zij|haar|hij|hem)(?![\w@])", re.I)


def _names_a_person(text: str) -> bool:
    """Whether a message is about one person: an email, a contact id, or a personal pronoun."""
    from graphs.support_agent.parsing import EMAIL, extract

    if EMAIL.search(text):
        return True
    found = extract(text)
    return bool(found.contact_uuids) or bool(_PERSON.search(text))


ACTION_MARGIN = 1.0
FOREIGN_WORD_BONUS = 6.0
QUESTION_MARGIN = 3.0
_QUESTION = re.compile(
    r"\s*(?:which|what|what's|whats|how|when|where|who|whose|why|welke|welk|wat|hoeveel|hoe|wanneer|waar|wie|waarom)\b",
    re.I,
)


@cache
def classifier() -> Classifier:
    """The classifier trained on the intents' examples (built once, on first use: about 30 ms)."""
    return Classifier({i.name: i.examples for i in _ALL}, Vocabulary.from_data(_load("vocabulary.yaml")))


def classify(text: str) -> str:
    """The best intent for one message, or ``out_of_scope`` when nothing in it is about the program."""
    model = classifier()
    text = model.spell(text)
    words = model.tokens(text)
    feats = [f for f in model.features(text) if f in model.features_known]
    if not feats:
        return OUT_OF_SCOPE.name
    unknown = sum(1 for w in words if w not in model.features_known)
    topical = any(w in PLACEHOLDERS or w in TOPICS for w in words)
    if unknown > len(words) - unknown and not topical:
        return OUT_OF_SCOPE.name  # mostly words the program never uses ("wie is de koning van nederland")
    scores = model.scores_of(feats)
    # Each lower-case content word the program never uses ("pizza", "bike", "trein") is evidence that the message
    # is about something else; capitalised words are names and places, which requests carry ("moved to Arnhem").
    foreign = [w for w in words if w not in model.features_known and len(w) >= 4 and w.islower() and w in text.lower()]
    foreign = [w for w in foreign if not re.search(r"(?<![\w])" + re.escape(w.capitalize()), text)]
    scores[OUT_OF_SCOPE.name] += FOREIGN_WORD_BONUS * len(foreign)
    present = set(feats)
    for name in _EXPECTING:
        if not present & set(BY_NAME[name].expects):
            scores[name] -= MISSING_VALUE_PENALTY
    if _names_a_person(text):
        # "is she gold", "my tier", "x@example.com's level": about one person, not about the program in general.
        for name in _GENERAL:
            scores[name] -= PERSON_PENALTY
    scores = _only_intents_taking_the_values(text, scores)
    best = max(scores, key=scores.__getitem__)
    if best not in READS:
        # An action needs clearer evidence than a look-up: a read intent within the margin wins; by a wider margin
        # when the message asks something ("which cards are linked to my account", "what would €45 earn").
        margin = QUESTION_MARGIN if _QUESTION.match(text) else ACTION_MARGIN
        reads = [i for i in READS if i in scores and scores[best] - scores[i] <= margin]
        if reads:
            return max(reads, key=scores.__getitem__)
    return best
