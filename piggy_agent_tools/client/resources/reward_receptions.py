"""Reward receptions: claim a reward with credits, or reverse a claim (reward-receptions.md)."""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.rewards import RefundReception, RewardReception

_CHECK = "list the contact's loyalty transactions (type=reward_receptions) to see whether the claim went through."


class RewardReceptionsResource(SyncAPIResource):
    """Claiming rewards spends credits, so both calls move value and are never blindly retried."""

    def create(
        self,
        *,
        contact_uuid: str,
        reward_uuid: str,
        shop_uuid: str,
        contact_identifier_value: str | None = None,
    ) -> RewardReception:
        """POST /reward-receptions: claim a reward; InsufficientBalanceError (1017 credits, 1018 stock, 1019 limit)."""
        body = {
            "contact_uuid": contact_uuid,
            "reward_uuid": reward_uuid,
            "shop_uuid": shop_uuid,
            "contact_identifier_value": contact_identifier_value,
        }
        spec = RequestSpec("POST", "/reward-receptions", body=body, moves_value=True, how_to_check=_CHECK)
        return self._request(spec, RewardReception)

    def reverse(self, reward_reception_uuid: str) -> RefundReception:
        """POST /reward-receptions/{uuid}/reverse: refund the credits; returns the refunding credit reception."""
        path = f"/reward-receptions/{uuid_segment('reward_reception_uuid', reward_reception_uuid)}/reverse"
        return self._request(RequestSpec("POST", path, moves_value=True, how_to_check=_CHECK), RefundReception)
