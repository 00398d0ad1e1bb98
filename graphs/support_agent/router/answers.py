"""Short answers for people from tool results: one formatter per result shape, a generic one for the rest.

Only fields of the result are shown; nothing addressed to the model (hints, instructions) ever is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphs.support_agent.offline import Turn

_LABELS = ("name", "title", "code", "value", "email", "hash", "external_identifier", "type")


def _item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    label = next((str(item[k]) for k in _LABELS if item.get(k)), "")
    extra = [str(item[k]) for k in ("status", "balance", "credits", "required_credits") if item.get(k) is not None]
    when = str(item.get("created_at") or item.get("starts_at") or "")[:10]
    parts = [p for p in (when, label) if p]
    return " ".join(parts) + (f" ({', '.join(extra)})" if extra else "")


def _generic(tool: str, results: list[Any], turn: Turn) -> str:
    result = results[-1]
    if isinstance(result, dict):
        for key, value in result.items():
            if isinstance(value, list):
                shown = "; ".join(_item(i) for i in value[:10])
                return f"{key.replace('_', ' ').capitalize()}: {shown or 'none'}."
        shown = ", ".join(
            f"{k.replace('_', ' ')}: {v}"
            for k, v in result.items()
            if not isinstance(v, dict | list) and v is not None and not k.endswith("uuid") and k != "uuid"
        )
        return f"Done. {shown}." if shown else "Done."
    return f"Done: {result}."


def _contact(tool: str, results: list[Any], turn: Turn) -> str:
    lines = []
    for c in results:
        lines.append(
            f"{c.get('name') or c.get('email')} has {c.get('credits')} credits (tier {c.get('tier') or 'none'}, "
            f"prepaid {c.get('prepaid', '€0.00')}, email {c.get('email')})."
        )
    return " ".join(lines)


def _history(tool: str, results: list[Any], turn: Turn) -> str:
    contact = turn.contact() or {}
    items = (results[-1] or {}).get("transactions") or []
    lines = []
    for item in items[:5]:
        credits = item.get("credits")
        what = item.get("title") or item.get("reward") or str(item.get("type", "transaction")).replace("_", " ")
        amount = f" {credits:+d} credits" if isinstance(credits, int) else ""
        lines.append(f"{str(item.get('created_at', ''))[:10]} {what}{amount}")
    head = f"{contact.get('name') or contact.get('email') or 'The customer'}"
    if contact.get("credits") is not None:
        head += f" has {contact['credits']} credits."
    return f"{head} Recent activity: " + ("; ".join(lines) if lines else "none") + "."


def _program(tool: str, results: list[Any], turn: Turn) -> str:
    program = results[-1] or {}
    tiers = ", ".join(str(x.get("name") if isinstance(x, dict) else x) for x in program.get("tiers") or [])
    return (
        f"{program.get('name', 'The program')}: customers collect {program.get('credit_name', 'credits')}. "
        f"Tiers: {tiers or 'none'}."
    )


def _shops(tool: str, results: list[Any], turn: Turn) -> str:
    shops = (results[-1] or {}).get("shops") or []
    return "Shops: " + "; ".join(f"{s.get('name')} ({s.get('type')})" for s in shops) + "."


def _card_owner(tool: str, results: list[Any], turn: Turn) -> str:
    found = results[-1] or {}
    return f"Card {found.get('value')} is linked to {found.get('contact') or 'nobody'}."


def _portal(tool: str, results: list[Any], turn: Turn) -> str:
    found = results[-1] or {}
    return f"Here is the portal link: {found.get('url') or found.get('link') or found}"


def _credits(tool: str, results: list[Any], turn: Turn) -> str:
    found = results[-1] or {}
    return f"That purchase would earn {found.get('credits', '?')} credits."


def _prepaid(tool: str, results: list[Any], turn: Turn) -> str:
    contact = turn.contact() or {}
    balance = (results[-1] or {}).get("balance", "?")
    return f"{contact.get('name') or 'The customer'} has {balance} prepaid balance."


FORMATTERS: dict[str, Callable[[str, list[Any], Turn], str]] = {
    "get_contact": _contact,
    "list_loyalty_transactions": _history,
    "get_loyalty_program": _program,
    "list_shops": _shops,
    "find_contact_identifier": _card_owner,
    "get_contacts_portal_url": _portal,
    "create_portal_session": _portal,
    "calculate_credits": _credits,
    "get_prepaid_balance": _prepaid,
}


def summarize(tool: str, results: list[Any], turn: Turn) -> str:
    """A short answer from the results of ``tool`` this turn (several when several customers were served)."""
    formatter = FORMATTERS.get(tool, _generic)
    return formatter(tool, [r if r is not None else {} for r in results], turn)
