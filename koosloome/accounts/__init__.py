"""Staff accounts, partner organisations and API tokens."""
