"""Fix rounds on drafts, free of the database: analyse, fix what fails, analyse again; at most two
rounds, and the better version is kept (fewer failing Required checks, then fewer failing checks), so
a fix that makes things worse is never saved. The calls of a round run concurrently across all drafts
(a job of ten drafts takes two rounds of calls, not twenty)."""

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


@dataclass
class Piece:
    """One draft under fix: how it is judged (levels), who pays (caller), what it may link to, and
    `only` the checks to fix (None: every failing check that has a fixer)."""

    draft: ContentInput
    levels: Mapping[str, str]
    caller: Caller
    links: Sequence[Link] = ()
    only: frozenset[str] | None = None
    result: RoundsResult = field(init=False)
    current: ContentInput = field(init=False)
    _best: tuple[ContentInput, tuple[int, int]] = field(init=False)
    done: bool = False

    def __post_init__(self) -> None:
        analysis = analyze(self.draft, self.levels)
        keys = failing(analysis)
        self.result = RoundsResult(self.draft, keys, keys)
        self.current = self.draft
        self._best = (self.draft, badness(analysis, self.levels))

    def wanted(self) -> list[str]:
        keys = [k for k in failing(analyze(self.current, self.levels)) if k in FIXABLE]
        return [k for k in keys if self.only is None or k in self.only]

    def take(self, fixed: ContentInput) -> None:
        """The round's version: kept when better than the best so far."""
        if fixed == self.current:
            self.done = True
            return
        self.current = fixed
        score = badness(analyze(fixed, self.levels), self.levels)
        if score < self._best[1]:
            self._best = (fixed, score)
            self.result.kept = [c.id for c in self.result.changes]

    def finish(self, seconds: float) -> RoundsResult:
        self.result.draft = self._best[0]
        self.result.failed_after = failing(analyze(self._best[0], self.levels))
        self.result.seconds = seconds
        return self.result


def failing(analysis: Analysis) -> list[str]:
    """Keys of the checks that are not good (Off checks are not in an analysis)."""
    return [c.key for c in analysis.checks if c.status != "good"]


def badness(analysis: Analysis, levels: Mapping[str, str]) -> tuple[int, int]:
    resolved = resolve_levels(levels)
    keys = failing(analysis)
    return sum(resolved.get(k) == "required" for k in keys), len(keys)


def _changes(piece: Piece, asked: list[tuple[tuple[str, ...], FixRequest, FixAnswer | None]]) -> list[Change]:
    """The round's changes of one draft, one per block or field (the first fix of a block stays; the
    next round sees it), numbered after the draft's earlier changes."""
    result = piece.result
    changes: list[Change] = []
    touched: set[tuple[str, str]] = set()
    for checks, request, answer in asked:
        if answer is None:
            continue
        if answer.model and answer.model not in result.models:
            result.models.append(answer.model)
        for change in changes_for(piece.current, checks, request, answer):
            if (change.field, change.block) not in touched:
                touched.add((change.field, change.block))
                changes.append(replace(change, id=f"c{len(result.changes) + len(changes) + 1}"))
    result.changes += changes
    return changes


def run_round(pieces: Sequence[Piece], concurrency: int) -> bool:
    """One round over every draft not done; False when nothing was asked."""
    asks: list[tuple[Piece, tuple[str, ...], FixRequest]] = []
    for piece in pieces:
        keys = [] if piece.done else piece.wanted()
        planned = plan(piece.current, keys, piece.links) if keys else []
        mine = [(piece, checks, request) for checks, request in planned if piece.caller.reserve(request)]
        piece.done = piece.done or not mine
        asks += mine
    if not asks:
        return False
    answers: dict[int, list[tuple[tuple[str, ...], FixRequest, FixAnswer | None]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(asks)))) as pool:
        futures = [pool.submit(piece.caller.call, request) for piece, _, request in asks]
        for (piece, checks, request), future in zip(asks, futures, strict=True):
            try:
                answer: FixAnswer | None = future.result()
                error = ""
            except AIError as exc:
                answer, error = None, exc.message
                piece.result.errors.append(f"{', '.join(checks)}: {exc.message}")
            piece.caller.settle(request, answer, error)
            piece.result.calls += 1
            answers.setdefault(id(piece), []).append((checks, request, answer))
    for piece in pieces:
        if id(piece) in answers:
            piece.result.rounds += 1
            piece.take(apply_changes(piece.current, _changes(piece, answers[id(piece)])))
    return True


def fix_many(
    pieces: Sequence[Piece],
    *,
    concurrency: int = 5,
    max_rounds: int = MAX_ROUNDS,
    clock: Callable[[], float] = time.monotonic,
) -> list[RoundsResult]:
    started = clock()
    for _ in range(max_rounds):
        if not run_round(pieces, concurrency):
            break
    seconds = round(clock() - started, 3)
    return [piece.finish(seconds) for piece in pieces]


def fix_rounds(
    draft: ContentInput,
    levels: Mapping[str, str],
    caller: Caller,
    links: Sequence[Link] = (),
    *,
    concurrency: int = 5,
    max_rounds: int = MAX_ROUNDS,
) -> RoundsResult:
    """Fix rounds on one draft (see fix_many)."""
    [result] = fix_many([Piece(draft, levels, caller, links)], concurrency=concurrency, max_rounds=max_rounds)
    return result
