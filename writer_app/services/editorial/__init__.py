"""The editorial loop around content: the review queue and the publishing calendar.

Statuses are named through the small sets below, so a status added to ContentStatus (`approved`) joins
the queue or the calendar by its enum member alone.
"""

from writer_app.models import ContentStatus

# Content that waits for a reviewer's decision.
WAITING_STATUSES = frozenset({ContentStatus.REVIEW})
# Content a reviewer may give a (new) publishing date: approved when that status exists, and published
# content WordPress holds as a scheduled (`future`) post.
APPROVED = getattr(ContentStatus, "APPROVED", None)
RESCHEDULABLE_STATUSES = frozenset(s for s in (APPROVED, ContentStatus.PUBLISHED) if s is not None)
