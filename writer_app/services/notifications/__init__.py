"""Notifications: the inbox (always) and email (when SMTP_URL is set), for review and job events.

events.review_decided / publish_ended / job_ended   the hooks, called where things happen
events.notify(kind, ...)                            the one way a notification is made
inbox.*                                             the bell's count, the list, read marks, choices
mail.*                                              mail jobs: queued with the action, sent after commit
"""

from writer_app.services.notifications import events, inbox, mail
from writer_app.services.notifications.kinds import EventKind

__all__ = ["EventKind", "events", "inbox", "mail"]
