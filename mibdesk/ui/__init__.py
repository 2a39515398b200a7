"""The PySide6 skin over the core.

The Qt-free core is imported here, before any module of this package imports PySide6:
once PySide6 is loaded its import hook inspects every later import, which made start-up
about 150 ms slower (bench/startup.py).
"""

import mibdesk.core.logs
import mibdesk.core.services.accounts
import mibdesk.core.services.backup
import mibdesk.core.services.workbench  # noqa: F401
