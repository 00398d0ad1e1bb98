"""LangChain's standard tool suites (``langchain-tests``): a ``ToolsUnitTests`` and a ``ToolsIntegrationTests`` class
per registry tool, generated below; the integration classes invoke each tool against a private sandbox over HTTP.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import automations, giftcards, identifiers, ids, orders, rewards, vouchers
from piggy_agent_tools.sandbox.seed.attributes import SUBSCRIPTION_FUNCTIONAL, SUBSCRIPTION_MARKETING
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import REGISTRY


class Make:
    """What an example acts on. Live (with a client) it creates fresh objects on the private sandbox, so every
    destructive example can run again and again; dry (no client) it returns well-formed placeholders, so the unit
    suite sends nothing."""

    def __init__(self, client: PiggyClient | None = None) -> None:
        self._client = client

    @property
    def live(self) -> PiggyClient | None:
        return self._client

    @staticmethod
    def _dry(kind: str) -> str:
        return ids.fixed("standard-suite", kind)

    @staticmethod
    def email() -> str:
        return f"std-{uuid.uuid4().hex[:12]}@example.com"

    @staticmethod
    def code(prefix: str = "STD") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"

    def contact(self, credits: int = 0) -> str:
        if (c := self.live) is None:
            return self._dry("contact")
        contact = c.contacts.create(self.email()).uuid
        if credits:
            c.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
        return contact

    def anonymous_contact(self) -> str:
        if (c := self.live) is None:
            return self._dry("anonymous")
        return c.contacts.create_anonymous().uuid

    def identifier(self, contact_uuid: str | None = None) -> str:
        """A new identifier value, unlinked or linked to ``contact_uuid``."""
        value = self.code("STD-CARD")
        if (c := self.live) is not None:
            c.contact_identifiers.create(value, contact_uuid=contact_uuid)
        return value

    def credit_reception(self) -> str:
        if (c := self.live) is None:
            return self._dry("credit_reception")
        return c.credit_receptions.create(contact_uuid=self.contact(), shop_uuid=ids.SHOP_AMSTERDAM, credits=40).uuid

    def reward_reception(self) -> str:
        if (c := self.live) is None:
            return self._dry("reward_reception")
        contact = self.contact(credits=100)
        return c.reward_receptions.create(
            contact_uuid=contact, reward_uuid=rewards.FREE_PASTRY, shop_uuid=ids.SHOP_AMSTERDAM
        ).uuid

    def voucher(self, contact_uuid: str | None = None) -> str:
        """A new single-use spring voucher; returns its code."""
        code = self.code()
        if (c := self.live) is not None:
            c.vouchers.create(vouchers.PROMO_SPRING, code=code, contact_uuid=contact_uuid)
        return code

    def voucher_uuid(self) -> str:
        if (c := self.live) is None:
            return self._dry("voucher")
        return c.vouchers.create(vouchers.PROMO_SPRING, code=self.code()).uuid

    def voucher_redemption(self) -> str:
        if (c := self.live) is None:
            return self._dry("voucher_redemption")
        redeemed = c.vouchers.redeem(self.voucher(ids.TOM), shop_uuid=ids.SHOP_WEB)
        assert redeemed.voucher_redemption is not None
        return redeemed.voucher_redemption.uuid

    def giftcard(self) -> str:
        """A new, never funded digital card of the demo program."""
        if (c := self.live) is None:
            return self._dry("giftcard")
        return c.giftcards.create(giftcards.PROGRAM).uuid

    def giftcard_transaction(self) -> str:
        if (c := self.live) is None:
            return self._dry("giftcard_transaction")
        done = c.giftcard_transactions.create(
            giftcard_uuid=self.giftcard(), amount_in_cents=2500, shop_uuid=ids.SHOP_WEB
        )
        assert done.uuid is not None
        return done.uuid

    def prepaid_payment(self) -> dict[str, str]:
        """A new contact's wallet topped up and paid from once: its contact_uuid and the payment's uuid."""
        if (c := self.live) is None:
            return {"contact_uuid": self._dry("contact"), "prepaid_transaction_uuid": self._dry("prepaid")}
        contact = self.contact()
        c.prepaid_transactions.create(contact_uuid=contact, amount_in_cents=2000, shop_uuid=ids.SHOP_WEB)
        paid = c.prepaid_transactions.create(contact_uuid=contact, amount_in_cents=-500, shop_uuid=ids.SHOP_WEB)
        return {"contact_uuid": contact, "prepaid_transaction_uuid": str(paid.uuid)}

    def order(self) -> str:
        """A processed order (3 Espresso + 1 Beans, 3270 cents) of a new contact; returns the order uuid."""
        if (c := self.live) is None:
            return self._dry("order")
        external = self.code("STD-ORDER")
        lines = [
            {
                "external_identifier": f"{external}-L1",
                "name": "Espresso",
                "quantity": 3,
                "price": 260,
                "total_amount": 780,
            },
            {
                "external_identifier": f"{external}-L2",
                "name": "Beans",
                "quantity": 1,
                "price": 2490,
                "total_amount": 2490,
            },
        ]
        processed = c.orders.create_and_process(
            external_identifier=external,
            contact_uuid=self.contact(),
            business_profile_uuid=ids.SHOP_AMSTERDAM,
            total_order_amount=3270,
            line_items=lines,
        )
        return processed.order.uuid

    def webhook_subscription(self) -> str:
        if (c := self.live) is None:
            return self._dry("webhook_subscription")
        url = f"https://hooks.example.com/{uuid.uuid4().hex[:12]}"
        return c.webhook_subscriptions.create(name="standard suite", url=url, event_type="voucher_redeemed").uuid


Example = Callable[[Make], dict[str, Any]]

JANE, TOM, AMSTERDAM, WEB = ids.JANE, ids.TOM, ids.SHOP_AMSTERDAM, ids.SHOP_WEB

# One valid call per tool. Reads use seeded objects; anything that writes, spends, reverses or deletes acts on
# objects made for that one invocation (an integration class invokes its example four times).
EXAMPLES: dict[str, Example] = {
    # contacts
    "get_contact": lambda m: {"contact_uuid": JANE},
    "list_contacts": lambda m: {"limit": 5, "sort": "-created_at"},
    "create_contact": lambda m: {"email": m.email()},
    "find_or_create_contact": lambda m: {"email": "jane.doe@example.com"},
    "create_anonymous_contact": lambda m: {"contact_identifier_value": m.identifier()},
    "update_contact": lambda m: {"contact_uuid": m.contact(), "attributes": {"firstname": "Ada", "lastname": "Byron"}},
    "delete_contact": lambda m: {"contact_uuid": m.contact(), "type": "DEFAULT"},
    # profile
    "list_contact_attributes": lambda m: {},
    "list_subscription_types": lambda m: {},
    "list_contact_subscriptions": lambda m: {"contact_uuid": JANE},
    "subscribe_contact": lambda m: {"contact_uuid": m.contact(), "subscription_type_uuid": SUBSCRIPTION_MARKETING},
    "unsubscribe_contact": lambda m: {"contact_uuid": m.contact(), "subscription_type_uuid": SUBSCRIPTION_FUNCTIONAL},
    "claim_anonymous_contact": lambda m: {"contact_uuid": m.anonymous_contact(), "email": m.email()},
    "get_contacts_portal_url": lambda m: {"contact_uuid": JANE},
    # identifiers
    "find_contact_identifier": lambda m: {"contact_identifier_value": identifiers.JANE_CARD},
    "list_contact_identifiers": lambda m: {"contact_uuid": JANE},
    "create_contact_identifier": lambda m: {"contact_identifier_value": m.code("STD-CARD"), "name": "Key fob"},
    "link_contact_identifier": lambda m: {"contact_identifier_value": m.identifier(), "contact_uuid": m.contact()},
    "unlink_contact_identifier": lambda m: _unlink(m),
    # loyalty
    "award_credits": lambda m: {"contact_uuid": m.contact(), "shop_uuid": AMSTERDAM, "credits": 5},
    "calculate_credits": lambda m: {"shop_uuid": AMSTERDAM, "unit_value": 12.5, "contact_uuid": JANE},
    "reverse_credit_reception": lambda m: {"credit_reception_uuid": m.credit_reception()},
    "list_loyalty_transactions": lambda m: {"contact_uuid": JANE, "limit": 5},
    "get_loyalty_program": lambda m: {},
    # rewards
    "list_rewards": lambda m: {"contact_uuid": JANE},
    "claim_reward": lambda m: {
        "contact_uuid": m.contact(credits=100),
        "reward_uuid": rewards.FREE_PASTRY,
        "shop_uuid": AMSTERDAM,
    },
    "reverse_reward_reception": lambda m: {"reward_reception_uuid": m.reward_reception()},
    "list_shops": lambda m: {},
    # vouchers
    "list_promotions": lambda m: {},
    "list_vouchers": lambda m: {"contact_uuid": JANE, "status": "ACTIVE", "limit": 5},
    "find_voucher": lambda m: {"code": vouchers.VOUCHER_SPRING},
    "validate_voucher": lambda m: {"code": vouchers.VOUCHER_SPRING, "contact_uuid": JANE, "shop_uuid": WEB},
    "create_voucher": lambda m: {"promotion_uuid": vouchers.PROMO_SPRING, "contact_uuid": TOM, "code": m.code()},
    "update_voucher": lambda m: {"voucher_uuid": m.voucher_uuid(), "status": "DEACTIVATED"},
    "redeem_voucher": lambda m: {"code": m.voucher(TOM), "shop_uuid": AMSTERDAM},
    "reverse_voucher_redemption": lambda m: {"voucher_redemption_uuid": m.voucher_redemption()},
    # gift cards
    "list_giftcards": lambda m: {"giftcard_program_uuid": giftcards.PROGRAM, "limit": 5},
    "get_giftcard": lambda m: {"giftcard_uuid": giftcards.FUNDED},
    "find_giftcard": lambda m: {"hash": giftcards.FUNDED_HASH},
    "create_giftcard": lambda m: {"giftcard_program_uuid": giftcards.PROGRAM},
    "create_giftcard_transaction": lambda m: {"giftcard_uuid": m.giftcard(), "amount_in_cents": 1500, "shop_uuid": WEB},
    "reverse_giftcard_transaction": lambda m: {"giftcard_transaction_uuid": m.giftcard_transaction()},
    "list_giftcard_transactions": lambda m: {"giftcard_uuid": giftcards.FUNDED, "limit": 5},
    "get_giftcard_transaction": lambda m: {"giftcard_transaction_uuid": m.giftcard_transaction()},
    # prepaid
    "get_prepaid_balance": lambda m: {"contact_uuid": JANE},
    "list_prepaid_transactions": lambda m: {"contact_uuid": JANE, "limit": 5},
    "create_prepaid_transaction": lambda m: {"contact_uuid": m.contact(), "amount_in_cents": 2500, "shop_uuid": WEB},
    "reverse_prepaid_transaction": lambda m: m.prepaid_payment(),
    # automations
    "list_automations": lambda m: {},
    "trigger_automation": lambda m: {"automation_uuid": automations.BIRTHDAY_BONUS, "contact_uuid": m.contact()},
    # orders
    "list_orders": lambda m: {"contact_uuid": ids.fixed("contact", "sofia"), "limit": 5},
    "find_order": lambda m: {"external_identifier": orders.ORDERS[0][0]},
    "simulate_order": lambda m: {"shop_uuid": WEB, "total_order_amount": 3270, "contact_uuid": JANE},
    "create_order_return": lambda m: {"order_uuid": m.order()},
    "list_products": lambda m: {"limit": 5},
    # bookings
    "create_booking": lambda m: {
        "contact_uuid": m.contact(),
        "shop_uuid": AMSTERDAM,
        "starts_at": "2026-05-01T19:00:00+00:00",
        "number_of_people": 2,
    },
    "list_visits": lambda m: {"contact_uuid": ids.fixed("contact", "finn")},
    "create_visit": lambda m: {"contact_uuid": m.contact(), "shop_uuid": WEB, "external_id": m.code("STD-VISIT")},
    # engagement
    "list_forms": lambda m: {},
    "list_referrals": lambda m: {"contact_uuid": JANE},
    "get_referral_settings": lambda m: {},
    "create_portal_session": lambda m: {"contact_uuid": JANE, "shop_uuid": AMSTERDAM},
    "list_custom_attributes": lambda m: {"entity": "contact"},
    "list_perks": lambda m: {},
    # webhooks
    "list_webhook_subscriptions": lambda m: {"event_type": "voucher_redeemed", "status": "ACTIVE"},
    "create_webhook_subscription": lambda m: {
        "name": "CRM sync",
        "event_type": "contact_updated",
        "attributes": ["firstname", "email"],
        "url": f"https://hooks.example.com/{uuid.uuid4().hex[:12]}",
    },
    "delete_webhook_subscription": lambda m: {"webhook_subscription_uuid": m.webhook_subscription()},
}


def _unlink(m: Make) -> dict[str, Any]:
    contact = m.contact()
    return {"contact_identifier_value": m.identifier(contact_uuid=contact), "contact_uuid": contact}


@pytest.fixture(scope="module")
def standard_toolkit() -> Iterator[PiggyToolkit]:
    """A staff toolkit over a private demo sandbox: the integration examples change state only there."""
    with (
        Sandbox.start(seed="demo", rate_limit=10**9) as sandbox,
        PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        yield PiggyToolkit(client=client)


class _PiggyTool:
    """What the generated classes share: the tool under test (an instance, so ``tool_constructor_params`` stays
    empty) and its example call, built per invocation."""

    tool_name: ClassVar[str]
    live_examples: ClassVar[bool]

    @pytest.fixture(autouse=True)
    def _bind(self, standard_toolkit: PiggyToolkit) -> None:
        tools = {t.name: t for t in standard_toolkit.get_tools()}
        assert self.tool_name in tools, f"{self.tool_name} is not in the default toolkit"
        self._tool = tools[self.tool_name]
        self._make = Make(standard_toolkit.client if self.live_examples else None)

    @property
    def tool_constructor(self) -> BaseTool:
        return self._tool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        example = EXAMPLES.get(self.tool_name)
        assert example is not None, f"add an example call for {self.tool_name} to EXAMPLES"
        return example(self._make)


def test_every_registry_tool_has_an_example_and_nothing_else_does() -> None:
    assert set(EXAMPLES) == {spec.name for spec in REGISTRY}


def _generate() -> dict[str, type]:
    generated: dict[str, type] = {}
    for spec in REGISTRY:
        for prefix, suite, live in (
            ("TestUnit", ToolsUnitTests, False),
            ("TestIntegration", ToolsIntegrationTests, True),
        ):
            name = f"{prefix}_{spec.name}"
            namespace = {"tool_name": spec.name, "live_examples": live, "__module__": __name__, "__qualname__": name}
            generated[name] = type(name, (_PiggyTool, suite), namespace)
    return generated


globals().update(_generate())
