"""Site-wide pages: language switch, help and contact, health check."""
