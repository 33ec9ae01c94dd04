"""Enterprise controls: principals, keys, quotas, budgets, the usage ledger, the audit log."""
