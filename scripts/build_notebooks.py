"""Write the notebooks in ``notebooks/`` and execute them so they are committed with their outputs.

Run after changing a notebook's cells here: ``.venv/bin/python scripts/build_notebooks.py``. ``make test`` runs
them again with nbmake, offline, against the embedded sandbox.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

QUICKSTART = [
    ("md", "# Toolkit quickstart\n\nThe Piggy tools against the embedded sandbox: no account, no network, no model."),
    (
        "code",
        "from piggy_agent_tools import PiggyClient, PiggyToolkit\nfrom piggy_agent_tools.sandbox import Sandbox\n\n"
        "sandbox = Sandbox.start(seed='demo')\nclient = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url)\n"
        "toolkit = PiggyToolkit(client=client)\nprint(len(toolkit.get_tools()), 'tools in groups:',\n"
        "      sorted({s.group for s in toolkit.specs}))",
    ),
    (
        "md",
        "Invoke a tool the way an agent does: a tool call in, a `ToolMessage` out. The content is compact JSON "
        "for the model; the artifact is the full API object.",
    ),
    (
        "code",
        "tools = {t.name: t for t in toolkit.get_tools()}\n"
        "msg = tools['get_contact'].invoke({'type': 'tool_call', 'id': '1', 'name': 'get_contact',\n"
        "                                   'args': {'email': 'jane.doe@example.com'}})\nprint(msg.content)",
    ),
    ("md", "Errors come back as error messages the model can act on, never as exceptions:"),
    (
        "code",
        "bad = tools['get_contact'].invoke({'type': 'tool_call', 'id': '2', 'name': 'get_contact',\n"
        "                                   'args': {'contact_uuid': '../../shops'}})\nprint(bad.status, '-', bad.content)\n"
        "missing = tools['get_contact'].invoke({'type': 'tool_call', 'id': '3', 'name': 'get_contact',\n"
        "                                       'args': {'email': 'nobody@example.com'}})\n"
        "print(missing.status, '-', missing.content)",
    ),
    ("md", "Award credits for a purchase, then read the balance back from Piggy:"),
    (
        "code",
        "from piggy_agent_tools.sandbox.seed import ids\n"
        "award = tools['award_credits'].invoke({'type': 'tool_call', 'id': '4', 'name': 'award_credits',\n"
        "    'args': {'contact_uuid': ids.JANE, 'shop_uuid': ids.SHOP_AMSTERDAM, 'unit_value': 12.5}})\n"
        "print(award.content)\nprint('balance now', client.contacts.get_credit_balance(ids.JANE).balance)",
    ),
    (
        "md",
        "Risk and approvals: `interrupt_on()` is ready for LangChain's `HumanInTheLoopMiddleware`, and "
        "`risk_of` judges one concrete call.",
    ),
    (
        "code",
        "print(sorted(toolkit.interrupt_on()))\n"
        "print(toolkit.risk_of({'name': 'create_prepaid_transaction', 'args': {'amount_in_cents': 500}}))\n"
        "print(toolkit.risk_of({'name': 'create_prepaid_transaction', 'args': {'amount_in_cents': -500}}))",
    ),
    (
        "md",
        "A customer-scoped toolkit can only ever touch one contact: the contact argument disappears from every "
        "schema and tools that reach other customers are left out.",
    ),
    (
        "code",
        "scoped = PiggyToolkit(client=client, contact_uuid=ids.TOM)\n"
        "print([t.name for t in scoped.get_tools()][:12], '...')\n"
        "me = {t.name: t for t in scoped.get_tools()}['get_contact']\n"
        "print(me.invoke({'type': 'tool_call', 'id': '5', 'name': 'get_contact', 'args': {}}).content)",
    ),
    ("code", "client.close()\nsandbox.stop()"),
]

APPROVALS = [
    (
        "md",
        "# The support agent with a human in the loop\n\nThe example graph with the offline router (no model): "
        "a destructive request stops for a person, who can approve, edit or reject.",
    ),
    (
        "code",
        "import sys\nfrom pathlib import Path\n\n# The example graph lives in the repository (graphs/), not in the installed package.\n"
        "sys.path.insert(0, str(next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / 'graphs').is_dir())))",
    ),
    (
        "code",
        "from langgraph.checkpoint.memory import InMemorySaver\nfrom langgraph.types import Command\n"
        "from graphs.support_agent.graph import build_graph\nfrom piggy_agent_tools import PiggyClient, PiggyToolkit\n"
        "from piggy_agent_tools.sandbox import Sandbox\n\nsandbox = Sandbox.start(seed='demo')\n"
        "client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url)\n"
        "graph = build_graph(PiggyToolkit(client=client), checkpointer=InMemorySaver())\n"
        "config = {'configurable': {'thread_id': 'notebook'}}\n\n"
        "def say(text):\n    out = graph.invoke({'messages': [('user', text)]}, config)\n"
        "    print('agent:', out['messages'][-1].content or '(waiting for approval)')\n\n"
        "def answer(*decisions):\n"
        "    # Resume by the interrupt's id: the decisions apply to this review and to no later one.\n"
        "    pending = graph.get_state(config).interrupts[0]\n"
        "    return Command(resume={pending.id: {'decisions': list(decisions)}})",
    ),
    ("code", "say('How many points does tom.berg@example.com have?')"),
    (
        "md",
        "Ask for something destructive. The graph pauses before any tool runs; the interrupt has the same shape "
        "as LangChain's `HumanInTheLoopMiddleware`, so review UIs understand it.",
    ),
    ("code", "say('Please delete his account')\nrequest = graph.get_state(config).interrupts[0].value\nrequest"),
    (
        "md",
        "Each action request carries its `tool_call_id`. Answer the review by its interrupt id (`answer` above): a "
        "plain `Command(resume={'decisions': [...]})` that names no reviewed `tool_call_id` is stale and changes "
        "nothing.",
    ),
    ("md", "Reject: nothing is deleted, and the agent tells the customer."),
    (
        "code",
        "out = graph.invoke(answer({'type': 'reject', 'message': 'identity not verified'}), config)\n"
        "print('agent:', out['messages'][-1].content)\n"
        "print('Tom still exists:', client.contacts.find_by_email('tom.berg@example.com').email)",
    ),
    ("md", "Ask again and approve this time. The sandbox audit log shows exactly one delete."),
    (
        "code",
        "say('Delete the account of tom.berg@example.com')\n"
        "approve = answer({'type': 'approve'})\n"
        "out = graph.invoke(approve, config)\n"
        "print('agent:', out['messages'][-1].content)\n"
        "print('deletes in the audit log:', len(sandbox.audit('contacts.delete')))",
    ),
    ("md", "A second resume of the same review (a double click) does nothing:"),
    (
        "code",
        "graph.invoke(approve, config)\nprint('deletes in the audit log:', len(sandbox.audit('contacts.delete')))",
    ),
    ("code", "client.close()\nsandbox.stop()"),
]


def build(name: str, cells: list[tuple[str, str]]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src) for kind, src in cells
    ]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    nbformat.write(nb, ROOT / "notebooks" / name)


def main() -> int:
    notebooks = (("01_toolkit_quickstart.ipynb", QUICKSTART), ("02_support_agent_approvals.ipynb", APPROVALS))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "names", nargs="*", choices=[n for n, _ in notebooks], help="only these notebooks (default: all)"
    )
    wanted = parser.parse_args().names
    for name, cells in notebooks:
        if not wanted or name in wanted:
            build(name, cells)
            print("wrote", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
