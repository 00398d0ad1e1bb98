"""The customer-service intents, loaded from ``router/intents.yaml``, and the offline classifier that picks one.

``classify(text)`` returns an intent name (or ``out_of_scope``); ``BY_NAME[name].tools`` are the tools its
specialist may use. Intents, examples and vocabulary are data (``router/*.yaml``); the classifier is in
``router/classifier.py``.
"""

from __future__ import annotations

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
    "giftcard": ("find_giftcard", "get_giftcard", "create_giftcard_transaction", "list_shops"),
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
    )


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


_ALL = [_intent(name, spec) for name, spec in _load("intents.yaml").items()]
OUT_OF_SCOPE = next(i for i in _ALL if i.name == "out_of_scope")
INTENTS: tuple[Intent, ...] = tuple(i for i in _ALL if i is not OUT_OF_SCOPE)
BY_NAME = {intent.name: intent for intent in _ALL}


@cache
def classifier() -> Classifier:
    """The classifier trained on the intents' examples (built once, on first use: about 30 ms)."""
    return Classifier({i.name: i.examples for i in _ALL}, Vocabulary.from_data(_load("vocabulary.yaml")))


def classify(text: str) -> str:
    """The best intent for one message, or ``out_of_scope`` when nothing in it is about the program."""
    model = classifier()
    if model.known_features(text) == 0:
        return OUT_OF_SCOPE.name
    return model.rank(text)[0][0]
