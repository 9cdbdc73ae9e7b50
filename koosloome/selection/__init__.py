"""Choosing who goes: applications scored against named criteria, the balance of the chosen
group, seat quotas per partner, and the decisions that put the rest on a ranked reserve list."""
