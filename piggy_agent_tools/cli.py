"""``piggy-agent-tools``: command-line entry points (``mcp`` serves the tools to MCP hosts)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from contextlib import ExitStack

SANDBOX_HELP = (
    "serve an embedded demo sandbox (no key needed). It lives in this process: its state resets every time the "
    "server starts, and hosts that start a server per call (langchain-mcp-adapters over stdio) see a fresh sandbox "
    "each call. For state kept between processes use --sandbox-db FILE, or run `piggy-sandbox serve --db FILE` and "
    "point PIGGY_BASE_URL / PIGGY_API_KEY at it"
)


class CliError(Exception):
    """A bad option or an unusable environment: printed as one line, exit status 2."""


def _mcp(args: argparse.Namespace) -> int:
    from piggy_agent_tools import PiggyClient
    from piggy_agent_tools.errors import NotFoundError, PiggyError
    from piggy_agent_tools.mcp.run import TOKEN_ENV, is_loopback, run_stdio, serve_http
    from piggy_agent_tools.mcp.server import build_server
    from piggy_agent_tools.toolkit import PiggyToolkit

    token = os.environ.get(TOKEN_ENV, "").strip()
    if args.http and not is_loopback(args.host) and not token:
        raise CliError(
            f"refusing to listen on non-loopback address {args.host} without a token: set {TOKEN_ENV} to a long "
            "random secret (clients send 'Authorization: Bearer <it>'), or bind 127.0.0.1"
        )
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, not {args.port}")
    with ExitStack() as stack:
        api_key, base_url = os.environ.get("PIGGY_API_KEY"), os.environ.get("PIGGY_BASE_URL")
        if args.sandbox or args.sandbox_db or not api_key:
            if not (args.sandbox or args.sandbox_db):
                raise CliError("PIGGY_API_KEY is not set: pass --sandbox to serve the embedded demo sandbox.")
            from piggy_agent_tools.sandbox import Sandbox

            db = args.sandbox_db or ":memory:"
            try:
                sandbox = stack.enter_context(Sandbox.start(seed="demo", db=db))
            except Exception as exc:  # an unreadable or foreign database file: say so in one line
                raise CliError(f"cannot open the sandbox database {db}: {exc}") from None
            api_key, base_url = sandbox.api_key, sandbox.base_url
            kept = f"state kept in {db}" if args.sandbox_db else "state resets when this process exits"
            print(f"piggy-agent-tools mcp: serving the embedded sandbox at {base_url} ({kept})", file=sys.stderr)
        client = PiggyClient(api_key=api_key, base_url=base_url)
        try:
            contact = client.contacts.find_by_email(args.as_contact).uuid if args.as_contact else None
        except NotFoundError:
            raise CliError(f"--as-contact: no contact with email {args.as_contact!r} in this account") from None
        except PiggyError as exc:
            raise CliError(f"--as-contact: could not look up {args.as_contact!r}: {exc}") from None
        toolkit = PiggyToolkit(
            client=client,
            include=_split(args.include),
            exclude=_split(args.exclude),
            groups=_split(args.groups),
            read_only=args.read_only,
            default_shop_uuid=args.default_shop,
            contact_uuid=contact,
        )
        server = build_server(toolkit, allow_unconfirmed=args.allow_unconfirmed)
        if args.http:
            if not token:
                token = secrets.token_urlsafe(32)
                print(
                    f"piggy-agent-tools mcp: token (shown once; set {TOKEN_ENV} to choose it): {token}",
                    file=sys.stderr,
                )
            try:
                serve_http(
                    server,
                    args.host,
                    args.port,
                    token=token,
                    allowed_hosts=args.allow_host or (),
                    allowed_origins=args.allow_origin or (),
                )
            except OSError as exc:
                raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
        else:
            run_stdio(server)
    return 0


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="piggy-agent-tools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    mcp = sub.add_parser(
        "mcp",
        help="serve the Piggy tools over MCP (stdio by default)",
        description="Serve the Piggy tools over MCP. Calls the approval policy says need a person are confirmed "
        "through the host (MCP elicitation) and refused when the host cannot ask.",
    )
    mcp.add_argument(
        "--http",
        action="store_true",
        help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio; needs 'Authorization: Bearer <token>' "
        "(PIGGY_MCP_TOKEN, or a random token printed once at start)",
    )
    mcp.add_argument("--host", default="127.0.0.1", help="address to bind (non-loopback needs PIGGY_MCP_TOKEN)")
    mcp.add_argument("--port", type=int, default=8766, help="port to bind (0: any free port; the URL is printed)")
    mcp.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        help="an extra Host header value to accept (e.g. mcp.example.com:8766 or mcp.example.com:*); repeatable",
    )
    mcp.add_argument(
        "--allow-origin",
        action="append",
        metavar="ORIGIN",
        help="an extra browser Origin to accept (e.g. https://app.example.com); repeatable",
    )
    mcp.add_argument(
        "--allow-unconfirmed",
        action="store_true",
        help="run calls that need a person's approval even when the host cannot ask (no elicitation support); "
        "the host's own approval UI is then the only check",
    )
    mcp.add_argument("--read-only", action="store_true", help="only tools that change nothing")
    mcp.add_argument("--groups", help="comma-separated tool groups (contacts,loyalty,...)")
    mcp.add_argument("--include", help="comma-separated tool names to offer")
    mcp.add_argument("--exclude", help="comma-separated tool names to leave out")
    mcp.add_argument("--default-shop", help="shop UUID injected into tools that need one")
    mcp.add_argument("--as-contact", metavar="EMAIL", help="customer-scoped: act only on this contact")
    mcp.add_argument("--sandbox", action="store_true", help=SANDBOX_HELP)
    mcp.add_argument(
        "--sandbox-db",
        metavar="FILE",
        help="serve an embedded sandbox whose state is kept in this SQLite file between processes (seeded with "
        "the demo data on first use); implies --sandbox. Meant for one server at a time (hosts that start one per "
        "call); for several hosts at once run `piggy-sandbox serve --db FILE` and point them all at it",
    )
    args = parser.parse_args(argv)
    try:
        return _mcp(args)
    except CliError as exc:
        print(f"piggy-agent-tools: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # unknown tool or group names
        print(f"piggy-agent-tools: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
