"""Reward tools: list what a customer can claim, claim a reward with credits, undo a claim."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from pydantic import Field

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, ShopUuid, Uuid
from piggy_agent_tools.tools._ownership import require_owned
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.rewards import Reward, RewardReception


def reward_summary(reward: Reward) -> dict[str, Any]:
    return {
        "uuid": reward.uuid,
        "title": reward.title,
        "required_credits": reward.required_credits,
        "type": reward.reward_type,
        "stock": reward.stock,
    }


class ListRewardsArgs(ArgsModel):
    contact_uuid: ContactUuid | None = Field(
        None, description="When given, only rewards this customer can claim now (affordable, in stock, under limits)."
    )
    shop_uuid: ShopUuid | None = Field(None, description="When given, only rewards available at that shop.")


class ClaimRewardArgs(ArgsModel):
    contact_uuid: ContactUuid
    reward_uuid: Uuid = Field(description="The reward's UUID (from list_rewards).")
    shop_uuid: ShopUuid


def _claim_summary(claim: RewardReception, args: Any) -> dict[str, Any]:
    balance = (claim.contact.credit_balance or {}).get("balance") if claim.contact else None
    return {
        "claimed": True,
        "reward_reception_uuid": claim.uuid,
        "title": claim.title,
        "credits_spent": -claim.credits,
        "balance": balance,
        "code": (claim.digital_reward_code or {}).get("code"),
        "pickup_before": claim.expires_at,
    }


class ReverseClaimArgs(ArgsModel):
    reward_reception_uuid: Uuid = Field(description="The claim to undo (from claim_reward or the transaction list).")
    contact_uuid: ContactUuid | None = Field(None, description="If given, refuse unless the claim is this customer's.")


def _reverse_claim(client: Any, args: ReverseClaimArgs) -> Generator[Any, Any, Any]:
    """Check ownership first when a contact is named (always, for a customer-scoped agent), then refund."""
    if args.contact_uuid:
        yield from require_owned(
            client,
            args.contact_uuid,
            "reward_receptions",
            args.reward_reception_uuid,
            "This reward claim does not belong to the customer.",
        )
    refund = yield client.reward_receptions.reverse(args.reward_reception_uuid)
    return refund


SPECS = [
    ToolSpec(
        name="list_rewards",
        group="rewards",
        title="List rewards",
        description=(
            "List the rewards customers can buy with credits. Pass contact_uuid to see only what that customer "
            "can claim right now, shop_uuid for one shop's rewards. Returns uuid, title, price in credits, type and "
            "stock."
        ),
        args=ListRewardsArgs,
        call=lambda c, a: c.rewards.list(contact_uuid=a.contact_uuid, shop_uuid=a.shop_uuid),
        present=lambda r, a: list_summary([reward_summary(x) for x in r], "rewards"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="claim_reward",
        group="rewards",
        title="Claim reward",
        description=(
            "Claim a reward for a customer, spending its price in credits (use list_rewards for the uuid). Fails "
            "when credits, stock or the claim limit are not enough. Returns the claim, credits spent, new balance "
            "and a code for digital rewards."
        ),
        args=ClaimRewardArgs,
        call=lambda c, a: c.reward_receptions.create(
            contact_uuid=a.contact_uuid, reward_uuid=a.reward_uuid, shop_uuid=a.shop_uuid
        ),
        present=_claim_summary,
        risk=Risk.DESTRUCTIVE,
    ),
    ToolSpec(
        name="reverse_reward_reception",
        group="rewards",
        title="Undo reward claim",
        description=(
            "Undo a reward claim and give the credits back, for example when the reward was not handed out. "
            "Returns the refund with the credits returned and the new balance."
        ),
        args=ReverseClaimArgs,
        call=_reverse_claim,
        present=lambda r, a: {
            "reversed": a.reward_reception_uuid,
            "credits_returned": r.credits,
            "balance": (r.contact.credit_balance or {}).get("balance") if r.contact else None,
        },
        risk=Risk.DESTRUCTIVE,
    ),
]
