"""The events Writer notifies about, with the words users see for them."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    REVIEW_SUBMITTED = "review_submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    PUBLISH_FAILED = "publish_failed"
    JOB_FINISHED = "job_finished"
    JOB_FAILED = "job_failed"
    MENTIONED = "mentioned"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    EventKind.REVIEW_SUBMITTED: "Content is submitted for review (reviewers and admins)",
    EventKind.CHANGES_REQUESTED: "A reviewer requests changes to content you submitted",
    EventKind.APPROVED: "Content you submitted or edited last is approved",
    EventKind.PUBLISHED: "Content you submitted or edited last is published",
    EventKind.PUBLISH_FAILED: "Publishing content you submitted or edited last fails",
    EventKind.JOB_FINISHED: "An AI or publish job you started finishes",
    EventKind.JOB_FAILED: "An AI or publish job you started fails",
    EventKind.MENTIONED: "Someone mentions you (@name) in a review comment",
}

# Jobs whose end is worth telling the person who started them.
NOTIFIED_JOB_KINDS = frozenset(
    {
        "generate_content",
        "generate_image_prompts",
        "generate_images",
        "wordpress_publish",
        "wordpress_update",
    }
)
