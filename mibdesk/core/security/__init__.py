"""Users, roles, passwords and the audit chain."""
