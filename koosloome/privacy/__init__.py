"""Personal-data retention: purging health data, anonymising registrations, the overview."""
