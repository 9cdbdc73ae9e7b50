"""The call list (helistamisnimekiri): messages for people without e-mail, read to them on the
phone by staff or a volunteer, with the outcome of each call."""
