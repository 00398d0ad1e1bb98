"""Rewards (list, get, update), reward attributes, and collectable rewards (rewards.md)."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.rewards import CollectableReward, Reward, RewardAttribute


class RewardsResource(SyncAPIResource):
    """Rewards: what contacts can buy with credits."""

    def list(self, *, shop_uuid: str | None = None, contact_uuid: str | None = None) -> builtins.list[Reward]:
        """GET /rewards: all rewards, or only those claimable by ``contact_uuid`` (not paginated)."""
        params = {"shop_uuid": shop_uuid, "contact_uuid": contact_uuid}
        return self._list(RequestSpec("GET", "/rewards", params=params), Reward)

    def get(self, reward_uuid: str) -> Reward:
        """GET /rewards/{reward_uuid}; NotFoundError (6003) when unknown."""
        return self._request(RequestSpec("GET", f"/rewards/{uuid_segment('reward_uuid', reward_uuid)}"), Reward)

    def update(
        self,
        reward_uuid: str,
        *,
        title: str | None = None,
        description: str | None = None,
        required_credits: int | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> Reward:
        """PUT /rewards/{reward_uuid}: change title, description, price, or custom reward attributes by name."""
        body = {"title": title, "description": description, "required_credits": required_credits, **(attributes or {})}
        path = f"/rewards/{uuid_segment('reward_uuid', reward_uuid)}"
        return self._request(RequestSpec("PUT", path, body=body), Reward)


class RewardAttributesResource(SyncAPIResource):
    """Custom fields on rewards (the key is ``type`` here, unlike contact attributes' ``data_type``)."""

    def list(self, *, page: int | None = None, limit: int | None = None) -> builtins.list[RewardAttribute]:
        """GET /reward-attributes."""
        return self._list(
            RequestSpec("GET", "/reward-attributes", params={"page": page, "limit": limit}), RewardAttribute
        )

    def create(
        self,
        *,
        name: str,
        label: str,
        type: str,
        description: str | None = None,
        placeholder: str | None = None,
        options: builtins.list[dict[str, Any]] | None = None,
    ) -> RewardAttribute:
        """POST /reward-attributes."""
        body = {
            "name": name,
            "label": label,
            "type": type,
            "description": description,
            "placeholder": placeholder,
            "options": options,
        }
        return self._request(RequestSpec("POST", "/reward-attributes", body=body), RewardAttribute)


class CollectableRewardsResource(SyncAPIResource):
    """Claimed physical rewards awaiting pickup."""

    def list(self, *, contact_uuid: str) -> builtins.list[CollectableReward]:
        """GET /collectable-rewards?contact_uuid=: the contact's rewards waiting to be picked up."""
        return self._list(
            RequestSpec("GET", "/collectable-rewards", params={"contact_uuid": contact_uuid}), CollectableReward
        )

    def collect(self, loyalty_transaction_uuid: str) -> CollectableReward:
        """PUT /collectable-rewards/collect/{uuid}: mark a claimed reward as picked up."""
        path = f"/collectable-rewards/collect/{uuid_segment('loyalty_transaction_uuid', loyalty_transaction_uuid)}"
        return self._request(RequestSpec("PUT", path), CollectableReward)

    def reverse(self, collectable_reward_redemption_uuid: str) -> CollectableReward:
        """POST /collectable-rewards/{uuid}/reverse: undo a pickup."""
        segment = uuid_segment("collectable_reward_redemption_uuid", collectable_reward_redemption_uuid)
        return self._request(RequestSpec("POST", f"/collectable-rewards/{segment}/reverse"), CollectableReward)
