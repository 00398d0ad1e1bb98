"""Loyalty tokens (loyalty-tokens.md): create a claimable URL through the API, and claim one for a contact.

To build the same URL offline (no API call), use ``piggy_agent_tools.loyalty_tokens.build_loyalty_token_url``.
"""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.loyalty_tokens import ClaimedCredits


class LoyaltyTokensResource(SyncAPIResource):
    """Tokens reserve credits for whoever claims them: a credit reception not yet assigned to a contact."""

    def create(
        self,
        *,
        shop_uuid: str,
        unique_id: str,
        unit_name: str | None = None,
        unit_value: float | None = None,
        credits: int | None = None,
        version: str = "v3",
    ) -> str:
        """POST /loyalty-tokens: the token URL (a plain string). Give ``unit_name`` + ``unit_value`` (the
        program's rules apply when claimed) or ``credits``. ``unique_id`` must never be reused (an order id)."""
        body = {
            "version": version,
            "shop_uuid": shop_uuid,
            "unique_id": unique_id,
            "unit_name": unit_name,
            "unit_value": unit_value,
            "credits": credits,
        }
        return str(self._raw(RequestSpec("POST", "/loyalty-tokens", body=body)))

    def claim(
        self,
        *,
        contact_uuid: str,
        shop_uuid: str,
        unique_id: str,
        timestamp: int,
        hash: str,
        unit_name: str | None = None,
        unit_value: float | str | None = None,
        credits: int | None = None,
        version: str = "v3",
    ) -> ClaimedCredits:
        """POST /loyalty-tokens/claim: give the token's credits to the contact, once. The values must be the
        token URL's own (the hash covers them); returns the credit reception created."""
        body = {
            "version": version,
            "shop_uuid": shop_uuid,
            "unique_id": unique_id,
            "timestamp": timestamp,
            "hash": hash,
            "contact_uuid": contact_uuid,
            "unit_name": unit_name,
            "unit_value": unit_value,
            "credits": credits,
        }
        spec = RequestSpec(
            "POST",
            "/loyalty-tokens/claim",
            body=body,
            moves_value=True,
            how_to_check=(
                "list the contact's loyalty transactions for a new credit reception from this shop; claiming the "
                "same token again answers 1034 when the first claim went through."
            ),
        )
        return self._request(spec, ClaimedCredits)
