"""Generate ``docs/tools.md`` from the tool registry; ``--check`` exits 1 when the file is stale (a test runs it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from piggy_agent_tools.tools import GROUPS, REGISTRY  # noqa: E402
from piggy_agent_tools.tools.excluded import EXCLUDED  # noqa: E402

TARGET = ROOT / "docs" / "tools.md"


def _type(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"] if p.get("type") != "null")
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}))}"
    return str(prop.get("type", prop.get("$ref", "object").rsplit("/", 1)[-1]))


def _description(prop: dict[str, Any]) -> str:
    if prop.get("description"):
        return str(prop["description"])
    return next((str(p["description"]) for p in prop.get("anyOf", []) if p.get("description")), "")


def render() -> str:
    lines = [
        "# Tools",
        "",
        "Generated from the registry by `scripts/generate_tool_docs.py`; do not edit by hand.",
        f"{len(REGISTRY)} tools in {len(GROUPS)} groups. Risk: **read** changes nothing; **write** adds or changes;",
        "**destructive** spends, deletes or reverses and needs approval where approval is configured.",
        "Risk `write / destructive` depends on the arguments (a negative amount deducts money).",
        "",
    ]
    for group in GROUPS:
        lines += [f"## {group}", ""]
        for spec in (s for s in REGISTRY if s.group == group):
            risk = "write / destructive" if spec.risk_by_args else spec.risk.value
            lines += [f"### `{spec.name}` ({risk})", "", spec.description, ""]
            schema = spec.args.model_json_schema()
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            if props:
                lines += ["| argument | type | required | description |", "|---|---|---|---|"]
                for name, prop in props.items():
                    desc = _description(prop).replace("|", "\\|")
                    lines.append(f"| `{name}` | {_type(prop)} | {'yes' if name in required else 'no'} | {desc} |")
                lines.append("")
            else:
                lines += ["No arguments.", ""]
    lines += ["## Operations left out", "", "| operation | why |", "|---|---|"]
    lines += [f"| {op} | {why} |" for op, why in EXCLUDED.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print("docs/tools.md is stale; run: python scripts/generate_tool_docs.py")
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
