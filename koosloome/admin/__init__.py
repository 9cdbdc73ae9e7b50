"""Back office for organisers and facilitators."""
