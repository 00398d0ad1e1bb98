"""Shop tools: the account's shops (business profiles), for choosing where credits are earned or spent."""

from __future__ import annotations

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec


class NoArgs(ArgsModel):
    """No arguments."""


SPECS = [
    ToolSpec(
        name="list_shops",
        group="shops",
        title="List shops",
        description=(
            "List the account's shops (physical stores and webshops). Use it to find the shop_uuid that award, "
            "claim, redeem and payment tools need. Returns uuid, name and type."
        ),
        args=NoArgs,
        call=lambda c, a: c.shops.list(),
        present=lambda r, a: list_summary(
            [{"uuid": s.uuid, "name": s.name, "type": getattr(s, "type", None)} for s in r], "shops"
        ),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
]
