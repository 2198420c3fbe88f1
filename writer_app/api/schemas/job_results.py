"""`JobOut.result`, typed per job kind: one model per kind (or family of kinds), told apart by `kind`
(a discriminated oneOf in the document), built from the free-form dict the job keeps as it runs.

A job that has not recorded anything yet has no result (null); a running job's result holds what is
done so far. Secrets a job keeps (an invitation link) never appear.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Field

from writer_app.api.schemas.ai_fixes import FixOut
from writer_app.api.schemas.common import Out
from writer_app.models import Job


class Credits(Out):
    """The credits the job held for its AI work, and what it charged when it settled."""

    operation: str
    reserved: int
    settled: bool = Field(description="False while the job runs: the rest goes back when it ends.")
    charged: int | None = Field(description="What was charged (set when settled).")

    @classmethod
    def of(cls, raw: Any) -> Self | None:
        if not isinstance(raw, dict) or "reserved" not in raw:
            return None
        charged = raw.get("charged")
        return cls(
            operation=str(raw.get("operation") or ""),
            reserved=int(raw["reserved"]),
            settled=bool(raw.get("settled")),
            charged=int(charged) if charged is not None else None,
        )


class TaskOutcome(Out):
    task_id: int
    status: Literal["completed", "failed", "canceled", "retrying"]
    content_id: int | None = Field(description="The new content (status completed).")
    error: str = Field(description="Why it failed, was canceled or is retried; else empty.")
    checks_failed_before: list[str] = Field(description="Checks the first draft failed (fix rounds on).")
    checks_failed_after: list[str] = Field(description="Checks still failing after the fix rounds.")
    removed_links: list[str] = Field(description="Links the AI wrote outside the site's inventory, removed.")


class FixRounds(Out):
    """What the fix rounds after generation did over the job's drafts (absent when they are off)."""

    first_draft_pass_rate: float = Field(description="Share of drafts failing no Required check as written.")
    fixed_pass_rate: float = Field(description="The same after the fix rounds.")
    fix_calls: int
    fix_credits: int
    drafts_checked: int

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Self | None:
        if "first_draft_pass_rate" not in raw:
            return None
        return cls(
            first_draft_pass_rate=float(raw["first_draft_pass_rate"]),
            fixed_pass_rate=float(raw.get("fixed_pass_rate") or 0),
            fix_calls=int(raw.get("fix_calls") or 0),
            fix_credits=int(raw.get("fix_credits") or 0),
            drafts_checked=int(raw.get("drafts_checked") or 0),
        )


def _urls(links: Any) -> list[str]:
    return [str(link.get("url") if isinstance(link, dict) else link) for link in links or []]


class GenerationResult(Out):
    """generate_content: per task, the new content's id or the error."""

    kind: Literal["generate_content"]
    tasks: list[TaskOutcome] = Field(description="One entry per task handled so far.")
    completed: list[int] = Field(description="Task ids with new content (set when the job ends).")
    failed: list[int] = Field(description="Task ids that failed (set when the job ends).")
    credits: Credits | None
    fix_rounds: FixRounds | None

    @classmethod
    def of(cls, job: Job) -> Self:
        raw = job.result or {}
        items = raw.get("items") or {}
        tasks = [
            TaskOutcome(
                task_id=int(task_id),
                status=item["status"],
                content_id=item.get("content_id"),
                error=str(item.get("error") or ""),
                checks_failed_before=list((item.get("checks") or {}).get("failed_before") or []),
                checks_failed_after=list((item.get("checks") or {}).get("failed_after") or []),
                removed_links=_urls(item.get("removed_links")),
            )
            for task_id, item in items.items()
        ]
        return cls(
            kind="generate_content",
            tasks=tasks,
            completed=[int(i) for i in raw.get("completed") or []],
            failed=[int(i) for i in raw.get("failed") or []],
            credits=Credits.of(raw.get("credits")),
            fix_rounds=FixRounds.of(raw),
        )


class OutlineResult(Out):
    """generate_outline: the task whose outline was written (read it at …/tasks/{id}/outline/)."""

    kind: Literal["generate_outline"]
    task_id: int | None
    sections: int = Field(description="Sections in the new outline (0 until it arrives).")
    model: str
    credits: Credits | None

    @classmethod
    def of(cls, job: Job) -> Self:
        raw = job.result or {}
        task_id = raw.get("task_id") or (job.object_ids or [None])[0]
        return cls(
            kind="generate_outline",
            task_id=int(task_id) if task_id is not None else None,
            sections=int(raw.get("sections") or 0),
            model=str(raw.get("model") or ""),
            credits=Credits.of(raw.get("credits")),
        )


class FixProposalResult(FixOut):
    """ai_fix: the proposal (apply accepted changes at …/ai_fixes/{fix_id}/apply/)."""

    kind: Literal["ai_fix"]

    @classmethod
    def of(cls, obj: Any) -> Self:
        raw = obj.result or {}
        return cls.model_validate({**{k: raw[k] for k in cls.model_fields if k in raw}, "kind": "ai_fix"})


class ItemError(Out):
    id: int = Field(description="The content id (prompts) or image id (images).")
    error: str


class ImageJobCounts(Out):
    prompts_done: int
    prompts_failed: int
    images_generated: int
    images_failed: int


class ImagesResult(Out):
    """generate_image_prompts and generate_images: which content got prompts, which images were drawn."""

    kind: Literal["generate_image_prompts", "generate_images"]
    counts: ImageJobCounts
    prompts_done: list[int] = Field(description="Content ids whose image prompts were written.")
    prompts_failed: list[int] = Field(description="Content ids whose prompts failed.")
    images_generated: list[int] = Field(description="Image ids drawn and stored.")
    images_failed: list[int] = Field(description="Image ids that failed (the image's error says why).")
    errors: list[ItemError]
    credits: Credits | None

    @classmethod
    def of(cls, job: Job) -> Self:
        raw = job.result or {}

        def ids(key: str, status: str) -> list[int]:
            return sorted(int(k) for k, v in (raw.get(key) or {}).items() if v == status)

        lists = {
            "prompts_done": ids("prompts", "done"),
            "prompts_failed": ids("prompts", "failed"),
            "images_generated": ids("images", "generated"),
            "images_failed": ids("images", "failed"),
        }
        errors = [ItemError(id=int(k), error=str(v)) for k, v in (raw.get("errors") or {}).items()]
        return cls(
            kind=job.kind,  # type: ignore[arg-type]
            counts=ImageJobCounts(**{name: len(found) for name, found in lists.items()}),
            errors=errors,
            credits=Credits.of(raw.get("credits")),
            **lists,
        )


class PublishResult(Out):
    """wordpress_publish and wordpress_update: where the content is on WordPress (once finished)."""

    kind: Literal["wordpress_publish", "wordpress_update"]
    content_id: int | None
    site_id: int | None
    external_id: str | None = Field(description="The WordPress post id, as the content's external_id.")
    external_url: str = Field(description="The post's URL; empty until published.")
    post_id: int | None = Field(description="The WordPress post id as a number.")
    wp_status: str | None = Field(description="WordPress's post status (publish, future, draft...).")

    @classmethod
    def of(cls, job: Job) -> Self:
        raw = job.result or {}
        post_id = raw.get("post_id")
        return cls(
            kind=job.kind,  # type: ignore[arg-type]
            content_id=raw.get("content_id"),
            site_id=raw.get("site_id"),
            external_id=str(post_id) if post_id is not None else None,
            external_url=str(raw.get("link") or ""),
            post_id=int(post_id) if post_id is not None else None,
            wp_status=raw.get("wp_status"),
        )


class ImportReport(Out):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = Field(default_factory=list, description="Posts Writer published itself.")


class ImportResult(Out):
    """wordpress_import: the site's posts imported into a cluster."""

    kind: Literal["wordpress_import"]
    site_id: int | None
    cluster_id: int | None
    report: ImportReport | None = Field(description="Set when the import finished.")
    summary: str

    @classmethod
    def of(cls, job: Job) -> Self:
        return _site_job_result(cls, job)


class TaxonomySyncReport(Out):
    created: int = 0
    updated: int = 0
    pushed: int = 0
    near_duplicates: list[str] = Field(default_factory=list)


class TaxonomySyncResult(Out):
    """wordpress_sync_taxonomies: categories and tags pulled from and pushed to WordPress."""

    kind: Literal["wordpress_sync_taxonomies"]
    site_id: int | None
    report: TaxonomySyncReport | None = Field(description="Set when the sync finished.")
    summary: str

    @classmethod
    def of(cls, job: Job) -> Self:
        return _site_job_result(cls, job)


def _site_job_result(cls: type[Any], job: Job) -> Any:
    """A WordPress site job keeps its fields under these names (run_site_job, wordpress/taxonomies.py)."""
    raw = job.result or {}
    values = {name: raw.get(name) for name in cls.model_fields}
    return cls.model_validate({**values, "kind": job.kind, "summary": str(raw.get("summary") or "")})


class MailFailure(Out):
    to: str
    subject: str
    error: str


class MailResult(Out):
    """send_mail: the messages sent and those that failed."""

    kind: Literal["send_mail"]
    sent: list[str]
    failed: list[MailFailure]

    @classmethod
    def of(cls, job: Job) -> Self:
        raw = job.result or {}  # the encrypted invitation link it may hold is left out
        return cls(
            kind="send_mail",
            sent=[str(s) for s in raw.get("sent") or []],
            failed=[MailFailure(**f) for f in raw.get("failed") or [] if isinstance(f, dict)],
        )


JobResult = Annotated[
    GenerationResult
    | OutlineResult
    | FixProposalResult
    | ImagesResult
    | PublishResult
    | ImportResult
    | TaxonomySyncResult
    | MailResult,
    Field(discriminator="kind"),
]

BUILDERS: dict[str, Any] = {
    "generate_content": GenerationResult,
    "generate_outline": OutlineResult,
    "ai_fix": FixProposalResult,
    "generate_image_prompts": ImagesResult,
    "generate_images": ImagesResult,
    "wordpress_publish": PublishResult,
    "wordpress_update": PublishResult,
    "wordpress_import": ImportResult,
    "wordpress_sync_taxonomies": TaxonomySyncResult,
    "send_mail": MailResult,
}


def result_of(job: Job) -> Any:
    """The typed result of `job`, or None when it recorded nothing yet (or its kind has no result)."""
    builder = BUILDERS.get(job.kind)
    if builder is None or not job.result:
        return None
    return builder.of(job)
