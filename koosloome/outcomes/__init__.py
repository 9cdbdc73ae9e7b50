"""What came of a workshop: the actions its ideas became, who owns them, how they are funded
and where they stand (issue 19.1)."""
