"""The audit log's action and entity codes in words, for the audit screen.

Every code a service writes (`repos.audit.append(action=…, entity=…)`) has a label here;
tests/core/test_audit_labels.py reads the source for the codes and fails on one without.
An entry written by a newer version, whose code this one does not know, shows the code.
"""

from __future__ import annotations

from mibdesk.core.i18n import N_, _

ACTION_LABELS = {
    # the office, its settings and its data
    "office.setup": N_("Office set up"),
    "settings.change": N_("Settings changed"),
    "calendar.import": N_("Calendar imported"),
    "backup.restore": N_("Backup restored"),
    "township.save": N_("Township saved"),
    "profile.update": N_("Policy profile updated"),
    # accounts and logins
    "login.ok": N_("Logged in"),
    "login.demo": N_("Opened the demo office"),
    "login.failed": N_("Wrong password"),
    "login.unknown_user": N_("Unknown username"),
    "login.inactive": N_("Login to a disabled account"),
    "login.while_locked": N_("Login to a locked account"),
    "user.add": N_("Account added"),
    "user.locked": N_("Account locked after wrong passwords"),
    "user.lock": N_("Account locked"),
    "user.unlock": N_("Account unlocked"),
    "user.enable": N_("Account enabled"),
    "user.disable": N_("Account disabled"),
    "user.role": N_("Role changed"),
    "user.reset_password": N_("Password reset"),
    "user.change_password": N_("Password changed"),
    # monthly report
    "figures.save": N_("Monthly figures saved"),
    "figures.import": N_("Monthly figures imported from a workbook"),
    "report.prepare": N_("Monthly report prepared"),
    "report.review": N_("Monthly report reviewed"),
    "report.approve": N_("Monthly report approved"),
    "report.send_back": N_("Monthly report sent back"),
    "report.amend": N_("Monthly report amended"),
    "report.explain": N_("Warning explained"),
    # quotas and fund-use plans
    "quota.record": N_("Quota recorded"),
    "quota.adjust": N_("Budget adjustment recorded"),
    "plan.draft": N_("Fund-use plan drafted"),
    "plan.edit": N_("Fund-use plan edited"),
    "plan.review": N_("Fund-use plan reviewed"),
    "plan.sign": N_("Fund-use plan signed"),
    "plan.submit": N_("Fund-use plan submitted"),
    "plan.send_back": N_("Fund-use plan sent back"),
    "plan.approved": N_("City approved the plan"),
    "plan.reduced": N_("City reduced the plan"),
    "plan.returned": N_("City returned the plan"),
    "plan.disbursed": N_("Plan money received"),
    # official forms and keys
    "keys.create": N_("Office signing key created"),
    "pdf.sign": N_("Official form signed"),
    # file exchange
    "exchange.queue": N_("Package queued for sending"),
    "exchange.apply": N_("Package received and applied"),
    "exchange.quarantine": N_("Package quarantined"),
    "exchange.set_aside": N_("Quarantined package set aside"),
    "peer.certificate": N_("Office certificate renewed"),
    "peer.trust_list": N_("Trust list received"),
    "peer.active": N_("Office key registered"),
    "peer.rejected": N_("Office key rejected"),
    "peer.revoked": N_("Office key revoked"),
    "peer.rotated": N_("Office's new key accepted"),
    "peer.rotation_refused": N_("Office's new key not accepted automatically"),
    "exchange.key_rotate": N_("This office's exchange key replaced"),
    # the city office
    "county_report.receive": N_("County monthly report received"),
    "county_plan.receive": N_("County plan received"),
    "county_plan.approved": N_("County plan approved"),
    "county_plan.reduced": N_("County plan reduced"),
    "county_plan.returned": N_("County plan returned"),
    "county_plan.forward": N_("Money forwarded to the county"),
    "allocation.quota": N_("Quotas allocated to the counties"),
    "allocation.adjustment": N_("Budget adjustments allocated to the counties"),
    "city_application.assemble": N_("Application to finance assembled"),
    "city_application.apply": N_("Application to finance signed and sent"),
    "city_application.funded": N_("Finance funding recorded"),
    "settlement.save": N_("Settlement figures saved"),
    "settlement.finalise": N_("Settlement finalised"),
    "settlement.reopen": N_("Settlement reopened for a correction"),
    "settlement.notices": N_("Settlement notices sent to the counties"),
    "settlement.notice": N_("Settlement notice received from the city"),
    "transfer.issue": N_("Balance transfer issued"),
    "transfer.notices": N_("Transfer notices sent to the counties"),
    "transfer.notice": N_("Transfer notice received from the city"),
}


ENTITY_LABELS = {
    "office": N_("Office"),
    "user": N_("Account"),
    "setting": N_("Setting"),
    "calendar_year": N_("Working-day calendar"),
    "database": N_("Database"),
    "township": N_("Township"),
    "profile": N_("Policy profile"),
    "monthly_report": N_("Monthly report"),
    "quota": N_("Quota"),
    "fund_plan": N_("Fund-use plan"),
    "key": N_("Signing key"),
    "pdf": N_("Official form"),
    "package": N_("Package"),
    "exchange_peer": N_("Exchange partner"),
    "exchange_key": N_("Exchange key"),
    "county_report": N_("County monthly report"),
    "county_plan": N_("County plan"),
    "city_allocation": N_("Quota allocation"),
    "city_application": N_("Application to finance"),
    "settlement_sheet": N_("Settlement sheet"),
    "settlement_notice": N_("Settlement notice"),
    "balance_transfer": N_("Balance transfer"),
    "transfer_notice": N_("Transfer notice"),
}


def entity_label(entity: str) -> str:
    """The kind of record in words (the code itself for one this version does not know)."""
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


def action_label(action: str) -> str:
    """The action in words (the code itself for an action this version does not know)."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action
