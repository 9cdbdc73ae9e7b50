"""Arrangements (korraldused): what the organisers do so that the needs people stated are met
on the day: interpreters booked, materials printed, pick-ups driven, and who answers for each."""
