"""The quotas and execution screen (预算额度与执行)."""
