"""The offline specialist: with no model configured, plans tool calls deterministically, exactly as an LLM would.

Each intent has a small planner. It reads the customer's message, what is known from earlier turns (the current
customer), and the tool results of this turn, and emits either an ``AIMessage`` with ``tool_calls`` or the answer.
When something is missing (an email, an amount, a code) it asks for it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from graphs.support_agent.parsing import Entities, extract, words

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

    # -- helpers the planners share -------------------------------------------------------------------------------
    def call(self, name: str, **args: Any) -> AIMessage:
        if self.available and name not in self.available:
            return self.say("That is not something I can do in this chat; a colleague can help you with it.")
        clean = {k: v for k, v in args.items() if v is not None}
        return AIMessage(content="", tool_calls=[{"name": name, "args": clean, "id": f"call_{uuid.uuid4().hex[:16]}"}])

    def say(self, text: str) -> AIMessage:
        return AIMessage(content=text)

    def words(self) -> set[str]:
        return words(self.text)

    def has(self, *needles: str) -> bool:
        lowered = self.text.lower()
        return any(n in lowered for n in needles)

    def contact(self) -> dict[str, Any] | None:
        """The customer this turn is about: looked up this turn, else remembered from earlier turns."""
        found = self.results.get("get_contact")
        if isinstance(found, dict) and found.get("uuid"):
            return found
        remembered = self.memory.get("contact")
        if remembered and not self.entities.emails and not self.entities.uuids:
            return dict(remembered)
        return None

    def need_contact(self) -> AIMessage:
        """Look the customer up, or explain why not, or ask who it is."""
        if "get_contact" in self.errors:
            return self.say(
                f"I could not find that customer. {_short(self.errors['get_contact'])} "
                "Could you check the email address?"
            )
        if self.scoped:
            return self.call("get_contact")
        if self.entities.uuids:
            return self.call("get_contact", contact_uuid=self.entities.uuids[0])
        if self.entities.emails:
            return self.call("get_contact", email=self.entities.emails[0])
        remembered = self.memory.get("contact")
        if remembered and remembered.get("uuid"):
            return self.call("get_contact", contact_uuid=remembered["uuid"])
        return self.say("Could you give me the customer's email address, so I can look them up?")

    def failed(self, tool: str, doing: str) -> AIMessage | None:
        """The answer when ``tool`` failed or was declined this turn, else None."""
        error = self.errors.get(tool)
        if error is None:
            return None
        if error.startswith(DECLINED) or "Declined" in error or "already declined" in error:
            return self.say(f"I did not {doing}: a reviewer declined it. Let me know if I can help another way.")
        return self.say(f"I could not {doing}. {_short(error)}")


def _short(error: str) -> str:
    text = re.sub(r"^Error in \w+: (\w+Error: )?", "", error)
    return text.split(" Check the id")[0].split(" Tell the customer")[0].split(" The current state")[0].strip()


def _name(contact: dict[str, Any]) -> str:
    return str(contact.get("name") or contact.get("email") or "the customer")


def _credits(value: Any) -> str:
    return f"{value} credits" if value is not None else "an unknown number of credits"


# ---------------------------------------------------------------------------------------------------------------
# Planners, one per intent
# ---------------------------------------------------------------------------------------------------------------


def plan_lookup(t: Turn) -> AIMessage:
    contact = t.contact() if "get_contact" in t.results else None
    if contact is None:
        return t.need_contact()
    return t.say(
        f"{_name(contact)} <{contact.get('email')}>: {_credits(contact.get('credits'))}, "
        f"prepaid {contact.get('prepaid', '€0.00')}, tier {contact.get('tier') or 'none'}."
    )


def plan_balance(t: Turn) -> AIMessage:
    contact = t.contact() if "get_contact" in t.results else None
    if contact is None:
        return t.need_contact()
    wants_history = t.has("history", "transaction", "statement", "recent", "last", "earned", "activity")
    if wants_history and "list_loyalty_transactions" not in t.results and "list_loyalty_transactions" not in t.errors:
        return t.call("list_loyalty_transactions", contact_uuid=None if t.scoped else contact["uuid"], limit=5)
    answer = f"{_name(contact)} has {_credits(contact.get('credits'))} (tier {contact.get('tier') or 'none'})."
    history = t.results.get("list_loyalty_transactions")
    if isinstance(history, dict):
        items = history.get("transactions") or history.get("items") or []
        lines = [_transaction_line(i) for i in items[:5]]
        answer += " Recent activity: " + ("; ".join(lines) if lines else "none") + "."
    return t.say(answer)


def _transaction_line(item: dict[str, Any]) -> str:
    credits = item.get("credits")
    what = item.get("title") or item.get("reward") or item.get("type", "transaction")
    when = str(item.get("created_at", ""))[:10]
    return f"{when} {what} {credits:+d}" if isinstance(credits, int) else f"{when} {what}"


def plan_earn(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    failed = t.failed("award_credits", "award the credits")
    if failed:
        return failed
    done = t.results.get("award_credits")
    if isinstance(done, dict):
        got = done.get("credits")
        return t.say(f"Done: {_name(contact)} received {got} credits; new balance {done.get('balance', '?')}.")
    points, cents = t.entities.points, t.entities.money_cents
    if points is None and cents is None:
        return t.say(
            "How much should I award: a number of points (for example '50 points') or a purchase amount "
            "(for example '€12.50')?"
        )
    if points is not None and points <= 0:
        return t.say("I can only award a positive number of points.")
    args: dict[str, Any] = {"contact_uuid": None if t.scoped else contact["uuid"]}
    if points is not None:
        args["credits"] = points
    else:
        args["unit_value"] = round((cents or 0) / 100, 2)
    if "award_credits" in t.available:
        shop = _shop_choice(t)
        if isinstance(shop, AIMessage):
            return shop
        args["shop_uuid"] = shop
        return t.call("award_credits", **args)
    return t.say("Awarding credits is not available to me here.")


def _shop_choice(t: Turn) -> str | AIMessage | None:
    """The shop the message names, None when the toolkit injects a default, or a call to list shops."""
    if t.memory.get("default_shop"):
        return None
    shops = t.results.get("list_shops")
    if not isinstance(shops, dict):
        return t.call("list_shops")
    items = shops.get("shops") or []
    lowered = t.text.lower()
    for shop in items:
        name = str(shop.get("name", "")).lower()
        if any(part in lowered for part in name.split() if len(part) > 3 and part not in {"shop", "store"}):
            return str(shop["uuid"])
    if ("web" in lowered or "online" in lowered) and any(s.get("type") == "web" for s in items):
        return str(next(s for s in items if s.get("type") == "web")["uuid"])
    return str(items[0]["uuid"]) if items else None


def _match_by_title(items: list[dict[str, Any]], t: Turn, key: str = "title") -> dict[str, Any] | None:
    """Resolve 'the free cappuccino' against a list by the words the customer used."""
    asked = t.words() | {q.lower() for q in t.entities.quoted}
    best, best_score = None, 0
    for item in items:
        title_words = words(str(item.get(key) or item.get("name") or ""))
        score = len({w for w in title_words if len(w) > 2} & asked)
        if score > best_score:
            best, best_score = item, score
    return best


def plan_rewards(t: Turn) -> AIMessage:
    wants_claim = bool(t.words() & {"claim", "redeem", "exchange", "use", "get", "want", "spend", "take", "order"})
    wants_list = t.has("what can", "which rewards", "list", "show", "available", "options", "catalog", "afford")
    contact = t.contact()
    anonymous = not (t.entities.emails or t.entities.uuids or t.scoped or t.memory.get("contact"))
    if contact is None and anonymous and not (wants_claim and not wants_list):
        if "list_rewards" not in t.results:
            return t.call("list_rewards")
    elif contact is None:
        return t.need_contact()
    if "list_rewards" not in t.results and "list_rewards" not in t.errors:
        return t.call("list_rewards", contact_uuid=None if (t.scoped or contact is None) else contact["uuid"])
    rewards = (t.results.get("list_rewards") or {}).get("rewards") or []
    failed = t.failed("claim_reward", "claim the reward")
    if failed:
        return failed
    claimed = t.results.get("claim_reward")
    if isinstance(claimed, dict) and contact is not None:
        title = claimed.get("title") or claimed.get("reward") or "the reward"
        return t.say(f"Done: {title} is claimed for {_name(contact)}. New balance: {claimed.get('balance', '?')}.")
    choice = _match_by_title(rewards, t) if wants_claim and not wants_list else None
    if choice is not None and contact is not None:
        args = {"contact_uuid": None if t.scoped else contact["uuid"], "reward_uuid": choice["uuid"]}
        shop = _shop_choice(t)
        if isinstance(shop, AIMessage):
            return shop
        return t.call("claim_reward", **args, shop_uuid=shop)
    if wants_claim and not wants_list and rewards:
        names = ", ".join(str(r.get("title") or r.get("name")) for r in rewards[:8])
        return t.say(f"Which reward would you like to claim? Options: {names}.")
    lines = [f"{r.get('title') or r.get('name')} ({r.get('required_credits', '?')} credits)" for r in rewards[:10]]
    who = f" for {_name(contact)}" if contact else ""
    return t.say(f"Rewards{who}: " + ("; ".join(lines) if lines else "none right now") + ".")


def plan_vouchers(t: Turn) -> AIMessage:
    code = t.entities.codes[0] if t.entities.codes else None
    wants_redeem = bool(t.words() & {"redeem", "use", "apply", "inwisselen", "spend"})
    wants_issue = bool(t.words() & {"issue", "create", "give", "send", "make", "generate", "new"}) and not code
    if wants_issue:
        return _plan_issue_voucher(t)
    if code is None:
        if t.has("my vouchers", "her vouchers", "his vouchers", "which vouchers", "list", "show", "what vouchers"):
            contact = t.contact()
            if contact is None:
                return t.need_contact()
            if "list_vouchers" not in t.results:
                return t.call("list_vouchers", contact_uuid=None if t.scoped else contact["uuid"])
            vouchers = (t.results.get("list_vouchers") or {}).get("vouchers") or []
            lines = [f"{v.get('code')} ({v.get('status')})" for v in vouchers[:10]]
            return t.say(f"Vouchers of {_name(contact)}: " + (", ".join(lines) if lines else "none") + ".")
        return t.say("Which voucher code is it? Please give me the code as printed, for example SPRING-10.")
    if wants_redeem:
        failed = t.failed("redeem_voucher", f"redeem voucher {code}")
        if failed:
            return failed
        if "redeem_voucher" in t.results:
            return t.say(f"Voucher {code} is redeemed.")
        contact = t.contact()
        if contact is None and (t.entities.emails or t.scoped) and "get_contact" not in t.results:
            return t.need_contact()
        shop = _shop_choice(t)
        if isinstance(shop, AIMessage):
            return shop
        return t.call(
            "redeem_voucher",
            code=code,
            shop_uuid=shop,
            contact_uuid=None if (t.scoped or contact is None) else contact["uuid"],
        )
    failed = t.failed("find_voucher", f"find voucher {code}")
    if failed:
        return failed
    found = t.results.get("find_voucher")
    if not isinstance(found, dict):
        return t.call("find_voucher", code=code)
    status = found.get("status", "unknown")
    extra = f", valid until {found['expiration_date']}" if found.get("expiration_date") else ""
    promo = f" ({found['promotion']})" if isinstance(found.get("promotion"), str) else ""
    return t.say(f"Voucher {code}{promo}: status {status}{extra}.")


def _plan_issue_voucher(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None and not t.scoped:
        return t.need_contact()
    failed = t.failed("create_voucher", "issue the voucher")
    if failed:
        return failed
    made = t.results.get("create_voucher")
    if isinstance(made, dict):
        return t.say(f"Issued voucher {made.get('code')} to {_name(contact or {})}.")
    if "list_promotions" not in t.results:
        return t.call("list_promotions")
    promotions = (t.results.get("list_promotions") or {}).get("promotions") or []
    choice = _match_by_title(promotions, t, key="name")
    if choice is None:
        names = ", ".join(str(p.get("name")) for p in promotions[:8])
        return t.say(f"Which promotion should the voucher be for? Options: {names}.")
    return t.call(
        "create_voucher",
        promotion_uuid=choice["uuid"],
        contact_uuid=None if (t.scoped or contact is None) else contact["uuid"],
    )


def plan_giftcards(t: Turn) -> AIMessage:
    code = t.entities.card or (t.entities.codes[0] if t.entities.codes else None)
    if code is None:
        return t.say("What is the gift card's code (as printed on the card, for example GC-41654)?")
    failed = t.failed("find_giftcard", f"find gift card {code}")
    if failed:
        return failed
    card = t.results.get("find_giftcard")
    if not isinstance(card, dict):
        return t.call("find_giftcard", hash=code)
    cents = t.entities.money_cents
    spend = bool(t.words() & {"spend", "pay", "deduct", "charge", "use", "subtract", "withdraw", "afschrijven"})
    top_up = bool(t.words() & {"top", "add", "load", "reload", "increase", "opwaarderen", "deposit", "put"})
    if cents is None or not (spend or top_up):
        return t.say(f"Gift card {code} has a balance of {card.get('balance', '?')}.")
    failed = t.failed("create_giftcard_transaction", "change the gift card balance")
    if failed:
        return failed
    done = t.results.get("create_giftcard_transaction")
    if isinstance(done, dict):
        return t.say(f"Done. Gift card {code} balance is now {done.get('balance', '?')}.")
    shop = _shop_choice(t)
    if isinstance(shop, AIMessage):
        return shop
    amount = -cents if spend else cents
    return t.call("create_giftcard_transaction", giftcard_uuid=card["uuid"], amount_in_cents=amount, shop_uuid=shop)


def plan_prepaid(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    cents = t.entities.money_cents
    spend = bool(t.words() & {"spend", "pay", "deduct", "charge", "use", "subtract", "withdraw", "betalen"})
    top_up = bool(t.words() & {"top", "add", "load", "reload", "deposit", "put", "increase", "opwaarderen"})
    if cents is None or not (spend or top_up):
        if "get_prepaid_balance" not in t.results and "get_prepaid_balance" not in t.errors:
            return t.call("get_prepaid_balance", contact_uuid=None if t.scoped else contact["uuid"])
        balance = t.results.get("get_prepaid_balance") or {}
        return t.say(f"{_name(contact)} has {balance.get('balance', '?')} prepaid balance.")
    failed = t.failed("create_prepaid_transaction", "change the prepaid balance")
    if failed:
        return failed
    done = t.results.get("create_prepaid_transaction")
    if isinstance(done, dict):
        return t.say(f"Done. {_name(contact)}'s prepaid balance is now {done.get('balance', '?')}.")
    shop = _shop_choice(t)
    if isinstance(shop, AIMessage):
        return shop
    return t.call(
        "create_prepaid_transaction",
        contact_uuid=None if t.scoped else contact["uuid"],
        amount_in_cents=-cents if spend else cents,
        shop_uuid=shop,
    )


def plan_update_profile(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    failed = t.failed("update_contact", "update the profile")
    if failed:
        return failed
    if "update_contact" in t.results:
        changed = ", ".join(f"{k} to {v}" for k, v in t.entities.attributes.items())
        return t.say(f"Updated {_name(contact)}: {changed}.")
    if not t.entities.attributes:
        return t.say("What should I change, and to what? For example: 'change the phone number to 0612345678'.")
    return t.call(
        "update_contact", contact_uuid=None if t.scoped else contact["uuid"], attributes=dict(t.entities.attributes)
    )


def plan_delete(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    failed = t.failed("delete_contact", f"delete {_name(contact)}'s account")
    if failed:
        return failed
    if "delete_contact" in t.results:
        return t.say(f"The account of {contact.get('email')} has been deleted.")
    kind = "GDPR" if t.entities.gdpr else "DEFAULT"
    return t.call("delete_contact", contact_uuid=None if t.scoped else contact["uuid"], type=kind)


def plan_link_card(t: Turn) -> AIMessage:
    card = t.entities.card or (t.entities.codes[0] if t.entities.codes else None)
    unlink = bool(t.words() & {"unlink", "disconnect", "detach", "remove", "lost", "stolen", "ontkoppel"})
    if card is None:
        if t.has("which card", "my cards", "her cards", "his cards", "list", "show"):
            contact = t.contact()
            if contact is None:
                return t.need_contact()
            if "list_contact_identifiers" not in t.results:
                return t.call("list_contact_identifiers", contact_uuid=None if t.scoped else contact["uuid"])
            items = (t.results.get("list_contact_identifiers") or {}).get("identifiers") or []
            return t.say(f"Cards of {_name(contact)}: " + (", ".join(str(i.get("value")) for i in items) or "none"))
        return t.say("What is the card number (as printed on the card)?")
    if unlink:
        failed = t.failed("unlink_contact_identifier", f"unlink card {card}")
        if failed:
            return failed
        if "unlink_contact_identifier" in t.results:
            return t.say(f"Card {card} is unlinked.")
        return t.call("unlink_contact_identifier", contact_identifier_value=card)
    if not (t.words() & {"link", "connect", "attach", "couple", "koppel", "register", "add"}):
        failed = t.failed("find_contact_identifier", f"find card {card}")
        if failed:
            return failed
        found = t.results.get("find_contact_identifier")
        if not isinstance(found, dict):
            return t.call("find_contact_identifier", contact_identifier_value=card)
        owner = found.get("contact") or "nobody"
        return t.say(f"Card {card} is linked to {owner}.")
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    failed = t.failed("link_contact_identifier", f"link card {card}")
    if failed:
        return failed
    if "link_contact_identifier" in t.results:
        return t.say(f"Card {card} is now linked to {_name(contact)}.")
    return t.call(
        "link_contact_identifier", contact_identifier_value=card, contact_uuid=None if t.scoped else contact["uuid"]
    )


def plan_program_info(t: Turn) -> AIMessage:
    if t.has("shop", "store", "location", "branch", "where"):
        if "list_shops" not in t.results:
            return t.call("list_shops")
        shops = (t.results.get("list_shops") or {}).get("shops") or []
        return t.say("Shops: " + "; ".join(f"{s.get('name')} ({s.get('type')})" for s in shops) + ".")
    if t.has("promotion", "campaign", "deal", "offer", "running"):
        if "list_promotions" not in t.results:
            return t.call("list_promotions")
        promotions = (t.results.get("list_promotions") or {}).get("promotions") or []
        return t.say("Promotions: " + ("; ".join(str(p.get("name")) for p in promotions[:10]) or "none") + ".")
    if t.has("reward", "prize"):
        return plan_rewards(t)
    if "get_loyalty_program" not in t.results:
        return t.call("get_loyalty_program")
    program = t.results.get("get_loyalty_program") or {}
    tiers = ", ".join(str(x.get("name") if isinstance(x, dict) else x) for x in program.get("tiers") or [])
    return t.say(
        f"{program.get('name', 'The program')}: customers collect {program.get('credit_name', 'credits')}. "
        f"Tiers: {tiers or 'none'}."
    )


def plan_automation(t: Turn) -> AIMessage:
    contact = t.contact()
    if contact is None:
        return t.need_contact()
    if "list_automations" not in t.results:
        return t.call("list_automations")
    automations = (t.results.get("list_automations") or {}).get("automations") or []
    failed = t.failed("trigger_automation", "trigger the automation")
    if failed:
        return failed
    if "trigger_automation" in t.results:
        return t.say(f"The automation is running for {_name(contact)}.")
    choice = _match_by_title(automations, t, key="name")
    if choice is None:
        names = ", ".join(str(a.get("name")) for a in automations[:8])
        return t.say(f"Which automation should I run? Options: {names}.")
    return t.call(
        "trigger_automation", automation_uuid=choice["uuid"], contact_uuid=None if t.scoped else contact["uuid"]
    )


PLANNERS: dict[str, Callable[[Turn], AIMessage]] = {
    "lookup": plan_lookup,
    "balance": plan_balance,
    "earn_credits": plan_earn,
    "rewards": plan_rewards,
    "vouchers": plan_vouchers,
    "giftcards": plan_giftcards,
    "prepaid": plan_prepaid,
    "update_profile": plan_update_profile,
    "delete_account": plan_delete,
    "link_card": plan_link_card,
    "program_info": plan_program_info,
    "automation": plan_automation,
}


def turn_from(messages: list[AnyMessage], memory: dict[str, Any], *, scoped: bool, available: set[str]) -> Turn:
    """Collect the last customer message and this turn's tool results."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    text = str(messages[start].content) if start >= 0 else ""
    turn = Turn(text=text, entities=extract(text), memory=memory, scoped=scoped, available=frozenset(available))
    for message in messages[start + 1 :]:
        if isinstance(message, ToolMessage) and message.name:
            if message.status == "error":
                turn.errors[message.name] = str(message.content)
                turn.results.pop(message.name, None)
            else:
                try:
                    turn.results[message.name] = json.loads(str(message.content))
                except ValueError:
                    turn.results[message.name] = {"text": str(message.content)}
    return turn


def plan(intent: str, turn: Turn) -> AIMessage:
    planner = PLANNERS.get(intent)
    if planner is None:
        return turn.say("I can help with the loyalty program only.")
    return planner(turn)
