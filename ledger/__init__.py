"""ledger: the append-only, hash-chained points ledger (积分台账).

Holds: ledger entries and corrections per organisation, the hash chain and ``verify_ledger``,
balances, and ``scope`` (which organisation and cycle a screen shows).

May import: organisations, members, schemes, workdays, safeguards.
"""
