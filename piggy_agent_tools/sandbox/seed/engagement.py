"""Demo seed: custom attributes and groups, perks on tiers, forms, the brand kit, referral settings and referrals.

Nothing is seeded for loyalty tokens or portal sessions: they are made per use.
"""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.custom_attributes import create_attribute, create_group
from piggy_agent_tools.sandbox.domain.referrals import SETTINGS_KIND, SETTINGS_UUID, complete_referral
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.ids import fixed
from piggy_agent_tools.sandbox.store import Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"
PERK_FREE_REFILL = fixed("perk", "free_refill")
PERK_BIRTHDAY_TREAT = fixed("perk", "birthday_treat")
FORM_SURVEY = fixed("form", "customer_survey")
FORM_CATERING = fixed("form", "catering_request")
REFERRAL_JANE_TOM = fixed("referral", "jane-tom")
REFERRAL_SOFIA_LIAM = fixed("referral", "sofia-liam")
# Referral programme: completes at the referred contact's 2nd transaction; both sides earn credits.
REFERRED_POINTS = 50
REFERRING_POINTS = 100


def seed_custom_attributes(tx: Tx) -> None:
    """Groups and attributes for vouchers, gift cards, bookings and prepaid (contact ones live in attributes.py)."""
    create_group(tx, "voucher", "integration_values", "Integration Values")
    create_group(tx, "contact", "preferences", "Preferences")
    create_attribute(
        tx,
        entity="voucher",
        name="table_number",
        label="Table number",
        type="number",
        options=None,
        description="Table the voucher was served at",
        group_name="integration_values",
    )
    create_attribute(
        tx,
        entity="voucher",
        name="serving_size",
        label="Serving size",
        type="select",
        options=[{"label": "Small", "value": "small"}, {"label": "Large", "value": "large"}],
        description="Drink size the voucher covers",
        group_name=None,
    )
    create_attribute(
        tx,
        entity="giftcard",
        name="occasion",
        label="Occasion",
        type="text",
        options=None,
        description="Why the card was bought",
        group_name=None,
    )
    create_attribute(
        tx,
        entity="booking",
        name="party_size",
        label="Party size",
        type="number",
        options=None,
        description=None,
        group_name=None,
    )


def seed_perks(tx: Tx) -> None:
    """Two perks; Silver and Gold get better values than the default given to every tier."""
    tiers = [ids.TIER_BRONZE, ids.TIER_SILVER, ids.TIER_GOLD]
    tx.insert(
        "perk",
        {
            "name": "free_refill",
            "label": "Free refill",
            "data_type": "boolean",
            "options": [
                {"label": "Yes", "value": "true", "default": False},
                {"label": "No", "value": "false", "default": True},
            ],
            "tier_values": dict(zip(tiers, ["false", "true", "true"], strict=True)),
            "created_at": SEED_TIME,
        },
        uuid=PERK_FREE_REFILL,
    )
    tx.insert(
        "perk",
        {
            "name": "birthday_treat",
            "label": "Birthday treat",
            "data_type": "single_select",
            "options": [
                {"label": "Cookie", "value": "cookie", "default": True},
                {"label": "Cake slice", "value": "cake", "default": False},
                {"label": "Lunch", "value": "lunch", "default": False},
            ],
            "tier_values": dict(zip(tiers, ["cookie", "cake", "lunch"], strict=True)),
            "created_at": SEED_TIME,
        },
        uuid=PERK_BIRTHDAY_TREAT,
    )


def seed_forms_and_brand_kit(tx: Tx) -> None:
    tx.insert("form", {"name": "Customer survey", "status": "PUBLISHED", "type": "PUBLIC"}, uuid=FORM_SURVEY)
    tx.insert("form", {"name": "Catering request", "status": "DRAFT", "type": "PRIVATE"}, uuid=FORM_CATERING)
    tx.insert(
        "brand_kit",
        {
            "small_logo_url": "https://static.piggy.nl/business/brandkit/bean-there-small.png",
            "large_logo_url": "https://static.piggy.nl/business/brandkit/bean-there-large.png",
            "primary_color": "#6f4e37",
            "secondary_color": "#f5e6d3",
            "tertiary_color": "#1f1a17",
            "quarternary_color": "#c8a27a",
            "font_family": "DM Sans",
        },
        uuid="brand-kit",
    )


def seed_referrals(tx: Tx) -> None:
    """The programme and two completed referrals (Jane referred Tom, Sofia referred Liam), incentives paid."""
    amsterdam = tx.get("shop", ids.SHOP_AMSTERDAM)
    assert amsterdam
    shop = {"uuid": amsterdam["uuid"], "name": amsterdam["name"]}
    tx.insert(
        SETTINGS_KIND,
        {
            "completion_event": {"type": "loyalty_transaction", "data": {"number_of_transactions": 2}},
            "limit_per_contact": 10,
            "referred_contact_incentive": {
                "type": "loyalty_points",
                "data": {"points": REFERRED_POINTS, "business_profile": shop},
            },
            "referring_contact_incentive": {
                "type": "loyalty_points",
                "data": {"points": REFERRING_POINTS, "business_profile": shop},
            },
        },
        uuid=SETTINGS_UUID,
    )
    for uuid, referrer, referred in (
        (REFERRAL_JANE_TOM, ids.JANE, ids.TOM),
        (REFERRAL_SOFIA_LIAM, fixed("contact", "sofia"), fixed("contact", "liam")),
    ):
        referral = tx.insert(
            "referral",
            {
                "referring_contact_uuid": referrer,
                "referred_contact_uuid": referred,
                "status": "pending",
                "created_at": SEED_TIME,
                "completed_at": None,
            },
            uuid=uuid,
        )
        complete_referral(tx, referral)


def seed(tx: Tx) -> None:
    seed_custom_attributes(tx)
    seed_perks(tx)
    seed_forms_and_brand_kit(tx)
    seed_referrals(tx)
