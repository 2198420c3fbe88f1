"""The content editor's safety nets: per-user autosave slots (`autosave`) and the post lock (`locks`)."""
