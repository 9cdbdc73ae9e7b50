"""Co-creation idea boards for workshops."""
