"""``piggy-sandbox serve``: run the Piggy-compatible sandbox in the foreground and print how to reach it."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from piggy_agent_tools.sandbox.server import Sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="piggy-sandbox", description="A local Piggy-compatible API server.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the sandbox until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--db", default=":memory:", help="SQLite file, or :memory: (default)")
    serve.add_argument("--seed", choices=["demo", "empty"], default="demo")
    serve.add_argument("--api-key", default=None, help="the key clients must send (default: a random one)")
    serve.add_argument(
        "--rate-limit",
        type=int,
        default=5000,
        metavar="N",
        help="requests a minute per API key before 429 Too Many Requests (default: Piggy's 5000)",
    )
    args = parser.parse_args(argv)
    sandbox = Sandbox(
        seed=args.seed, db=args.db, host=args.host, port=args.port, api_key=args.api_key, rate_limit=args.rate_limit
    )
    print(f"PIGGY_BASE_URL={sandbox.base_url}")
    print(f"PIGGY_API_KEY={sandbox.api_key}")
    sys.stdout.flush()
    uvicorn.run(sandbox.app, host=args.host, port=sandbox.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
