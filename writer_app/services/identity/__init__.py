"""Who may do what: users, accounts and memberships, invitations, login sessions, API tokens, the email rule."""
