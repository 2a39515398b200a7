"""`python -m mibdesk`: the GUI."""

import sys

from mibdesk.gui import main

sys.exit(main())
