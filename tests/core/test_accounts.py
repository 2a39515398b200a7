"""Login, lockout, separation of duties and account administration."""

from __future__ import annotations

import pytest
from helpers import HEAD_PASSWORD, PREPARER_PASSWORD, FakeClock

from mibdesk.core.errors import AuthError, ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Actor, Role, require_not_own
from mibdesk.core.services import accounts, audit_log
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.changes import Area
from mibdesk.core.services.settings import change_settings
from mibdesk.core.services.store import Store


def test_login_returns_the_actor_and_is_audited(office: Store) -> None:
    outcome = accounts.login(office, "zhangli", HEAD_PASSWORD)
    assert outcome.value.role == Role.HEAD and outcome.value.display_name == "张丽"
    assert outcome.changes.touches(Area.AUDIT)
    logged = audit_log.entries(office, AuditFilter(action="login.ok"))
    assert [e.actor for e in logged] == ["zhangli"]


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    office: Store, clock: FakeClock
) -> None:
    for _attempt in range(4):
        with pytest.raises(AuthError):
            accounts.login(office, "wangfang", "wrong-pass1")
    with pytest.raises(AuthError, match="15"):
        accounts.login(office, "wangfang", "wrong-pass1")
    # locked: even the right password is refused now
    with pytest.raises(AuthError):
        accounts.login(office, "wangfang", PREPARER_PASSWORD)
    locked = audit_log.entries(office, AuditFilter(action="user.locked"))
    assert len(locked) == 1 and locked[0].entity_key == "wangfang"
    assert len(audit_log.entries(office, AuditFilter(action="login.failed"))) == 5
    clock.advance(minutes=16)
    assert accounts.login(office, "wangfang", PREPARER_PASSWORD).value.username == "wangfang"


def test_lockout_threshold_is_an_office_setting(office: Store, head: Actor) -> None:
    change_settings(office, head, {"lockout_attempts": 3})
    for _attempt in range(3):
        with pytest.raises(AuthError):
            accounts.login(office, "wangfang", "wrong-pass1")
    assert next(u for u in accounts.list_users(office) if u.username == "wangfang").locked


def test_unknown_user_gets_the_same_message_as_a_wrong_password(office: Store) -> None:
    with pytest.raises(AuthError) as unknown:
        accounts.login(office, "nobody", "whatever1")
    with pytest.raises(AuthError) as wrong:
        accounts.login(office, "zhangli", "whatever1")
    assert str(unknown.value) == str(wrong.value)


def test_passwords_are_stored_as_argon2_hashes(office: Store) -> None:
    import sqlite3

    connection = sqlite3.connect(office.paths.database)
    hashes = [row[0] for row in connection.execute("SELECT password_hash FROM user_account")]
    connection.close()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(HEAD_PASSWORD in h for h in hashes)


def test_head_adds_locks_and_unlocks_a_user(office: Store, head: Actor) -> None:
    added = accounts.add_user(
        office, head, NewUser("chenjing", "陈静", Role.PREPARER, "Chen2026pw")
    ).value
    assert added.role == Role.PREPARER and not added.locked
    assert accounts.lock_user(office, head, "chenjing", "离岗").value.locked
    with pytest.raises(AuthError):
        accounts.login(office, "chenjing", "Chen2026pw")
    assert not accounts.unlock_user(office, head, "chenjing").value.locked
    assert accounts.login(office, "chenjing", "Chen2026pw").value.username == "chenjing"


def test_a_preparer_cannot_administer_accounts(office: Store, preparer: Actor) -> None:
    with pytest.raises(AuthError):
        accounts.add_user(office, preparer, NewUser("x_user", "某人", Role.HEAD, "Abcd1234x"))
    assert len(accounts.list_users(office)) == 3


@pytest.mark.parametrize(
    ("username", "name", "password", "where"),
    [
        ("Zhang", "张三", "Good2026pw", _("Username")),
        ("ab", "张三", "Good2026pw", _("Username")),
        ("zhangsan", "张", "Good2026pw", _("Full name")),
        ("zhangsan", "张三", "short1", _("Password")),
        ("zhangsan", "张三", "onlyletters", _("Password")),
    ],
)
def test_bad_new_accounts_are_refused_and_nothing_is_added(
    office: Store, head: Actor, username: str, name: str, password: str, where: str
) -> None:
    with pytest.raises(ValidationError) as error:
        accounts.add_user(office, head, NewUser(username, name, Role.PREPARER, password))
    assert error.value.where == where
    assert len(accounts.list_users(office)) == 3


def test_duplicate_username_is_refused(office: Store, head: Actor) -> None:
    with pytest.raises(ValidationError):
        accounts.add_user(office, head, NewUser("wangfang", "王芳二", Role.PREPARER, "Abcd1234x"))


def test_the_last_usable_head_cannot_be_locked_disabled_or_demoted(
    office: Store, head: Actor
) -> None:
    before = audit_log.entries(office, AuditFilter())
    with pytest.raises(ValidationError):
        accounts.lock_user(office, head, "zhangli", "test")
    with pytest.raises(ValidationError):
        accounts.set_active(office, head, "zhangli", False)
    with pytest.raises(ValidationError):
        accounts.set_role(office, head, "zhangli", Role.REVIEWER)
    assert accounts.login(office, "zhangli", HEAD_PASSWORD).value.role == Role.HEAD
    # nothing was written by the refused changes (only the new login)
    after = audit_log.entries(office, AuditFilter())
    assert len(after) == len(before) + 1


def test_reset_password_works_and_the_audit_never_holds_it(office: Store, head: Actor) -> None:
    accounts.reset_password(office, head, "wangfang", "Brand2026new")
    assert accounts.login(office, "wangfang", "Brand2026new").value.username == "wangfang"
    entries = audit_log.entries(office, AuditFilter(action="user.reset_password"))
    assert entries and "Brand2026new" not in entries[0].after_json


def test_change_own_password_needs_the_old_one(office: Store, preparer: Actor) -> None:
    with pytest.raises(AuthError):
        accounts.change_own_password(office, preparer, "wrong-old1", "Newer2026pw")
    accounts.change_own_password(office, preparer, PREPARER_PASSWORD, "Newer2026pw")
    assert accounts.login(office, "wangfang", "Newer2026pw").value.username == "wangfang"


def test_nobody_approves_their_own_entry(preparer: Actor, head: Actor) -> None:
    with pytest.raises(AuthError):
        require_not_own(head, head.user_id)
    require_not_own(head, preparer.user_id)  # someone else's entry: allowed
    require_not_own(head, None)
