"""Kill the process in the middle of saves: the database stays sound, each save whole or absent."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from mibdesk.core.db.engine import integrity_check
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.services import audit_log
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.store import Store, open_store

WRITER = """
import sys
from pathlib import Path
from mibdesk.core.services import accounts
from mibdesk.core.services.settings import change_settings
from mibdesk.core.services.store import open_store
store = open_store(Path(sys.argv[1]))
head = accounts.login(store, "zhangli", sys.argv[2]).value
minutes = 1
while True:
    minutes = minutes % 240 + 1
    change_settings(store, head, {"idle_lock_minutes": minutes, "lockout_minutes": minutes})
    print(minutes, flush=True)
"""


def test_kill_during_saves_leaves_every_save_whole_or_absent(office: Store, data_dir: Path) -> None:
    from helpers import HEAD_PASSWORD

    office.close()
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for _round in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), HEAD_PASSWORD],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        child.stdout.readline()  # it is writing now
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert integrity_check(data_dir / "mibdesk.sqlite") == "ok"
        store = open_store(data_dir)
        try:
            values = load_settings(store)
            # both settings were written in the same transaction as their audit entry
            assert values["idle_lock_minutes"] == values["lockout_minutes"]
            last = audit_log.entries(store, AuditFilter(action="settings.change", limit=1))[0]
            assert json.loads(last.after_json)["idle_lock_minutes"] == values["idle_lock_minutes"]
            assert audit_log.verify_chain(store).ok
        finally:
            store.close()
