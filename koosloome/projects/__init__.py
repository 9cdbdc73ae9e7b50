"""The project record and its money: partners and budgets, budget lines, indicator targets and
the cost ledger."""
