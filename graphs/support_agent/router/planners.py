"""Named planners for the intents that take more than one step: choose from a list, look up then act, or ask.

Each takes the ``Turn`` and returns the next ``AIMessage``. Simple intents use ``offline.plan_generic``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage

from graphs.support_agent.intents import classifier
from graphs.support_agent.offline import Turn, name_of, plan_generic, slot
from graphs.support_agent.parsing import extract, words
from graphs.support_agent.router.answers import summarize
from graphs.support_agent.router.classifier import _distance

# Words people use for the items of a list (rewards, promotions...) that are not in the items' titles.
_ALIASES = {
    "gebakje": "pastry",
    "croissant": "pastry",
    "muffin": "pastry",
    "koffie": "coffee",
    "gratis": "free",
    "tas": "tote",
    "cappucino": "cappuccino",
    "verjaardag": "birthday",
    "verjaardagsbonus": "birthday bonus",
    "welkomstreeks": "welcome series",
    "welkom": "welcome",
    "nieuwsbrief": "newsletter",
    "aanbiedingen": "marketing",
    "korting": "discount",
    "winback": "win back",
    "win-back": "win back",
    "offers": "marketing",
}
_SMALL = {"the", "for", "and", "van", "voor", "een", "free"}


def _asked_words(t: Turn) -> set[str]:
    out: set[str] = set()
    # The message's words, its quoted titles, and their canonical words ("lente" -> spring).
    canon = {w for w in classifier().tokens(t.text) if not w.startswith("x")}
    for word in t.words() | {q.lower() for q in t.entities.quoted} | canon:
        out.update(_ALIASES.get(word, word).split())
        out.update(word.replace("-", " ").split())
    return out


def _match(items: list[dict[str, Any]], t: Turn, key: str) -> dict[str, Any] | None:
    """The item whose title shares the most words with the message (typos within one edit count)."""
    asked = _asked_words(t)
    best, best_score = None, 0.0
    for item in items:
        title = words(str(item.get(key) or item.get("name") or item.get("title") or "").replace("-", " "))
        score = 0.0
        for word in title:
            if len(word) < 3:
                continue
            weight = 0.5 if word in _SMALL else 1.0
            close = any(len(word) > 4 and (_distance(word, a, 1) <= 1 or word in a) for a in asked if len(a) > 4)
            if word in asked or close:
                score += weight
        if score > best_score:
            best, best_score = item, score
    return best if best_score >= 1 else None


def _shop(t: Turn) -> str | AIMessage | None:
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


def plan_lookup(t: Turn) -> AIMessage:
    if not t.scoped and not t.named_contacts():
        return t.say("Which customer is it? Could you give me their email address, so I can look them up?")
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    if "get_contact" not in t.results:
        return t.call("get_contact", contact_uuid=t.own(got[0]))
    return t.say(summarize("get_contact", got, t))


def plan_earn(t: Turn) -> AIMessage:
    failed = t.failed("award_credits", "award the credits")
    if failed:
        return failed
    done = t.history.get("award_credits")
    if done:
        contact = t.contact() or {}
        parts = [
            f"{name_of(contact) if len(done) == 1 else 'the customer'} received {d.get('credits')} credits"
            for d in done
        ]
        balance = done[-1].get("balance", "?")
        return t.say(f"Done: {'; '.join(parts)}; new balance {balance}.")
    points, money = t.entities.points, slot(t, "money")
    if points is not None and points <= 0:
        return t.say("I can only award a positive number of points. To take points back I can reverse an award.")
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    if points is None and money is None:
        return t.say(t.intent.ask)
    args: dict[str, Any] = {"credits": points} if points is not None else {"unit_value": money}
    shop = _shop(t)
    if isinstance(shop, AIMessage):
        return shop
    each = _amount_per_customer(t) if len(got) > 1 else None
    if each and len(each) == len(got):
        return t.calls(
            [
                ("award_credits", {**a, "contact_uuid": t.own(c), "shop_uuid": shop})
                for c, a in zip(got, each, strict=True)
            ]
        )
    return t.calls([("award_credits", {**args, "contact_uuid": t.own(c), "shop_uuid": shop}) for c in got])


def _amount_per_customer(t: Turn) -> list[dict[str, Any]] | None:
    """'a@x spent 18 euros and b@x spent 9': each customer's own amount, read from the text after their email up to
    the next one; None unless every customer has one (then one amount is for all: 'a@x and b@x: 15 points each')."""
    lowered = t.text.lower()
    starts = [lowered.find(e) for e in t.entities.emails]
    if len(starts) < 2 or any(s < 0 for s in starts) or starts != sorted(starts):
        return None
    out: list[dict[str, Any]] = []
    for start, end in zip(starts, [*starts[1:], len(lowered)], strict=True):
        part = extract(t.text[start:end])
        if part.points is not None:
            out.append({"credits": part.points})
        elif part.money is not None:
            out.append({"unit_value": part.money})
        else:
            return None
    return out


def plan_rewards(t: Turn) -> AIMessage:
    claim = t.intent.name == "claim_reward"
    named = bool(t.named_contacts()) or t.scoped or bool(t.memory.get("contact"))
    contact = None
    if claim or named:
        got = t.contacts()
        if isinstance(got, AIMessage):
            return got
        contact = got[0]
    if "list_rewards" not in t.results and "list_rewards" not in t.errors:
        return t.call("list_rewards", contact_uuid=t.own(contact))
    rewards = (t.results.get("list_rewards") or {}).get("rewards") or []
    failed = t.failed("claim_reward", "claim the reward")
    if failed:
        return failed
    claimed = t.results.get("claim_reward")
    if isinstance(claimed, dict) and contact is not None:
        title = claimed.get("title") or claimed.get("reward") or "the reward"
        return t.say(f"Done: {title} is claimed for {name_of(contact)}. New balance: {claimed.get('balance', '?')}.")
    if claim:
        choice = _match(rewards, t, "title")
        if choice is not None and contact is not None:
            shop = _shop(t)
            if isinstance(shop, AIMessage):
                return shop
            return t.call("claim_reward", contact_uuid=t.own(contact), reward_uuid=choice["uuid"], shop_uuid=shop)
        names = ", ".join(str(r.get("title") or r.get("name")) for r in rewards[:8])
        return t.say(f"Which reward would you like to claim? Options: {names or 'none right now'}.")
    lines = [f"{r.get('title') or r.get('name')} ({r.get('required_credits', '?')} credits)" for r in rewards[:10]]
    who = f" for {name_of(contact)}" if contact else ""
    return t.say(f"Rewards{who}: " + ("; ".join(lines) if lines else "none right now") + ".")


def plan_subscribe(t: Turn) -> AIMessage:
    stems = re.search(
        r"\b(?:un-?subscribe|opt(?:ed)? out|afmelden|meld\w* af|stop|no longer|geen|niet meer|no more)", t.text, re.I
    )
    # The classifier's choice (vocabulary: "take off the newsletter", "meld af") decides; the stems are a fallback.
    off = stems is not None or t.intent.tool == "unsubscribe_contact"
    tool = "unsubscribe_contact" if off else "subscribe_contact"
    failed = t.failed(tool, "change the subscription")
    if failed:
        return failed
    if tool in t.results:
        return t.say("Done: the subscription is " + ("on." if tool == "subscribe_contact" else "off."))
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    if "list_subscription_types" not in t.results:
        return t.call("list_subscription_types")
    types = (t.results.get("list_subscription_types") or {}).get("subscription_types") or []
    choice = _match(types, t, "name")
    if choice is None:
        names = ", ".join(str(s.get("name")) for s in types)
        return t.say(f"Which subscription do you mean? Options: {names}.")
    return t.calls([(tool, {"contact_uuid": t.own(c), "subscription_type_uuid": choice["uuid"]}) for c in got])


def plan_voucher_issue(t: Turn) -> AIMessage:
    failed = t.failed("create_voucher", "issue the voucher")
    if failed:
        return failed
    made = t.results.get("create_voucher")
    if isinstance(made, dict):
        return t.say(f"Issued voucher {made.get('code')}.")
    got = t.contacts(required=False)
    if isinstance(got, AIMessage):
        return got
    promotion = t.entities.uuid_as("promotion")
    if promotion is None:
        if "list_promotions" not in t.results:
            return t.call("list_promotions")
        promotions = (t.results.get("list_promotions") or {}).get("promotions") or []
        choice = _match(promotions, t, "name")
        if choice is None:
            names = ", ".join(str(p.get("name")) for p in promotions[:8])
            return t.say(f"Which promotion should the voucher be for? Options: {names}.")
        promotion = str(choice["uuid"])
    if not got:
        return t.call("create_voucher", promotion_uuid=promotion)
    return t.calls([("create_voucher", {"promotion_uuid": promotion, "contact_uuid": t.own(c)}) for c in got])


def plan_voucher_update(t: Turn) -> AIMessage:
    code = slot(t, "code")
    if code is None:
        return t.say("Which voucher code should I change? Please give me the code as printed.")
    failed = t.failed("find_voucher", f"find voucher {code}") or t.failed("update_voucher", "change the voucher")
    if failed:
        return failed
    if "update_voucher" in t.results:
        return t.say(f"Voucher {code} is updated.")
    found = t.results.get("find_voucher")
    if not isinstance(found, dict):
        return t.call("find_voucher", code=code)
    lowered = t.text.lower()
    # The vocabulary's canonical words ("turn off", "zet weer aan", "disable" ...) decide, then the raw stems.
    canon = set(classifier().tokens(t.text))
    args: dict[str, Any] = {"voucher_uuid": found["uuid"]}
    if "reactivate" in canon or any(w in lowered for w in ("reactivat", "heractiveer", "activate again", "unblock")):
        args["status"] = "ACTIVE"
    elif "deactivate" in canon or any(
        w in lowered for w in ("deactiv", "block", "disable", "inactief", "leaked", "blokkeer")
    ):
        args["status"] = "DEACTIVATED"
    if t.entities.date and any(w in lowered for w in ("extend", "until", "verleng", "expir", "tot ")):
        args["expiration_date"] = f"{t.entities.date}T23:59:59+00:00"
    if len(args) == 1:
        return t.say(
            f"What should I change on voucher {code}: deactivate it, reactivate it, or extend it (until when)?"
        )
    return t.call("update_voucher", **args)


def plan_voucher_redeem(t: Turn) -> AIMessage:
    code = slot(t, "code") or t.memory.get("code")
    if code is None:
        return t.say(t.intent.ask)
    failed = t.failed("redeem_voucher", f"redeem voucher {code}")
    if failed:
        return failed
    if "redeem_voucher" in t.results:
        return t.say(f"Voucher {code} is redeemed.")
    got = t.contacts(required=False) if t.named_contacts() else []
    if isinstance(got, AIMessage):
        return got
    shop = _shop(t)
    if isinstance(shop, AIMessage):
        return shop
    contact = got[0] if got else None
    return t.call("redeem_voucher", code=code, shop_uuid=shop, contact_uuid=t.own(contact))


def plan_giftcard(t: Turn) -> AIMessage:
    code = t.entities.code_of("giftcard") or (t.entities.codes[0] if t.entities.codes else None)
    by_uuid = t.entities.uuid_as("giftcard")
    code = code or (None if by_uuid else t.memory.get("giftcard"))
    if code is None and by_uuid is None:
        return t.say("What is the gift card's code (as printed on the card, for example BEAN-GC-0001)?")
    lookup, args = ("find_giftcard", {"hash": code}) if code else ("get_giftcard", {"giftcard_uuid": by_uuid})
    failed = t.failed(lookup, f"find gift card {code or by_uuid}")
    if failed:
        return failed
    card = t.results.get(lookup)
    if not isinstance(card, dict):
        return t.call(lookup, **args)
    label = card.get("hash") or code or by_uuid
    cents = t.entities.money_cents
    if t.intent.name == "giftcard_history":
        if "list_giftcard_transactions" not in t.results:
            return t.call("list_giftcard_transactions", giftcard_uuid=card["uuid"])
        listed = summarize("list_giftcard_transactions", [t.results["list_giftcard_transactions"]], t)
        return t.say(f"Gift card {label} has a balance of {card.get('balance', '?')}. {listed}")
    if t.intent.name != "giftcard_transaction":
        return t.say(f"Gift card {label} has a balance of {card.get('balance', '?')}.")
    if cents is None or not t.entities.direction:
        return t.say(f"Gift card {label} has {card.get('balance', '?')}. How much should I top up or spend?")
    failed = t.failed("create_giftcard_transaction", "change the gift card balance")
    if failed:
        return failed
    done = t.results.get("create_giftcard_transaction")
    if isinstance(done, dict):
        return t.say(f"Done. Gift card {label} balance is now {done.get('balance', '?')}.")
    shop = _shop(t)
    if isinstance(shop, AIMessage):
        return shop
    amount = cents * t.entities.direction
    return t.call("create_giftcard_transaction", giftcard_uuid=card["uuid"], amount_in_cents=amount, shop_uuid=shop)


def plan_prepaid(t: Turn) -> AIMessage:
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    contact = got[0]
    cents = slot(t, "signed_cents")
    if cents is None:
        return t.say(t.intent.ask)
    failed = t.failed("create_prepaid_transaction", "change the prepaid balance")
    if failed:
        return failed
    done = t.results.get("create_prepaid_transaction")
    if isinstance(done, dict):
        return t.say(f"Done. {name_of(contact)}'s prepaid balance is now {done.get('balance', '?')}.")
    shop = _shop(t)
    if isinstance(shop, AIMessage):
        return shop
    return t.call("create_prepaid_transaction", contact_uuid=t.own(contact), amount_in_cents=cents, shop_uuid=shop)


def plan_automation(t: Turn) -> AIMessage:
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    if "list_automations" not in t.results:
        return t.call("list_automations")
    automations = (t.results.get("list_automations") or {}).get("automations") or []
    failed = t.failed("trigger_automation", "start the automation")
    if failed:
        return failed
    if "trigger_automation" in t.results:
        return t.say(f"The automation is running for {name_of(got[0])}.")
    runnable = [a for a in automations if a.get("runnable") and a.get("status") == "active"]
    by_uuid = t.entities.uuid_as("automation")
    choice = next((a for a in automations if a.get("uuid") == by_uuid), None) or _match(automations, t, "name")
    names = ", ".join(str(a.get("name")) for a in runnable) or "none"
    if choice is None:
        return t.say(f"Which automation should I run? The ones I can start are: {names}.")
    if choice not in runnable:
        return t.say(
            f"'{choice.get('name')}' cannot be started from here (it runs on its own trigger, or is inactive). "
            f"The ones I can start are: {names}."
        )
    return t.calls([("trigger_automation", {"automation_uuid": choice["uuid"], "contact_uuid": t.own(c)}) for c in got])


def plan_reverse_credits(t: Turn) -> AIMessage:
    reception = t.entities.uuid_as("credit_reception")
    if reception is not None:
        return plan_generic_with(t, "reverse_credit_reception", {"credit_reception_uuid": reception})
    got = t.contacts()
    if isinstance(got, AIMessage):
        return got
    if "list_loyalty_transactions" not in t.results:
        return t.call("list_loyalty_transactions", contact_uuid=t.own(got[0]), limit=5)
    return t.say(
        "I cannot take points off directly; I can reverse one earlier award completely. "
        + summarize("list_loyalty_transactions", [t.results["list_loyalty_transactions"]], t)
        + " Which award should I reverse?"
    )


def plan_generic_with(t: Turn, tool: str, args: dict[str, Any]) -> AIMessage:
    failed = t.failed(tool, f"do that ({tool.replace('_', ' ')})")
    if failed:
        return failed
    if tool in t.results:
        return t.say(summarize(tool, [t.results[tool]], t))
    return t.call(tool, **args)


PLANNERS: dict[str, Callable[[Turn], AIMessage]] = {
    "generic": plan_generic,
    "lookup": plan_lookup,
    "earn": plan_earn,
    "rewards": plan_rewards,
    "subscribe": plan_subscribe,
    "voucher_issue": plan_voucher_issue,
    "voucher_update": plan_voucher_update,
    "voucher_redeem": plan_voucher_redeem,
    "giftcard": plan_giftcard,
    "prepaid": plan_prepaid,
    "automation": plan_automation,
    "reverse_credits": plan_reverse_credits,
    "shops": plan_generic,
}
