"""Participant feedback on events, for the organisers and the LEADER funder."""
