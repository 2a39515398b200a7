"""`python -m mibdesk`: the GUI."""

import sys

from mibdesk.ui.app import main

sys.exit(main())
