"""The accounts screen: a head adds, locks, unlocks, disables accounts and resets passwords."""
