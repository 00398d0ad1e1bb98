"""``python -m graphs.support_agent``: until the agent graph lands, a scripted tour of the client on the sandbox."""

from __future__ import annotations

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import PiggyAPIError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids


def main() -> None:
    with Sandbox.start(seed="demo") as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client:
        print(f"Embedded Piggy sandbox with demo data at {sb.base_url} (no key, no network needed).")
        jane = client.contacts.find_by_email("jane.doe@example.com")
        name = f"{jane.current_values.get('firstname')} {jane.current_values.get('lastname')}"
        print(
            f"Found {name} <{jane.email}>: {jane.credit_balance.balance if jane.credit_balance else 0} credits, "
            f"tier {jane.tier.name if jane.tier else '-'}"
        )
        page = client.contacts.list(limit=5)
        print(f"Contacts: {page.total} in total; first page: {', '.join(c.email for c in page.items)}")
        try:
            client.contacts.get(ids.fixed("contact", "nobody"))
        except PiggyAPIError as exc:
            print(f"Looking up an unknown contact fails cleanly: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    main()
