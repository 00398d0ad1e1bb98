"""Rewards, reward attributes, collectable rewards and reward receptions (rewards.md, reward-receptions.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class Reward(PiggyModel):
    """What contacts buy with credits; custom reward attributes arrive as extra top-level keys."""

    uuid: str
    id: int | None = None
    title: str = ""
    description: str | None = None
    required_credits: int = 0
    reward_type: str | None = None
    is_active: bool | None = None
    media: Any = None
    stock: int | None = None
    expiration_duration: int | None = None


class RewardAttribute(PiggyModel):
    """A custom reward field; Piggy answers with camelCase keys here (``fieldType``, ``isPiggyDefined``)."""

    name: str
    label: str | None = None
    type: str | None = None


class RewardContact(PiggyModel):
    uuid: str
    email: str | None = None
    credit_balance: dict[str, Any] | None = None


class CollectableReward(PiggyModel):
    """A claimed physical reward awaiting pickup; ``uuid`` is the reward reception's uuid."""

    uuid: str
    title: str | None = None
    expires_at: str | None = None
    has_been_collected: bool = False
    status: str | None = None
    contact: RewardContact | None = None
    reward: Reward | None = None


class RewardReception(PiggyModel):
    """A claimed reward: ``reward_reception`` (physical) or ``digital_reward_reception`` (digital)."""

    uuid: str
    type: str = "reward_reception"
    title: str | None = None
    credits: int = 0
    contact: RewardContact | None = None
    reward: Reward | None = None
    digital_reward: Reward | None = None
    digital_reward_code: dict[str, Any] | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None
    created_at: str | None = None


class RefundReception(PiggyModel):
    """What reversing a reward reception returns: a Credit Reception refunding the credits spent."""

    uuid: str
    type: str = "credit_reception"
    credits: int = 0
    contact: RewardContact | None = None
