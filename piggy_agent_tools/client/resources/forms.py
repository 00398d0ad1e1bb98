"""Forms (forms.md): list the account's hosted forms."""

from __future__ import annotations

import builtins
from typing import Literal

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.engagement import Form


class FormsResource(SyncAPIResource):
    """Hosted forms; there are no create or update calls and submissions arrive only as webhooks."""

    def list(
        self,
        *,
        status: Literal["PUBLISHED", "DRAFT", "BIN"] | None = None,
        type: Literal["PUBLIC", "PRIVATE"] | None = None,
    ) -> builtins.list[Form]:
        """GET /forms: every form, optionally only one status or type (not paginated)."""
        return self._list(RequestSpec("GET", "/forms", params={"status": status, "type": type}), Form)
