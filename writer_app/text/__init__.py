"""Text helpers shared by services and integrations (below both): HTML sanitizing, plain text, word counts."""
