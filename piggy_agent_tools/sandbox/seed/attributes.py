"""Demo seed: custom contact attribute definitions and subscription types (system attributes live in code).

Other areas' attribute definitions (reward, promotion, loyalty transaction) may add their own functions here.
"""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.contact_attributes import create_definition
from piggy_agent_tools.sandbox.domain.subscriptions import ensure_default_types
from piggy_agent_tools.sandbox.seed.ids import fixed
from piggy_agent_tools.sandbox.store import Tx

SUBSCRIPTION_MARKETING = fixed("subscription_type", "marketing")  # OPT_IN
SUBSCRIPTION_FUNCTIONAL = fixed("subscription_type", "functional")  # OPT_OUT
SUBSCRIPTION_NEWSLETTER = fixed("subscription_type", "newsletter")  # DOUBLE_OPT_IN

DEFAULT_SUBSCRIPTION_TYPES = [
    (SUBSCRIPTION_MARKETING, "Marketing", "Offers and news from Bean There", "OPT_IN"),
    (SUBSCRIPTION_FUNCTIONAL, "Functional", "Receipts, balance updates and account messages", "OPT_OUT"),
    (SUBSCRIPTION_NEWSLETTER, "Newsletter", "The monthly Bean There newsletter (confirmed by email)", "DOUBLE_OPT_IN"),
]


def seed_contact_attributes(tx: Tx) -> None:
    """Three custom contact attributes an agent can set with ``contacts.update``."""
    create_definition(
        tx,
        name="favourite_drink",
        label="Favourite drink",
        data_type="select",
        description="The drink the contact orders most",
        options=[
            {"label": "Espresso", "value": "espresso"},
            {"label": "Cappuccino", "value": "cappuccino"},
            {"label": "Latte", "value": "latte"},
            {"label": "Tea", "value": "tea"},
        ],
    )
    create_definition(
        tx,
        name="newsletter_opt_in",
        label="Newsletter opt-in",
        data_type="boolean",
        description="Ticked the newsletter box at the counter",
    )
    create_definition(tx, name="barista_notes", label="Barista notes", data_type="long_text", description="Free notes")


def seed(tx: Tx) -> None:
    """Custom contact attributes and the subscription types (marketing, functional, double opt-in newsletter)."""
    seed_contact_attributes(tx)
    ensure_default_types(tx, DEFAULT_SUBSCRIPTION_TYPES)
