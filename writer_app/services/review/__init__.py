"""The review workflow: decisions (submit, approve, request changes), the rules every publishing path obeys, revisions and their diffs."""
