"""Venues and what people need to know to reach them and get in."""
