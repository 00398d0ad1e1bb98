"""The customer-service intents: what each covers, which tools its specialist may use, and how to spot it offline."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    name: str
    description: str
    tools: tuple[str, ...]
    patterns: tuple[str, ...]


INTENTS: tuple[Intent, ...] = (
    Intent(
        "delete_account",
        "Delete a customer's account (DEFAULT or GDPR erasure).",
        ("get_contact", "delete_contact"),
        (
            r"\bdelete\b",
            r"\bremove\b.*\b(account|profile|customer|me|data)\b",
            r"\berase\b",
            r"\bgdpr\b",
            r"forget me",
            r"close (my|her|his|their|the) account",
            r"cancel (my|her|his|their) (account|membership)",
            r"\bverwijder",
            r"right to be forgotten",
            r"\bunsubscribe me from everything\b",
            r"wipe",
        ),
    ),
    Intent(
        "link_card",
        "Link or unlink a loyalty card / QR code / identifier to a customer, or look a card up.",
        (
            "get_contact",
            "find_contact_identifier",
            "list_contact_identifiers",
            "create_contact_identifier",
            "link_contact_identifier",
            "unlink_contact_identifier",
        ),
        (
            r"\b(link|unlink|connect|disconnect|attach|detach|couple|koppel|register)\b.*\b(card|qr|tag|pass|identifier|kaart)",
            r"\b(card|qr|tag|pass|identifier|kaart)\b.*\b(link|unlink|connect|disconnect|attach|detach|lost|stolen|belongs?)",
            r"\b(lost|stolen)\b.*\bcard\b",
            r"whose card",
            r"which cards?",
            r"\bloyalty card\b",
            r"\bidentifiers?\b",
        ),
    ),
    Intent(
        "giftcards",
        "Gift cards: balance, top up, spend.",
        ("find_giftcard", "get_giftcard", "create_giftcard_transaction", "list_shops"),
        (r"gift\s?-?cards?", r"giftcard", r"cadeaukaart", r"cadeaubon", r"gift\s?voucher"),
    ),
    Intent(
        "prepaid",
        "Prepaid (stored value) balance: check, top up, pay with it.",
        ("get_contact", "get_prepaid_balance", "list_prepaid_transactions", "create_prepaid_transaction", "list_shops"),
        (r"pre-?paid", r"\bwallet\b", r"stored value", r"\btegoed\b", r"account balance in euros?"),
    ),
    Intent(
        "vouchers",
        "Vouchers and coupons: check, issue, redeem.",
        (
            "get_contact",
            "find_voucher",
            "validate_voucher",
            "list_vouchers",
            "list_promotions",
            "create_voucher",
            "redeem_voucher",
            "list_shops",
        ),
        (
            r"vouchers?",
            r"coupons?",
            r"discount code",
            r"promo ?code",
            r"(?<!postal )(?<!zip )(?<!qr )(?<!post )\bcode\b",
            r"kortingscode",
            r"\bredeem\b",
        ),
    ),
    Intent(
        "rewards",
        "Rewards: list what a customer can get, claim one, undo a claim.",
        ("get_contact", "list_rewards", "claim_reward", "reverse_reward_reception", "list_shops"),
        (
            r"rewards?",
            r"\bclaim\b",
            r"\bprizes?\b",
            r"\bspend\b.*\b(points|credits|beans)",
            r"\bexchange\b",
            r"what can .{0,40}\bget\b",
            r"\bbeloning",
            r"\bfree (coffee|cappuccino|drink|latte|muffin|tote|mug)",
        ),
    ),
    Intent(
        "earn_credits",
        "Award credits for a purchase amount or a number of points.",
        ("get_contact", "award_credits", "calculate_credits", "list_shops"),
        (
            r"\b(add|award|give|grant|credit|book|register|put)\b.*\b(points?|credits?|beans?|stamps?)",
            r"\b(bought|spent|purchased?|paid|order(ed)?)\b.*(€|eur|\d)",
            r"\bearn",
            r"\bpurchase of\b",
            r"(points?|credits?|beans?) (for|to)\b",
            r"how many (points|credits|beans) (for|would|will)",
            r"\bmissing (points|credits|beans)\b",
            r"\bdidn'?t get (my |her |his )?(points|credits|beans)",
        ),
    ),
    Intent(
        "balance",
        "Credit balance, tier and transaction history of a customer.",
        ("get_contact", "list_loyalty_transactions"),
        (
            r"\bbalance\b",
            r"how many (points|credits|beans)",
            r"\bhistory\b",
            r"\btransactions?\b",
            r"\b(points|credits|beans)\b.*\b(have|got|left|saved|total)\b",
            r"\btier\b.*\b(am|is|are)\b",
            r"\bstatement\b",
            r"\bsaldo\b",
            r"\bpuntenstand\b",
            r"what (level|tier)\b",
        ),
    ),
    Intent(
        "update_profile",
        "Change a customer's profile (name, phone, birthday, address...).",
        ("get_contact", "update_contact", "list_contact_attributes"),
        (
            r"\b(change|update|correct|fix|set|edit|modify|wijzig)\b.*\b(name|phone|number|birthday|birthdate|address"
            r"|city|postcode|postal|zip|surname|mobile|profile|details)",
            r"\bmoved to\b",
            r"\bnew (phone|address|number)",
        ),
    ),
    Intent(
        "automation",
        "Trigger an automation (welcome series, birthday bonus...) for a customer.",
        ("get_contact", "list_automations", "trigger_automation"),
        (
            r"automation",
            r"\btrigger\b",
            r"\b(run|start|kick off|send)\b.*\b(flow|campaign|series|workflow)\b",
            r"\bworkflow\b",
        ),
    ),
    Intent(
        "program_info",
        "Program information: the program, tiers, shops, promotions, rewards catalogue.",
        ("get_loyalty_program", "list_shops", "list_promotions", "list_rewards"),
        (
            r"\btiers?\b",
            r"\blevels?\b",
            r"\bshops?\b",
            r"\bstores?\b",
            r"\blocations?\b",
            r"\bpromotions?\b",
            r"\bprogram(me)?\b",
            r"how does .* work",
            r"\bopening\b",
            r"\bbranches\b",
            r"what .* (offer|running)",
            r"\bcampaigns?\b",
            r"\bunits?\b",
        ),
    ),
    Intent(
        "lookup",
        "Look up a customer and show their profile.",
        ("get_contact",),
        (
            r"\b(look ?up|find|search|who is|show|profile|details|info(rmation)? (on|about))\b",
            r"\bcustomer\b",
            r"\bcontact\b",
            r"\bmember\b",
        ),
    ),
)

OUT_OF_SCOPE = Intent("out_of_scope", "Anything that is not about the loyalty program.", (), ())
BY_NAME = {intent.name: intent for intent in (*INTENTS, OUT_OF_SCOPE)}

_OFF_TOPIC = re.compile(
    r"\b(weather|joke|poem|recipe|stock price|bitcoin|football|election|homework|translate|capital of|"
    r"who won|movie|song|write (me )?(a|an) (essay|story|email)|weer|refund my order|job|hiring)\b",
    re.I,
)


# A few words settle the intent on their own: money products are never confused with credits.
DECISIVE: tuple[tuple[str, str], ...] = (
    (r"gift\s?-?cards?|giftcard|cadeaukaart|cadeaubon", "giftcards"),
    (r"pre-?paid|\bwallet\b|stored value", "prepaid"),
)


def classify(text: str) -> str:
    """The best intent for one message, or ``out_of_scope``; earlier intents win ties (most specific first)."""
    lowered = text.lower()
    for pattern, decided in DECISIVE:
        if re.search(pattern, lowered):
            return decided
    best, best_score = OUT_OF_SCOPE.name, 0
    for intent in INTENTS:
        score = sum(1 for p in intent.patterns if re.search(p, lowered))
        if score > best_score:
            best, best_score = intent.name, score
    if best_score == 0 or (_OFF_TOPIC.search(text) and best in {"lookup", "program_info"}):
        return OUT_OF_SCOPE.name
    return best
