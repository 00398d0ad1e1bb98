"""The offline specialist: with no model configured, plans tool calls deterministically, as an LLM would.

``plan(intent, turn)`` reads the message's slots (``parsing.py``), what is known from earlier turns, and this
turn's tool results, and returns an ``AIMessage``: tool calls, a question for what is missing, or the answer.
Most intents are planned generically from their data (``router/intents.yaml``: the tool, its arguments' slots,
what is required); the multi-step ones have a named planner in ``router/planners.py``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from graphs.support_agent.intents import BY_NAME, OUT_OF_SCOPE, Intent, classifier
from graphs.support_agent.parsing import Entities, bare_amount, extract, words

DECLINED = "Declined by the reviewer"


@dataclass
class Turn:
    """Everything a planner may look at for one step of one customer turn."""

    text: str
    entities: Entities
    results: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    scoped: bool = False
    available: frozenset[str] = frozenset()
    history: dict[str, list[Any]] = field(default_factory=dict)
    intent: Intent = OUT_OF_SCOPE

    def call(self, name: str, **args: Any) -> AIMessage:
        return self.calls([(name, args)])

    def calls(self, planned: list[tuple[str, dict[str, Any]]]) -> AIMessage:
        """One message with one or more tool calls (several customers are looked up or served at once)."""
        if any(name not in self.available for name, _ in planned):
            return self.say("That is not something I can do in this chat; a colleague can help you with it.")
        tool_calls = [
            {
                "name": name,
                "args": {k: v for k, v in args.items() if v is not None},
                "id": f"call_{uuid.uuid4().hex[:16]}",
            }
            for name, args in planned
        ]
        return AIMessage(content="", tool_calls=tool_calls)

    def say(self, text: str) -> AIMessage:
        return AIMessage(content=text)

    def words(self) -> set[str]:
        return words(self.text)

    def has(self, *needles: str) -> bool:
        lowered = self.text.lower()
        return any(n in lowered for n in needles)

    def own(self, contact: dict[str, Any] | None) -> str | None:
        """The ``contact_uuid`` argument for a contact: none when the toolkit is scoped (it injects it)."""
        return None if (self.scoped or contact is None) else str(contact["uuid"])

    def named_contacts(self) -> list[str]:
        """Emails and contact UUIDs the message names, in order."""
        plain_uuids = not any(self.intent.args.get(a, "").startswith("uuid_") for a in self.intent.args)
        uuids = [u for u in self.entities.uuids if self.entities.roles.get(u) == "contact"]
        if plain_uuids:
            uuids += [u for u in self.entities.uuids if self.entities.roles.get(u) == "" and u not in uuids]
        return [*uuids, *self.entities.emails]

    def contacts(self, *, required: bool = True) -> list[dict[str, Any]] | AIMessage:
        """The customers this turn is about (looked up now, or remembered), or the look-ups / question to get them."""
        if self.scoped:
            found = self.results.get("get_contact")
            return [found] if isinstance(found, dict) else self.call("get_contact")
        named = self.named_contacts()
        if not named:
            remembered = self.memory.get("contact")
            if remembered and remembered.get("uuid"):
                return [dict(remembered)]
            if not required:
                return []
            return self.say("Which customer is it? Could you give me their email address, so I can look them up?")
        found = [r for r in self.history.get("get_contact", []) if isinstance(r, dict) and r.get("uuid")]
        by_key = {str(r.get("uuid")).lower(): r for r in found} | {str(r.get("email")).lower(): r for r in found}
        missing = [key for key in named if key not in by_key]
        if "get_contact" in self.errors and missing:
            reason = _short(self.errors["get_contact"])
            return self.say(f"I could not find that customer. {reason} Could you check the email address?")
        if missing:
            return self.calls([("get_contact", {"contact_uuid": k} if "@" not in k else {"email": k}) for k in missing])
        return [by_key[key] for key in named]

    def contact(self) -> dict[str, Any] | None:
        """The one customer this turn is about if already known (looked up this turn, or remembered)."""
        found = self.results.get("get_contact")
        if isinstance(found, dict) and found.get("uuid"):
            return found
        remembered = self.memory.get("contact")
        if remembered and not self.named_contacts():
            return dict(remembered)
        return None

    def need_contact(self) -> AIMessage:
        """Look the customer up, or explain why not, or ask who it is."""
        got = self.contacts()
        return got if isinstance(got, AIMessage) else self.call("get_contact", contact_uuid=self.own(got[0]))

    def failed(self, tool: str, doing: str) -> AIMessage | None:
        """The answer when ``tool`` failed or was declined this turn, else None."""
        error = self.errors.get(tool)
        if error is None:
            return None
        if error.startswith(DECLINED) or "Declined" in error or "already declined" in error:
            return self.say(f"I did not {doing}: a reviewer declined it. Let me know if I can help another way.")
        if error.startswith("Not run: the reviewer"):
            return self.say(f"I did not {doing}: the reviewer's change to it was not valid, so nothing was done.")
        return self.say(f"I could not {doing}. {_short(error)}")


def _short(error: str) -> str:
    """The part of a tool error meant for a person: no error class, no advice addressed to the model."""
    text = re.sub(r"^Error in \w+: (\w+Error: )?", "", error)
    for marker in (" Check the id", " Tell the customer", " The current state", " Do not retry", " Do not ", " Retry"):
        text = text.split(marker)[0]
    text = re.sub(r"\s*\(?(?:pattern|regex|must match)[^)]*\)?", "", text)
    return text.strip()


def name_of(contact: dict[str, Any]) -> str:
    return str(contact.get("name") or contact.get("email") or "the customer")


def slot(turn: Turn, name: str) -> Any:
    """The value of one slot of ``router/intents.yaml`` (``args``) in this turn's message."""
    e = turn.entities
    if name.startswith("uuid_"):
        return e.uuid_as(*name[5:].split("|"))
    values: dict[str, Any] = {
        "email": e.emails[0] if e.emails else None,
        "card": e.card or next((c for c in e.codes if e.kinds.get(c) != "giftcard"), None),
        "code": e.code_of("voucher") or (e.codes[0] if e.codes else None),
        "order_code": e.code_of("order") or (e.codes[0] if e.codes else None),
        "points": e.points,
        "money": e.money if e.points is None or e.money_cents is not None else None,
        "purchase": e.money if e.money_cents is not None else (bare_amount(turn.text) if e.points is None else None),
        "cents": e.money_cents,
        "signed_cents": None if e.money_cents is None or not e.direction else e.direction * e.money_cents,
        "attributes": dict(e.attributes) or None,
        "delete_type": "GDPR" if e.gdpr else "DEFAULT",
        "datetime": e.datetime,
        "people": e.people,
        "entity": e.entity,
    }
    return values.get(name)


def plan_generic(t: Turn) -> AIMessage:
    """Fill the intent's tool arguments from the message; ask for what is missing; answer from the result."""
    from graphs.support_agent.router.answers import summarize

    intent = t.intent
    tool = str(intent.tool)
    failed = t.failed(tool, f"do that ({tool.replace('_', ' ')})")
    if failed:
        return failed
    if tool in t.results:
        return t.say(summarize(tool, t.history.get(tool) or [t.results[tool]], t))
    args = {arg: slot(t, source) for arg, source in intent.args.items()}
    args = {k: v for k, v in args.items() if v is not None}
    missing = [a for a in intent.required if a not in args]
    if missing or (intent.one_of and not any(a in args for a in intent.one_of)):
        if intent.contact == "required":
            got = t.contacts()
            if isinstance(got, AIMessage):
                return got
        return t.say(intent.ask or f"I need a bit more information: {', '.join(missing)}?")
    if intent.contact == "none":
        return t.call(tool, **args)
    got = t.contacts(required=intent.contact == "required")
    if isinstance(got, AIMessage):
        return got
    if not got:
        return t.call(tool, **args)
    return t.calls([(tool, {**args, "contact_uuid": t.own(c)}) for c in got])


def turn_from(messages: list[AnyMessage], memory: dict[str, Any], *, scoped: bool, available: set[str]) -> Turn:
    """Collect the last customer message and this turn's tool results."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    text = str(messages[start].content) if start >= 0 else ""
    text = classifier().spell(text)  # typos fixed as written, so the slot rules read the words they expect
    turn = Turn(text=text, entities=extract(text), memory=memory, scoped=scoped, available=frozenset(available))
    for message in messages[start + 1 :]:
        if isinstance(message, ToolMessage) and message.name:
            if message.status == "error":
                turn.errors[message.name] = str(message.content)
                turn.results.pop(message.name, None)
                continue
            try:
                value = json.loads(str(message.content))
            except ValueError:
                value = {"text": str(message.content)}
            turn.results[message.name] = value
            turn.history.setdefault(message.name, []).append(value)
    return turn


def plan(intent: str, turn: Turn) -> AIMessage:
    """The next step for ``intent``: its named planner, or the generic one."""
    from graphs.support_agent.router.planners import PLANNERS

    spec = BY_NAME.get(intent)
    if spec is None or spec is OUT_OF_SCOPE:
        return turn.say("I can help with the loyalty program only.")
    turn.intent = spec
    reply = PLANNERS.get(spec.planner, plan_generic)(turn)
    # Codes named now are remembered for follow-ups ("ok, redeem it", "use €5 of it"); graph.py keeps memory.
    for kind, key in (("voucher", "code"), ("giftcard", "giftcard")):
        code = turn.entities.code_of(kind)
        if code:
            turn.memory[key] = code
    return reply
