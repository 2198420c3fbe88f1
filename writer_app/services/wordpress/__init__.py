"""A site's WordPress connection: its client and connection test, taxonomy sync, post import, values from WordPress made to fit."""
