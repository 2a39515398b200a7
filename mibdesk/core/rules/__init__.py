"""Pure rules: functions of values and a policy profile that return results with their working."""
