"""Backup rotation keeps 7 daily, 4 weekly and 12 monthly backups, and pre-migration ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from mibdesk.core.services.backup import BackupInfo, kept


def _backups(days: int, start: datetime = datetime(2026, 11, 23, 18, 0)) -> list[BackupInfo]:
    """One close backup every evening and one daily backup every morning, newest first."""
    found = []
    for d in range(days):
        day = start - timedelta(days=d)
        found.append(BackupInfo(Path(f"{day:%Y%m%d}-close"), day, "close", 1))
        morning = day.replace(hour=8)
        found.append(BackupInfo(Path(f"{morning:%Y%m%d}-daily"), morning, "daily", 1))
    return found


def test_two_years_of_backups_keep_at_most_23() -> None:
    backups = _backups(730)
    keep = kept(backups)
    # newest of each of the last 7 days; 4 weeks and 12 months overlap the most recent ones
    assert len(keep) <= 7 + 4 + 12
    newest_days = {b.path for b in backups[:14:2]}
    assert newest_days <= keep
    months = {(b.taken_at.year, b.taken_at.month) for b in backups if b.path in keep}
    assert len(months) == 12


def test_only_the_newest_of_a_day_is_kept() -> None:
    backups = _backups(1)
    assert kept(backups) == {backups[0].path}


def test_pre_migration_backups_are_never_rotated_away() -> None:
    old = BackupInfo(Path("old-pre"), datetime(2020, 1, 1), "pre-migration", 1)
    assert old.path in kept([*_backups(400), old])
