"""Every resource namespace of the sync client, in the order of the API reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from piggy_agent_tools.client.resources.automations import AutomationsResource
from piggy_agent_tools.client.resources.bookings import BookingsResource, VisitsResource
from piggy_agent_tools.client.resources.brand_kit import BrandKitResource
from piggy_agent_tools.client.resources.contact_attributes import ContactAttributesResource
from piggy_agent_tools.client.resources.contact_identifiers import ContactIdentifiersResource
from piggy_agent_tools.client.resources.contact_verification import (
    ContactSessionTokensResource,
    ContactsPortalResource,
    ContactVerificationResource,
)
from piggy_agent_tools.client.resources.contacts import ContactsResource
from piggy_agent_tools.client.resources.credit_receptions import CreditReceptionsResource
from piggy_agent_tools.client.resources.custom_attributes import (
    CustomAttributeGroupsResource,
    CustomAttributesResource,
)
from piggy_agent_tools.client.resources.forms import FormsResource
from piggy_agent_tools.client.resources.giftcards import (
    GiftcardProgramsResource,
    GiftcardsResource,
    GiftcardTransactionsResource,
)
from piggy_agent_tools.client.resources.loyalty_program import (
    LoyaltyProgramResource,
    TiersResource,
    UnitsResource,
)
from piggy_agent_tools.client.resources.loyalty_tokens import LoyaltyTokensResource
from piggy_agent_tools.client.resources.loyalty_transactions import (
    LoyaltyTransactionAttributesResource,
    LoyaltyTransactionsResource,
)
from piggy_agent_tools.client.resources.orders import OrderReturnsResource, OrdersResource
from piggy_agent_tools.client.resources.perks import PerksResource
from piggy_agent_tools.client.resources.portal_sessions import PortalSessionsResource
from piggy_agent_tools.client.resources.prepaid import PrepaidTransactionsResource
from piggy_agent_tools.client.resources.products import ProductCategoriesResource, ProductsResource
from piggy_agent_tools.client.resources.promotions import PromotionAttributesResource, PromotionsResource
from piggy_agent_tools.client.resources.referrals import ReferralsResource
from piggy_agent_tools.client.resources.reward_receptions import RewardReceptionsResource
from piggy_agent_tools.client.resources.rewards import (
    CollectableRewardsResource,
    RewardAttributesResource,
    RewardsResource,
)
from piggy_agent_tools.client.resources.shops import ShopsResource
from piggy_agent_tools.client.resources.subscriptions import (
    ContactSubscriptionsResource,
    SubscriptionTypesResource,
)
from piggy_agent_tools.client.resources.vouchers import VouchersResource
from piggy_agent_tools.client.resources.webhook_subscriptions import WebhookSubscriptionsResource

if TYPE_CHECKING:
    from piggy_agent_tools.client._sync import PiggyClient


class SyncResources:
    """The namespaces (``client.contacts``, ``client.vouchers``...) attached to ``PiggyClient``."""

    def __init__(self, client: PiggyClient) -> None:
        self.contacts = ContactsResource(client)
        self.contact_attributes = ContactAttributesResource(client)
        self.subscription_types = SubscriptionTypesResource(client)
        self.contact_subscriptions = ContactSubscriptionsResource(client)
        self.contact_verification = ContactVerificationResource(client)
        self.contact_session_tokens = ContactSessionTokensResource(client)
        self.contacts_portal = ContactsPortalResource(client)
        self.contact_identifiers = ContactIdentifiersResource(client)
        self.credit_receptions = CreditReceptionsResource(client)
        self.loyalty_program = LoyaltyProgramResource(client)
        self.tiers = TiersResource(client)
        self.units = UnitsResource(client)
        self.perks = PerksResource(client)
        self.shops = ShopsResource(client)
        self.rewards = RewardsResource(client)
        self.reward_attributes = RewardAttributesResource(client)
        self.collectable_rewards = CollectableRewardsResource(client)
        self.reward_receptions = RewardReceptionsResource(client)
        self.loyalty_transactions = LoyaltyTransactionsResource(client)
        self.loyalty_transaction_attributes = LoyaltyTransactionAttributesResource(client)
        self.loyalty_tokens = LoyaltyTokensResource(client)
        self.promotions = PromotionsResource(client)
        self.promotion_attributes = PromotionAttributesResource(client)
        self.vouchers = VouchersResource(client)
        self.giftcard_programs = GiftcardProgramsResource(client)
        self.giftcards = GiftcardsResource(client)
        self.giftcard_transactions = GiftcardTransactionsResource(client)
        self.prepaid_transactions = PrepaidTransactionsResource(client)
        self.automations = AutomationsResource(client)
        self.custom_attributes = CustomAttributesResource(client)
        self.custom_attribute_groups = CustomAttributeGroupsResource(client)
        self.orders = OrdersResource(client)
        self.order_returns = OrderReturnsResource(client)
        self.products = ProductsResource(client)
        self.product_categories = ProductCategoriesResource(client)
        self.bookings = BookingsResource(client)
        self.visits = VisitsResource(client)
        self.forms = FormsResource(client)
        self.brand_kit = BrandKitResource(client)
        self.referrals = ReferralsResource(client)
        self.portal_sessions = PortalSessionsResource(client)
        self.webhook_subscriptions = WebhookSubscriptionsResource(client)
