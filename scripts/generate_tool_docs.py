"""Generate ``docs/tools.md`` and ``docs/policy.md`` from the tool registry and the approval policy.

``--check`` exits 1 when either file is stale (a test runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from piggy_agent_tools.policy import DEFAULT_POLICY, STAFF, Principal, Verdict, effects_of  # noqa: E402
from piggy_agent_tools.toolkit import select_specs  # noqa: E402
from piggy_agent_tools.tools import GROUPS, REGISTRY  # noqa: E402
from piggy_agent_tools.tools.excluded import EXCLUDED  # noqa: E402

TARGET = ROOT / "docs" / "tools.md"
POLICY_TARGET = ROOT / "docs" / "policy.md"
CUSTOMER = Principal("any-customer")
WORDS = {Verdict.RUN: "runs", Verdict.DECIDE: "decision", Verdict.REFUSE: "refused"}


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
        "**destructive** overwrites, spends, deletes, reverses or merges (MCP `destructiveHint: true`).",
        "Risk `write / destructive` depends on the arguments (a negative amount deducts money).",
        "Whether a call runs, needs a person's decision or is refused is the approval policy's: see",
        "[policy.md](policy.md).",
        "",
    ]
    for group in GROUPS:
        lines += [f"## {group}", ""]
        for spec in (s for s in REGISTRY if s.group == group):
            risk = "write / destructive" if spec.risk_by_args else spec.risk.value
            effect = " / ".join(sorted(e.value for e in effects_of(spec)))
            verdicts = _verdicts(spec, STAFF)
            lines += [f"### `{spec.name}` ({risk})", "", spec.description, ""]
            lines += [f"Effect: {effect}. Staff: {verdicts}.", ""]
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


def _verdicts(spec: Any, principal: Principal) -> str:
    found = DEFAULT_POLICY.verdicts(spec, principal)
    order = [v for v in (Verdict.RUN, Verdict.DECIDE, Verdict.REFUSE) if v in found]
    if not order:
        return "left out"
    text = " / ".join(WORDS[v] for v in order)
    return f"{text} (by the arguments)" if len(order) > 1 else text


def render_policy() -> str:
    """The policy table: tool x principal -> runs / decision / refused / left out."""
    p = DEFAULT_POLICY
    scoped = {s.name for s in select_specs(REGISTRY, scoped=True)}
    read_only = {s.name for s in select_specs(REGISTRY, read_only=True)}
    lines = [
        "# Approval policy",
        "",
        "Generated from `piggy_agent_tools/policy.py` by `scripts/generate_tool_docs.py`; do not edit by hand.",
        "",
        "One object, `ApprovalPolicy`, decides for a concrete call and a principal (staff, or one customer in",
        "self-service) whether the call **runs**, needs a person's **decision**, or is **refused**, and why.",
        "`PiggyToolkit.decide(call)` asks it; so do `needs_decision`, `interrupt_on()` (LangChain's",
        "`HumanInTheLoopMiddleware`), `piggy_middleware`, the approval and tools nodes of the graphs, the MCP server",
        "(confirmation and `destructiveHint`) and these docs. Refusals are also enforced by the tool itself, so they",
        "hold whatever runs it.",
        "",
        "## Defaults",
        "",
        f"- **Staff, value creation**: awarding more than {p.max_credits} credits, or topping up prepaid or a gift",
        f"  card by more than {p.max_cents} cents (a purchase amount `unit_value` counts in cents too), needs a",
        "  decision; smaller amounts run. Vouchers, new gift cards, automations and visits run (no amount to limit;",
        "  add them to `always_decide` to hold them too).",
        "- **Data egress and credentials** always need a decision: webhook subscriptions (`webhook_hosts` refuses",
        "  any other host), portal login links and portal sessions.",
        "- **Spending, reversals, deletions and merges** (`claim_anonymous_contact` is irreversible) need a decision.",
        "- **Overwrites** (`update_contact`, `update_voucher`, `unsubscribe_contact`) run, but are marked",
        "  `destructiveHint: true` over MCP, which the specification defines as any non-additive update.",
        "- **Customer self-service** (a toolkit scoped with `contact_uuid`): we chose to **leave out** every tool",
        "  that only creates value for the customer (credits, automations, visits; vouchers, gift cards and merges",
        "  are account-wide and left out anyway), and to **refuse** a prepaid top-up (the prepaid tool stays for",
        "  paying). The reason: in self-service the person at the keyboard is the beneficiary, so a decision they",
        "  could answer themselves is no control, and a tool the model cannot see cannot be talked into. An",
        '  operator who has a staff reviewer can choose `customer_value="decide"` instead. Linking an existing card',
        "  to oneself needs a staff decision (the card may carry someone else's balance).",
        '- In customer mode, "not yours" and "does not exist" read the same (`Not found for this customer.`).',
        "- Who decides: the support graph and `create_agent` interrupt, and the person who resumes decides (the CLI",
        "  labels its staff console and customer self-service; the served graph's `ROLE` says which). Over MCP the",
        "  host's person is asked, so serve a customer-scoped MCP server only where that person is staff; value",
        "  creation needs no one there, since it is left out or refused.",
        "- **Read-only** (`read_only=True`) offers only reads, mints no credential (no portal link), and masks",
        "  printed gift-card codes to their last 4 characters unless the operator sets `reveal_codes=True`.",
        "",
        "## Tighten or loosen it in code",
        "",
        "```python",
        "from piggy_agent_tools import PiggyToolkit",
        "from piggy_agent_tools.policy import ApprovalPolicy",
        "",
        "policy = ApprovalPolicy(max_credits=100, max_cents=2_000, webhook_hosts=frozenset({'hooks.example.com'}),",
        "                        always_decide=frozenset({'create_voucher'}))",
        "toolkit = PiggyToolkit(policy=policy)                         # staff console",
        "toolkit = PiggyToolkit(policy=policy, contact_uuid=uuid)      # customer self-service",
        "toolkit.decide({'name': 'award_credits', 'args': {...}})      # Decision(verdict, reason)",
        "```",
        "",
        "## Table",
        "",
        "Default policy. *left out*: the tool is not in that toolkit at all.",
        "",
        "| tool | effect | staff | customer self-service | read-only |",
        "|---|---|---|---|---|",
    ]
    for spec in REGISTRY:
        effect = " / ".join(sorted(e.value for e in effects_of(spec)))
        customer = _verdicts(spec, CUSTOMER) if spec.name in scoped else "left out"
        if spec.name not in read_only:
            ro = "left out"
        else:
            ro = "runs, codes masked" if p.masks_codes(spec, read_only=True) else "runs"
        lines.append(f"| `{spec.name}` | {effect} | {_verdicts(spec, STAFF)} | {customer} | {ro} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
        return 0
    outputs = {TARGET: render(), POLICY_TARGET: render_policy()}
    if "--check" in sys.argv:
        stale = [path.name for path, text in outputs.items() if not path.exists() or path.read_text() != text]
        if stale:
            print(f"docs/{', docs/'.join(stale)} stale; run: python scripts/generate_tool_docs.py")
            return 1
        return 0
    for path, text in outputs.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
