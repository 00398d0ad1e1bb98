#!/usr/bin/env bash
# Install and start the services the tests need (none yet beyond Python; PostgreSQL is added with the graph).
set -euo pipefail
exit 0
