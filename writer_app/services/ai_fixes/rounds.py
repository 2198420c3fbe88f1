"""Fix rounds on a draft, free of the database: analyse, fix what fails (the calls of a round run
concurrently), analyse again; at most two rounds, and the better version is kept (fewer failing
Required checks, then fewer failing checks), so a fix that makes things worse is never saved."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

from writer_app.integrations.ai import AIError
from writer_app.integrations.ai_fixes import FixAnswer, FixRequest
from writer_app.services.ai_fixes.fixers import FIXABLE, Change, Link, apply_changes, changes_for, plan
from writer_app.services.validation import Analysis, ContentInput, analyze, resolve_levels

MAX_ROUNDS = 2


class Caller(Protocol):
    """Who pays for and makes the calls: `reserve` and `settle` run in the caller's thread (they touch
    the database), `call` in a worker thread (the provider only)."""

    def reserve(self, request: FixRequest) -> bool: ...

    def call(self, request: FixRequest) -> FixAnswer: ...

    def settle(self, request: FixRequest, answer: FixAnswer | None, error: str) -> None: ...


@dataclass
class RoundsResult:
    draft: ContentInput
    failed_before: list[str]
    failed_after: list[str]
    rounds: int = 0
    calls: int = 0
    changes: list[Change] = field(default_factory=list)  # every change the answers made
    kept: list[str] = field(default_factory=list)  # ids of the changes in the version kept
    models: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def failing(analysis: Analysis) -> list[str]:
    """Keys of the checks that are not good (Off checks are not in an analysis)."""
    return [c.key for c in analysis.checks if c.status != "good"]


def badness(analysis: Analysis, levels: Mapping[str, str]) -> tuple[int, int]:
    resolved = resolve_levels(levels)
    keys = failing(analysis)
    return sum(resolved.get(k) == "required" for k in keys), len(keys)


def run_round(
    draft: ContentInput,
    keys: Sequence[str],
    caller: Caller,
    links: Sequence[Link],
    concurrency: int,
    result: RoundsResult,
) -> ContentInput:
    """One round: a call per fixable failing group, the answers applied together."""
    wanted = [
        (checks, request)
        for checks, request in plan(draft, [k for k in keys if k in FIXABLE], links)
        if caller.reserve(request)
    ]
    if not wanted:
        return draft
    answers: list[FixAnswer | None] = []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(wanted)))) as pool:
        futures = [pool.submit(caller.call, request) for _, request in wanted]
        for (checks, request), future in zip(wanted, futures, strict=True):
            try:
                answer: FixAnswer | None = future.result()
                error = ""
            except AIError as exc:
                answer, error = None, exc.message
                result.errors.append(f"{', '.join(checks)}: {exc.message}")
            caller.settle(request, answer, error)
            result.calls += 1
            answers.append(answer)
    changes: list[Change] = []
    touched: set[tuple[str, str]] = set()
    for (checks, request), answer in zip(wanted, answers, strict=True):
        if answer is None:
            continue
        if answer.model and answer.model not in result.models:
            result.models.append(answer.model)
        for change in changes_for(draft, checks, request, answer):
            # Two fixes of one block (or field) in a round: the first stays, the next round sees it.
            if (change.field, change.block) not in touched:
                touched.add((change.field, change.block))
                changes.append(replace(change, id=f"c{len(result.changes) + len(changes) + 1}"))
    result.changes += changes
    return apply_changes(draft, changes)


def fix_rounds(
    draft: ContentInput,
    levels: Mapping[str, str],
    caller: Caller,
    links: Sequence[Link] = (),
    *,
    concurrency: int = 5,
    max_rounds: int = MAX_ROUNDS,
    clock: Callable[[], float] = time.monotonic,
) -> RoundsResult:
    started = clock()
    analysis = analyze(draft, levels)
    result = RoundsResult(draft, failing(analysis), failing(analysis))
    best, best_score = draft, badness(analysis, levels)
    current = draft
    for _ in range(max_rounds):
        keys = failing(analyze(current, levels))
        if not any(k in FIXABLE for k in keys):
            break
        calls = result.calls
        fixed = run_round(current, keys, caller, links, concurrency, result)
        result.rounds += result.calls > calls  # a round that found nothing to ask is no round
        if fixed == current:
            break
        current = fixed
        score = badness(analyze(current, levels), levels)
        if score < best_score:
            best, best_score = current, score
            result.kept = [c.id for c in result.changes]
    result.draft = best
    result.failed_after = failing(analyze(best, levels))
    result.seconds = round(clock() - started, 3)
    return result
