"""Brand voice per site: the style guide drafts are written with (see style_guide.py)."""
