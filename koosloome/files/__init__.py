"""Files of events, trips and costs: checked uploads kept outside ``static/`` under random
names, served only to whom they are for, removed with what they belong to (issue 19.3)."""
