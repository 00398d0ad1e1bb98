"""``python -m graphs.support_agent``: the support agent in the terminal (see ``cli.py``)."""

import sys

from graphs.support_agent.cli import main

sys.exit(main())
