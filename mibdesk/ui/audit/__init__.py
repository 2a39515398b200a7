"""The audit screen: the hash-chained audit log, filtered, with before/after and a chain check."""
