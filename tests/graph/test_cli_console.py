"""The interactive console (graphs/support_agent/cli.py) as a person uses it: a resumed thread's pending approval
is shown and decided first, edits are asked again until usable, Ctrl-D / Ctrl-C leave cleanly and say what
happened to the approval. Real module, real sandbox over HTTP, a real SQLite checkpointer; the person's keystrokes
come through the console's injectable ``ask`` function, and one test drives the real program in a pseudo-terminal.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect
import pytest

from graphs.support_agent.cli import main
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


class Keyboard:
    """Answers prompts from a list, like a person typing; Ctrl-D (EOFError) when the list runs out, or whatever
    exception the list holds at that point (KeyboardInterrupt for Ctrl-C). Records every prompt shown."""

    def __init__(self, *keys: str | type[BaseException]) -> None:
        self.keys = list(keys)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.keys:
            raise EOFError
        key = self.keys.pop(0)
        if isinstance(key, type):
            raise key
        return key


@pytest.fixture
def key_file(sandbox: Sandbox, tmp_path: Path) -> Path:
    path = tmp_path / "piggy.key"
    path.write_text(sandbox.api_key + "\n")
    return path


def _args(sandbox: Sandbox, key_file: Path, db: str, thread: str, *extra: str) -> list[str]:
    return ["--base-url", sandbox.base_url, "--api-key-file", str(key_file), "--db", db, "--thread", thread, *extra]


def _pending_delete(sandbox: Sandbox, key_file: Path, db: str, email: str) -> str:
    """A saved thread whose delete_contact approval is pending, as a first scripted session leaves it."""
    thread = uuid.uuid4().hex
    out = io.StringIO()
    assert (
        main([*_args(sandbox, key_file, db, thread), "--jsonl"], stdin=io.StringIO(f"delete {email}\n"), stdout=out)
        == 0
    )
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events[-1]["event"] == "interrupt"
    return thread


def _console(sandbox: Sandbox, key_file: Path, db: str, thread: str, keyboard: Keyboard) -> str:
    out = io.StringIO()
    assert main(_args(sandbox, key_file, db, thread), stdout=out, ask=keyboard) == 0
    return " ".join(out.getvalue().split())  # rich wraps at 80 columns in a StringIO


@pytest.fixture
def saved(sandbox: Sandbox, client: PiggyClient, key_file: Path, tmp_path: Path, new_email: str) -> Callable[..., Any]:
    """Resume a thread with a pending deletion of a fresh contact; returns (console text, keyboard, contact uuid)."""
    contact = client.contacts.create(new_email).uuid
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    thread = _pending_delete(sandbox, key_file, db, new_email)

    def resume(*keys: str | type[BaseException]) -> tuple[str, Keyboard, str, str]:
        keyboard = Keyboard(*keys)
        return _console(sandbox, key_file, db, thread, keyboard), keyboard, contact, thread

    return resume


def _deletes(sandbox: Sandbox, contact: str) -> int:
    return sum(1 for r in sandbox.audit("contacts.delete") if r["args"]["contact_uuid"] == contact)


def test_resume_shows_the_pending_approval_first_and_approve_runs_it(
    saved: Callable[..., Any], sandbox: Sandbox, client: PiggyClient
) -> None:
    text, keyboard, contact, _ = saved("a")
    assert "Approval needed: delete_contact" in text
    assert text.index("Approval needed: delete_contact") < text.index("decision:")
    assert "(a)pprove, (e)dit or (r)eject" in keyboard.prompts[0]  # asked before anything else
    assert "staff>" in keyboard.prompts[1]  # then the next request; Ctrl-D there leaves
    assert _deletes(sandbox, contact) == 1
    with pytest.raises(NotFoundError):
        client.contacts.get(contact)
    assert "Bye." in text and "Traceback" not in text


def test_resume_and_reject_keeps_the_contact(saved: Callable[..., Any], sandbox: Sandbox, client: PiggyClient) -> None:
    text, _, contact, _ = saved("r", "identity not verified")
    assert '"type": "reject", "message": "identity not verified"' in text
    assert "Declined by the reviewer: identity not verified" in text
    assert client.contacts.get(contact).uuid == contact and _deletes(sandbox, contact) == 0


def test_edit_asked_again_until_valid(saved: Callable[..., Any], sandbox: Sandbox, client: PiggyClient) -> None:
    first_text, _, contact, _ = saved("e", "{not json", '["a list"]', '{"contact_uuid": "nope", "type": "X"}')
    # Ctrl-D inside the edit prompt: nothing ran, the approval is still pending.
    assert first_text.count("try again") == 3
    assert "not valid JSON" in first_text and "must be a JSON object" in first_text
    assert "Left 1 approval(s) undecided (delete_contact); nothing was run" in first_text
    assert _deletes(sandbox, contact) == 0
    text, keyboard, _, _ = saved("e", "{oops", json.dumps({"contact_uuid": contact, "type": "GDPR"}))
    assert keyboard.prompts[1].startswith("new arguments") and keyboard.prompts[2].startswith("new arguments")
    assert '"type": "edit"' in text and '"type": "GDPR"' in text
    assert _deletes(sandbox, contact) == 1


def test_ctrl_d_at_the_approval_prompt_leaves_it_pending_and_says_so(
    saved: Callable[..., Any], sandbox: Sandbox, key_file: Path
) -> None:
    text, keyboard, contact, thread = saved()  # Ctrl-D at once
    assert len(keyboard.prompts) == 1 and "(r)eject" in keyboard.prompts[0]
    assert "Left 1 approval(s) undecided (delete_contact); nothing was run. It stays pending: resume with" in text
    assert f"--thread {thread}" in text and "Traceback" not in text
    assert _deletes(sandbox, contact) == 0
    again, _, _, _ = saved(KeyboardInterrupt)  # Ctrl-C: the same, and it says it was interrupted
    assert "Interrupted. Left 1 approval(s) undecided" in again and _deletes(sandbox, contact) == 0


def test_a_scripted_resume_shows_the_pending_approval_and_commands_stay_local(
    sandbox: Sandbox, client: PiggyClient, key_file: Path, tmp_path: Path, new_email: str, capfd: Any
) -> None:
    contact = client.contacts.create(new_email).uuid
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    thread = _pending_delete(sandbox, key_file, db, new_email)
    capfd.readouterr()
    out = io.StringIO()
    lines = ["/help", "/edit {broken", "/edit [1, 2]", "/pending", "/frobnicate"]
    code = main([*_args(sandbox, key_file, db, thread), "--jsonl"], stdin=io.StringIO("\n".join(lines)), stdout=out)
    assert code == 0
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[:3] == ["info", "interrupt", "help"]  # the pending approval first, before any input is read
    assert "user" not in kinds and "decision" not in kinds  # no command went to the agent, none decided anything
    errors = [e["text"] for e in events if e["event"] == "error"]
    assert len(errors) == 3 and all("still pending" in e for e in errors[:2]) and "/help" in errors[2]
    assert kinds.count("interrupt") == 2  # /pending shows it again
    assert "Input ended. Left 1 approval(s) undecided (delete_contact)" in capfd.readouterr().err
    assert _deletes(sandbox, contact) == 0


def test_edit_with_nothing_pending_says_so(sandbox: Sandbox, key_file: Path) -> None:
    out = io.StringIO()
    args = _args(sandbox, key_file, "memory", "t", "--jsonl")
    assert main(args, stdin=io.StringIO("/edit {}\n/approve\n"), stdout=out) == 0
    infos = [json.loads(line) for line in out.getvalue().splitlines()][1:]
    assert [e["text"] for e in infos] == ["No approval is pending; nothing was done."] * 2


def test_customer_mode_is_labelled(sandbox: Sandbox, key_file: Path) -> None:
    keyboard = Keyboard("what is my balance?")
    out = io.StringIO()
    args = _args(sandbox, key_file, "memory", "c1", "--as-contact", "tom.berg@example.com")
    assert main(args, stdout=out, ask=keyboard) == 0
    text = " ".join(out.getvalue().split())
    assert "Customer self-service for tom.berg@example.com" in text
    assert keyboard.prompts[0].startswith("[bold cyan]customer tom.berg@example.com>")
    assert "agent>" in text and "what is my balance?" not in text  # the typed line is not printed again


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_real_terminal_resume_ctrl_d_and_no_doubled_lines(
    sandbox: Sandbox, client: PiggyClient, key_file: Path, tmp_path: Path, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    thread = _pending_delete(sandbox, key_file, db, new_email)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "graphs.support_agent", *_args(sandbox, key_file, db, thread)],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=90,  # generous: a loaded CI machine starts Python slowly
        dimensions=(50, 200),
    )
    child.logfile_read = transcript = io.StringIO()
    try:
        child.expect("Approval needed: delete_contact")
        child.expect(r"\(r\)eject\?")
        child.sendline("r")
        child.expect("reason")
        child.sendline("not now")
        child.expect("staff>")
        child.sendline("how many points does tom.berg@example.com have?")
        child.expect("agent>")  # whatever the router answers; the wording is not this test's business
        child.expect("staff>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    # The typed line appears once (the terminal's echo after the prompt), not echoed again by the console.
    assert transcript.getvalue().count("how many points does tom.berg@example.com have?") == 1
    assert "Bye." in transcript.getvalue() and "Traceback" not in transcript.getvalue()
    assert client.contacts.get(contact).uuid == contact


def test_slash_commands_typed_at_the_approval_prompt(saved: Callable[..., Any], sandbox: Sandbox) -> None:
    text, keyboard, contact, _ = saved('/edit {"contact_uuid": "nope", "type": "X"}')  # unusable: asked again
    assert "cannot use these arguments" in text and keyboard.prompts[1].startswith("new arguments")
    assert _deletes(sandbox, contact) == 0
    text, keyboard, _, _ = saved("/reject wrong customer")
    assert '"message": "wrong customer"' in text and not keyboard.prompts[1].startswith("reason")
    assert _deletes(sandbox, contact) == 0


def test_a_status_spinner_shows_while_the_agent_works(sandbox: Sandbox, key_file: Path) -> None:
    out = io.StringIO()
    keyboard = Keyboard("how many points does tom.berg@example.com have?")
    args = _args(sandbox, key_file, "memory", uuid.uuid4().hex)
    assert main(args, stdout=out, ask=keyboard, force_terminal=True) == 0
    assert "agent working..." in out.getvalue() and "loading the agent..." in out.getvalue()


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("make") is None, reason="needs make and a POSIX pty")
def test_ctrl_c_at_the_approval_prompt_under_make_leaves_cleanly(
    sandbox: Sandbox, client: PiggyClient, key_file: Path, tmp_path: Path, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    thread = _pending_delete(sandbox, key_file, db, new_email)
    env = {k: v for k, v in os.environ.items() if k != "MAKEFLAGS"} | {"NO_COLOR": "1", "TERM": "dumb"}
    args = " ".join(_args(sandbox, key_file, db, thread))
    child = pexpect.spawn(
        "make",
        ["-o", ".venv/.installed-demo", "demo", f"PY={sys.executable}", f"ARGS={args}"],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 200),
    )
    child.logfile_read = transcript = io.StringIO()
    try:
        child.expect(r"\(r\)eject\?")
        child.sendintr()  # Ctrl-C reaches make and the console alike, as in a terminal
        child.expect(pexpect.EOF)
    finally:
        child.close()
    text = transcript.getvalue()
    assert "Interrupted. Left 1 approval(s) undecided (delete_contact); nothing was run." in " ".join(text.split())
    assert "Traceback" not in text and "make: ***" not in text
    assert _deletes(sandbox, contact) == 0
