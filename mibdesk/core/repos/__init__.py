"""All queries live here; nothing else writes SQL."""
