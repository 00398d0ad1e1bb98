"""Demo seed: the account, two shops, the loyalty program, units, tiers and ~20 contacts with earned credits."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.contacts import new_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.program import PROGRAM_UUID
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"

# (key, firstname, lastname, credits earned in €-purchases at Amsterdam, credits earned online)
PEOPLE = [
    ("jane", "Jane", "Doe", 240.0, 100.0),
    ("tom", "Tom", "Berg", 75.0, 0.0),
    ("sofia", "Sofia", "Janssen", 520.0, 300.0),
    ("liam", "Liam", "de Vries", 15.0, 0.0),
    ("emma", "Emma", "Bakker", 130.0, 20.0),
    ("noah", "Noah", "Visser", 0.0, 0.0),
    ("mila", "Mila", "Smit", 60.0, 45.0),
    ("lucas", "Lucas", "Meijer", 1100.0, 450.0),
    ("julia", "Julia", "de Boer", 35.0, 0.0),
    ("finn", "Finn", "Mulder", 210.0, 0.0),
    ("sara", "Sara", "de Groot", 95.0, 12.5),
    ("daan", "Daan", "Bos", 0.0, 64.0),
    ("eva", "Eva", "Vos", 410.0, 0.0),
    ("sem", "Sem", "Peters", 22.0, 0.0),
    ("zoe", "Zoë", "Hendriks", 180.0, 90.0),
    ("levi", "Levi", "van Leeuwen", 55.0, 0.0),
    ("nora", "Nora", "Dekker", 730.0, 0.0),
    ("max", "Max", "Brouwer", 5.0, 0.0),
    ("anna", "Anna", "de Wit", 145.0, 35.0),
]


def seed_account(tx: Tx) -> None:
    """The account, its shops, program, units and tiers: what even an empty sandbox needs."""
    tx.insert(
        "account",
        {"name": "Bean There Coffee", "currency": "EUR", "secret": "sandbox-account-secret"},
        uuid="account",
    )
    tx.insert(
        "shop",
        {
            "name": "Bean There Amsterdam",
            "type": "physical",
            "reference": "AMS-01",
            "address": {
                "street": "Prinsengracht",
                "housenumber": "263",
                "postalcode": "1016GV",
                "city": "Amsterdam",
                "country": "NL",
            },
        },
        uuid=ids.SHOP_AMSTERDAM,
    )
    tx.insert(
        "shop",
        {"name": "Bean There Webshop", "type": "web", "reference": "web-1", "address": {}},
        uuid=ids.SHOP_WEB,
    )
    tx.insert(
        "loyalty_program",
        {"name": "Bean There Rewards", "max_amount": 50000, "custom_credit_name": "Beans", "active": True},
        uuid=PROGRAM_UUID,
    )
    tx.insert(
        "unit",
        {
            "name": "purchase_amount",
            "label": "Purchase Amount",
            "prefix": "€",
            "is_default": True,
            "credits_per_unit": 1,
            "format": "float",
        },
        uuid=ids.UNIT_PURCHASE,
    )
    tx.insert(
        "unit",
        {
            "name": "visits",
            "label": "Visits",
            "prefix": "v",
            "is_default": False,
            "credits_per_unit": 10,
            "format": "int",
        },
        uuid=ids.UNIT_VISITS,
    )
    for uuid, name, description, position, threshold, multiplier in (
        (ids.TIER_BRONZE, "Bronze", "Welcome level", 1, 0, 1.0),
        (ids.TIER_SILVER, "Silver", "Earn 10% more beans", 2, 300, 1.1),
        (ids.TIER_GOLD, "Gold", "Earn 25% more beans", 3, 1000, 1.25),
    ):
        tx.insert(
            "tier",
            {
                "name": name,
                "description": description,
                "position": position,
                "media": None,
                "min_credits": threshold,
                "multiplier": multiplier,
            },
            uuid=uuid,
        )


def seed(tx: Tx) -> None:
    """The account plus ~20 contacts whose balances come from real seeded credit receptions."""
    seed_account(tx)
    amsterdam = tx.get("shop", ids.SHOP_AMSTERDAM)
    web = tx.get("shop", ids.SHOP_WEB)
    purchase = tx.get("unit", ids.UNIT_PURCHASE)
    assert amsterdam and web and purchase
    for key, first, last, in_store, online in PEOPLE:
        email = f"{first.lower().replace('ë', 'e')}.{last.lower().replace(' ', '')}@example.com"
        contact = new_contact(
            tx,
            email,
            uuid=ids.fixed("contact", key),
            attributes={"firstname": first, "lastname": last, "locale": "nl_NL"},
            created_at=SEED_TIME,
        )
        for shop, amount in ((amsterdam, in_store), (web, online)):
            if amount:
                create_credit_reception(
                    tx, contact, shop, purchase, credits=int(amount), unit_value=amount, created_at=SEED_TIME
                )
    new_contact(
        tx,
        f"anonymous-{ids.ANON[:8]}@anonymous.piggy.eu",
        uuid=ids.ANON,
        anonymous=True,
        created_at=SEED_TIME,
    )
