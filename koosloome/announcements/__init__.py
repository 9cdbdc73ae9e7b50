"""Announcements: news of future events to the people who asked for it (issue 19, section 4)."""
