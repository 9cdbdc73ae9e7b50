"""The evidence pack for the LEADER funder, one per event."""
