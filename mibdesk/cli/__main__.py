"""`python -m mibdesk.cli`: the headless commands."""

import sys

from mibdesk.cli import main

sys.exit(main())
