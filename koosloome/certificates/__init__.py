"""Certificates of participation (issue 19.4): a PDF for each person checked in at an event
that is over, for the person (through their manage link) and for the event's organisers."""
