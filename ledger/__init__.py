"""The append-only, hash-chained points ledger (积分台账)."""
