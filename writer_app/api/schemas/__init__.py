"""Pydantic models of the API: request bodies, query strings and responses (one module per resource)."""
