"""Gift-card programs, cards and transactions (giftcards.md): balances in cents and the rules that guard them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

PROGRAM = "giftcard_program"
CARD = "giftcard"
TRANSACTION = "giftcard_transaction"
PORTAL_URL = "https://bean-there.piggy.eu/giftcard-balance?hash="


def require_program(tx: Tx, program_uuid: Any) -> Doc:
    """The program, or 1100 Giftcard Program not found."""
    doc = tx.get(PROGRAM, str(program_uuid)) if program_uuid else None
    if doc is None:
        raise fail(1100)
    return doc


def require_card(tx: Tx, giftcard_uuid: Any) -> Doc:
    """The card, or 5001 Giftcard not found."""
    doc = tx.get(CARD, str(giftcard_uuid)) if giftcard_uuid else None
    if doc is None:
        raise fail(5001)
    return doc


def require_transaction(tx: Tx, transaction_uuid: Any) -> Doc:
    """The transaction, or 5010 Giftcard transaction not found."""
    doc = tx.get(TRANSACTION, str(transaction_uuid)) if transaction_uuid else None
    if doc is None:
        raise fail(5010)
    return doc


def new_card(
    tx: Tx,
    program: Doc,
    *,
    uuid: str | None = None,
    hash: str | None = None,
    card_type: str = "DIGITAL",
    created_at: str | None = None,
    expiration_date: str | None = None,
) -> Doc:
    """Insert a card at zero; its expiry follows the program's ``expiration_days`` unless given."""
    stamp = created_at or now_iso()
    if expiration_date is None and program.get("expiration_days"):
        start = datetime.fromisoformat(stamp)
        expiration_date = (start + timedelta(days=int(program["expiration_days"]))).isoformat()
    doc = tx.insert(
        CARD,
        {
            "hash": hash,
            "type": card_type,
            "active": True,
            "upgradeable": True,
            "amount_in_cents": 0,
            "expiration_date": expiration_date,
            "program_uuid": program["uuid"],
            "recipients": [],
            "created_at": stamp,
        },
        uuid=uuid,
    )
    if doc["hash"] is None:
        # As recorded (POST /giftcards): a new card's hash is its numeric id as a string.
        doc["hash"] = str(doc["id"])
        tx.put(CARD, doc)
    return doc


def is_expired(card: Doc) -> bool:
    expires = card.get("expiration_date")
    return bool(expires) and datetime.fromisoformat(str(expires)) <= datetime.now(UTC)


def apply_transaction(
    tx: Tx,
    card: Doc,
    shop: Doc,
    amount_in_cents: int,
    *,
    reverses: Doc | None = None,
    custom_attributes: dict[str, Any] | None = None,
    created_at: str | None = None,
) -> Doc:
    """Move a card's balance by ``amount_in_cents`` and store the transaction; emits ``giftcard_transaction_created``.

    Rules (giftcards.md): no program 5007, expired 5002, a digital card is topped up only once 5006 (reversals
    excepted), never above the program maximum 5008, never below zero 5003.
    """
    program = tx.get(PROGRAM, card.get("program_uuid") or "")
    if program is None:
        raise fail(5007)
    if not card.get("active", True):
        # Inferred: an inactive card is refused with 7010 That giftcard is not valid.
        raise fail(7010)
    if is_expired(card):
        raise fail(5002)
    balance = int(card["amount_in_cents"]) + amount_in_cents
    if amount_in_cents > 0:
        # Inferred (giftcards.md, business rules): "digital cards can be incremented only once"; the recorded
        # cards show ``upgradeable: true`` while at zero and ``false`` once funded. Reversals re-credit freely.
        if reverses is None and not card.get("upgradeable", True):
            raise fail(5006)
        maximum = program.get("max_amount_in_cents")
        if maximum is not None and balance > int(maximum):
            raise fail(5008)
    if balance < 0:
        raise fail(5003)
    card["amount_in_cents"] = balance
    if amount_in_cents > 0 and reverses is None and card.get("type") == "DIGITAL":
        card["upgradeable"] = False
    tx.put(CARD, card)
    doc = tx.insert(
        TRANSACTION,
        {
            "amount_in_cents": amount_in_cents,
            "type": "STANDARD",
            "settled": False,
            "giftcard_uuid": card["uuid"],
            "program_uuid": program["uuid"],
            "shop_uuid": shop["uuid"],
            "custom_attributes": dict(custom_attributes or {}),
            "reverses": reverses["uuid"] if reverses else None,
            "created_at": created_at or now_iso(),
        },
    )
    tx.emit("giftcard_transaction_created", {"giftcard_transaction": transaction_view(tx, doc)})
    return doc


def last_transaction(tx: Tx, card: Doc) -> Doc | None:
    found = tx.find(TRANSACTION, giftcard_uuid=card["uuid"])
    return found[-1] if found else None


def reverse_transaction(tx: Tx, original: Doc) -> Doc:
    """Book the opposite amount; only the card's last transaction can be reversed (55025)."""
    card = require_card(tx, original["giftcard_uuid"])
    last = last_transaction(tx, card)
    if last is None or last["uuid"] != original["uuid"]:
        raise fail(55025)
    shop = tx.get("shop", original["shop_uuid"])
    if shop is None:
        raise fail(1008)
    return apply_transaction(tx, card, shop, -int(original["amount_in_cents"]), reverses=original)


def _major(cents: int) -> int | float:
    """Major units as recorded: ``0`` for zero, ``1.1`` for 110 cents."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def display_amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}€{abs(cents) / 100:.2f}"


def program_view(tx: Tx, program: Doc) -> dict[str, Any]:
    """List form of a program (GET /giftcard-programs)."""
    return {
        "id": program["id"],
        "card_count": len(tx.find(CARD, program_uuid=program["uuid"])),
        "settles": program.get("settles", 0),
        "uuid": program["uuid"],
        "name": program["name"],
        "active": bool(program.get("active", True)),
        "expiration_days": program.get("expiration_days"),
        "max_amount_in_cents": program.get("max_amount_in_cents"),
        "min_amount_in_cents": program.get("min_amount_in_cents"),
        "calculator_flow": program.get("calculator_flow", "DEFAULT"),
    }


def program_embedded(program: Doc) -> dict[str, Any]:
    return {
        "id": program["id"],
        "name": program["name"],
        "uuid": program["uuid"],
        "max_amount_in_cents": program.get("max_amount_in_cents"),
        "calculator_flow": program.get("calculator_flow", "DEFAULT"),
        "expiration_days": program.get("expiration_days"),
    }


def card_view(tx: Tx, card: Doc) -> dict[str, Any]:
    """The Giftcard object as recorded (create / get / find-one-by): the balance is ``amount_in_cents``."""
    program = tx.get(PROGRAM, card.get("program_uuid") or "")
    cents = int(card["amount_in_cents"])
    expires = card.get("expiration_date")
    return {
        "id": card["id"],
        "uuid": card["uuid"],
        "type": card.get("type", "DIGITAL"),
        "hash": card["hash"],
        "amount_in_cents": cents,
        "upgradeable": bool(card.get("upgradeable", True)),
        "active": bool(card.get("active", True)),
        "expiration_date": expires,
        "amount": _major(cents),
        "url": PORTAL_URL + str(card["hash"]),
        "display_amount": display_amount(cents),
        "formatted_expiration_date": str(expires)[:10] if expires else None,
        "giftcard_program": program_embedded(program) if program else None,
        "giftcard_recipients": list(card.get("recipients", [])),
    }


def transaction_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Giftcard Transaction object as recorded; ``amount_in_cents`` is negative for a debit."""
    card = tx.get(CARD, doc["giftcard_uuid"]) or {"id": None, "uuid": doc["giftcard_uuid"]}
    shop = tx.get("shop", doc["shop_uuid"]) or {"id": None, "uuid": doc["shop_uuid"], "name": None}
    return {
        "id": doc["id"],
        "uuid": doc["uuid"],
        "amount_in_cents": doc["amount_in_cents"],
        "type": doc.get("type", "STANDARD"),
        "settled": bool(doc.get("settled", False)),
        "card": {"id": card["id"], "uuid": card["uuid"]},
        "shop": {"id": shop["id"], "uuid": shop["uuid"], "name": shop["name"]},
        "settlements": [],
        "created_at": doc["created_at"],
    }
