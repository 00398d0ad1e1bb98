"""Credit receptions: award credits, reverse an award, calculate credits without awarding (credit-receptions.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.loyalty import CreditCalculation, CreditReception

_CHECK = "list the contact's loyalty transactions (type=credit_receptions) to see whether the credits were booked."


class CreditReceptionsResource(SyncAPIResource):
    """Awards and reversals move credits, so they are never blindly retried; calculate only reads."""

    def create(
        self,
        *,
        contact_uuid: str,
        shop_uuid: str,
        credits: int | None = None,
        unit_value: float | None = None,
        unit_name: str | None = None,
        contact_identifier_value: str | None = None,
        pos_transaction_uuid: str | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> CreditReception:
        """POST /credit-receptions: give ``credits`` (overrides the rules) or ``unit_value`` in ``unit_name``
        (default unit; rate x tier multiplier apply). ``attributes`` are loyalty transaction attribute values
        by name. 1015 when the program maximum would be exceeded."""
        body = {
            **(attributes or {}),
            "contact_uuid": contact_uuid,
            "shop_uuid": shop_uuid,
            "credits": credits,
            "unit_value": unit_value,
            "unit_name": unit_name,
            "contact_identifier_value": contact_identifier_value,
            "pos_transaction_uuid": pos_transaction_uuid,
        }
        spec = RequestSpec("POST", "/credit-receptions", body=body, moves_value=True, how_to_check=_CHECK)
        return self._request(spec, CreditReception)

    def reverse(self, credit_reception_uuid: str) -> CreditReception:
        """POST /credit-receptions/{uuid}/reverse: a new reception with the negated credits (1017 when the
        contact has already spent them; an award reverses once)."""
        path = f"/credit-receptions/{uuid_segment('credit_reception_uuid', credit_reception_uuid)}/reverse"
        return self._request(RequestSpec("POST", path, moves_value=True, how_to_check=_CHECK), CreditReception)

    def calculate(
        self,
        *,
        shop_uuid: str,
        unit_value: float,
        unit_name: str | None = None,
        contact_uuid: str | None = None,
    ) -> CreditCalculation:
        """GET /credit-receptions/calculate: the credits ``unit_value`` would earn (with the contact's tier bonus
        when ``contact_uuid`` is given); nothing is written."""
        params = {
            "shop_uuid": shop_uuid,
            "unit_value": unit_value,
            "unit_name": unit_name,
            "contact_uuid": contact_uuid,
        }
        return self._request(RequestSpec("GET", "/credit-receptions/calculate", params=params), CreditCalculation)
