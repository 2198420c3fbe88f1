"""Fix calls paid one by one: credits are reserved before each call, charged when it answers and
refunded when it fails, so an account is never charged for a fix that did not come back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace

from writer_app.integrations.ai import AIProvider
from writer_app.integrations.ai_fixes import FixAnswer, FixRequest
from writer_app.models import Content
from writer_app.services import credits
from writer_app.services.ai_fixes.fixers import Link
from writer_app.services.content_checks import LIVE_FIELDS
from writer_app.services.errors import InsufficientCredits
from writer_app.services.links.inventory import Subject, ranked_targets
from writer_app.services.links.policy import allowed_outbound
from writer_app.services.scope import Scope
from writer_app.text.links import remove_links

OPERATION = "content_fix"
MAX_LINK_TARGETS = 5


class PaidCaller:
    """The `Caller` of services.ai_fixes.rounds for one content, paying per call."""

    def __init__(
        self,
        scope: Scope,
        provider: AIProvider,
        *,
        content_id: int,
        job_id: str | None,
        allowed: Callable[[str], bool] | None = None,
    ) -> None:
        self.scope, self.provider, self.content_id, self.job_id = scope, provider, content_id, job_id
        # Links the fixed text may keep (the site's inventory and allowed outbound URLs); any other
        # link the model writes is unwrapped and listed in `removed`.
        self.allowed = allowed
        self.removed: list[dict[str, str]] = []
        self.price = credits.price_of(OPERATION)
        self.charged = 0
        self.refunded = 0
        self.short = ""  # why calls were skipped (not enough credits)
        self._held: dict[int, int] = {}

    def reserve(self, request: FixRequest) -> bool:
        try:
            credits.reserve(
                self.scope,
                self.price,
                OPERATION,
                object_type="content",
                object_ids=[self.content_id],
                job_id=self.job_id,
            )
        except InsufficientCredits as exc:
            self.short = exc.message
            return False
        self._held[id(request)] = self.price
        return True

    def call(self, request: FixRequest) -> FixAnswer:
        answer = self.provider.fix_content(request)
        if self.allowed is None or not answer.blocks:
            return answer
        blocks = {}
        for key, html in answer.blocks.items():
            blocks[key], removed = remove_links(html, self.allowed)
            self.removed += removed
        return replace(answer, blocks=blocks)

    def settle(self, request: FixRequest, answer: FixAnswer | None, error: str) -> None:
        held = self._held.pop(id(request), 0)
        if answer is None:
            credits.refund(
                self.scope,
                held,
                operation=OPERATION,
                job_id=self.job_id,
                reason=f"the fix failed: {error}"[:200],
                object_type="content",
                object_ids=[self.content_id],
            )
            self.refunded += held
            return
        credits.settle(
            self.scope,
            reserved=held,
            charged=held,
            operation=OPERATION,
            job_id=self.job_id,
            object_type="content",
            object_ids=[self.content_id],
            tokens_used=answer.tokens_used,
        )
        self.charged += held


def fingerprint(content: Content) -> str:
    """Identifies the text a fix was made for; any edit of these fields makes the fix stale."""
    values = {name: getattr(content, name) or "" for name in LIVE_FIELDS}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def link_targets(scope: Scope, content: Content) -> list[Link]:
    """What a fix may link to: the site's link inventory ranked for the content, and the outbound
    sources the site allows (a domain as its home page, an address prefix as it is)."""
    ranked = ranked_targets(scope, content.site_id, Subject.for_content(content), MAX_LINK_TARGETS + 1)
    internal = [Link(t.url, t.title) for t in ranked if t.content_id != content.id][:MAX_LINK_TARGETS]
    outbound = [
        Link(entry if "/" in entry else f"https://{entry}/", entry, outbound=True)
        for entry in allowed_outbound(content.site)[:MAX_LINK_TARGETS]
    ]
    return internal + outbound
