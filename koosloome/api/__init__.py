"""The JSON API (/api/v1), documented in OpenAPI 3.1."""
