"""Demo seed: prepaid balances for several contacts, built from seeded prepaid transactions."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.identifiers import identifier_brief
from piggy_agent_tools.sandbox.domain.prepaid import create_transaction
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.identifiers import JANE_CARD
from piggy_agent_tools.sandbox.store import Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"

# contact key -> transactions in cents (the first is a top-up); resulting balances are exported below.
TRANSACTIONS = {
    "jane": [5000, -1000],  # €40.00; the payment used Jane's loyalty card
    "tom": [2500],  # €25.00
    "sofia": [10000, -3250],  # €67.50
    "emma": [1500, -1500],  # €0.00
}
BALANCES_IN_CENTS = {key: sum(amounts) for key, amounts in TRANSACTIONS.items()}
JANE_PREPAID_IN_CENTS = BALANCES_IN_CENTS["jane"]


def seed(tx: Tx) -> None:
    """Each contact's balance is the sum of its stored transactions."""
    shop = tx.get("shop", ids.SHOP_AMSTERDAM)
    card = tx.find_one("contact_identifier", value=JANE_CARD)
    assert shop and card
    for key, amounts in TRANSACTIONS.items():
        contact = tx.get("contact", ids.fixed("contact", key))
        assert contact
        for i, amount in enumerate(amounts):
            used = identifier_brief(card) if key == "jane" and i == 1 else None
            create_transaction(tx, contact, shop, amount, contact_identifier=used, created_at=SEED_TIME)
