"""``piggy-agent-tools``: command-line entry points (``mcp`` serves the tools to MCP hosts)."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack


def _mcp(args: argparse.Namespace) -> int:
    from piggy_agent_tools import PiggyClient
    from piggy_agent_tools.mcp.run import run_stdio, serve_http
    from piggy_agent_tools.mcp.server import build_server
    from piggy_agent_tools.toolkit import PiggyToolkit

    with ExitStack() as stack:
        api_key, base_url = os.environ.get("PIGGY_API_KEY"), os.environ.get("PIGGY_BASE_URL")
        if args.sandbox or not api_key:
            if not args.sandbox:
                print("PIGGY_API_KEY is not set: pass --sandbox to serve the embedded demo sandbox.", file=sys.stderr)
                return 2
            from piggy_agent_tools.sandbox import Sandbox

            sandbox = stack.enter_context(Sandbox.start(seed="demo"))
            api_key, base_url = sandbox.api_key, sandbox.base_url
            print(f"piggy-agent-tools mcp: serving the embedded sandbox at {base_url}", file=sys.stderr)
        client = PiggyClient(api_key=api_key, base_url=base_url)
        contact = client.contacts.find_by_email(args.as_contact).uuid if args.as_contact else None
        toolkit = PiggyToolkit(
            client=client,
            include=_split(args.include),
            exclude=_split(args.exclude),
            groups=_split(args.groups),
            read_only=args.read_only,
            default_shop_uuid=args.default_shop,
            contact_uuid=contact,
        )
        server = build_server(toolkit)
        if args.http:
            serve_http(server, args.host, args.port)
        else:
            run_stdio(server)
    return 0


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="piggy-agent-tools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    mcp = sub.add_parser("mcp", help="serve the Piggy tools over MCP (stdio by default)")
    mcp.add_argument("--http", action="store_true", help="serve streamable HTTP at /mcp instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1")
    mcp.add_argument("--port", type=int, default=8766)
    mcp.add_argument("--read-only", action="store_true", help="only tools that change nothing")
    mcp.add_argument("--groups", help="comma-separated tool groups (contacts,loyalty,...)")
    mcp.add_argument("--include", help="comma-separated tool names to offer")
    mcp.add_argument("--exclude", help="comma-separated tool names to leave out")
    mcp.add_argument("--default-shop", help="shop UUID injected into tools that need one")
    mcp.add_argument("--as-contact", metavar="EMAIL", help="customer-scoped: act only on this contact")
    mcp.add_argument("--sandbox", action="store_true", help="serve the embedded demo sandbox (no key needed)")
    args = parser.parse_args(argv)
    try:
        return _mcp(args)
    except ValueError as exc:  # unknown tool or group names
        print(f"piggy-agent-tools: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
