"""Writing a draft from an approved outline: one provider call per section plus one for the
introduction and meta data, run in parallel and stitched in outline order.

All provider calls of a job share one semaphore of AI_CONCURRENCY, so whole-article drafts and
sections together never exceed it. A section that fails on the model's length limit (after the
provider's own continuations) or on an unreadable answer is retried alone, once; the other sections
are kept. Any other failure fails the task and nothing of it is charged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask

from writer_app.integrations.ai import (
    AIInvalidOutputError,
    AIProvider,
    AITruncatedError,
    ArticleBrief,
    ArticleDraft,
)
from writer_app.integrations.ai_outline import ArticleFrame, OutlineSection, SectionText

T = TypeVar("T")
RETRY_ALONE = (AITruncatedError, AIInvalidOutputError)


@dataclass
class Calls:
    """Where a job's provider calls run: `workers` at a time, each in its own app context."""

    app: Flask
    provider: AIProvider
    workers: int
    limit: threading.BoundedSemaphore = field(init=False)
    pool: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.limit = threading.BoundedSemaphore(self.workers)
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ai-section")

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run one provider call in this thread, waiting for a free slot."""
        with self.limit, self.app.app_context():
            return fn(*args)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        return self.pool.submit(self.call, fn, *args)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class SectionalDraft:
    draft: ArticleDraft
    sections: list[OutlineSection]  # the outline it was written from
    units: int  # section calls charged: each section and the introduction once
    details: dict[str, Any]


def draft_from_outline(calls: Calls, brief: ArticleBrief, sections: list[OutlineSection]) -> SectionalDraft:
    provider = calls.provider
    intro = calls.submit(provider.write_intro, brief, sections)
    parts = [calls.submit(provider.write_section, brief, sections, n) for n in range(len(sections))]
    retried: list[int] = []
    texts: list[SectionText] = []
    try:
        frame: ArticleFrame = intro.result()
        for n, future in enumerate(parts):
            try:
                texts.append(future.result())
            except RETRY_ALONE:
                retried.append(n + 1)
                texts.append(calls.call(provider.write_section, brief, sections, n))
    except BaseException:
        for future in parts:
            future.cancel()
        raise
    html = frame.html + "".join(t.html for t in texts)
    draft = ArticleDraft(
        title=frame.title,
        meta_title=frame.meta_title,
        meta_description=frame.meta_description,
        primary_keyword=brief.primary_keyword,
        secondary_keywords=brief.secondary_keywords[:8],
        slug=frame.slug,
        html=html,
        model=frame.model,
        tokens_used=frame.tokens_used + sum(t.tokens_used for t in texts),
        offline=frame.offline,
    )
    details = {
        "sections": len(sections),
        "calls": 1 + sum(t.calls for t in texts) + len(retried),
        "continued": [n for n, t in enumerate(texts, start=1) if t.calls > 1],
        "retried": retried,
    }
    return SectionalDraft(draft=draft, sections=sections, units=len(sections) + 1, details=details)
