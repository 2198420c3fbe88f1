"""The "outline + sections" row of the generation bench: outline-first drafting through RQ workers
against the local OpenAI-compatible server (every call LATENCY seconds).

Phases run one after another on the same tasks, each timed from its first start to its last job done:
  outline   one Generate outline job per task (one call each), then every outline is approved (not timed);
  sections  Generate content in jobs of 10 tasks: per task one call per section plus the introduction,
            all within AI_CONCURRENCY per job; then, in the same jobs, the fix rounds (write to the
            checks) on the stitched drafts.
A Phase gets (app, scope, task_ids, ctx) and returns (job ids it started, ideal seconds); the row reports
wall against ideal per phase and summed. The fix rounds' share of the sections jobs is reported on its own
line (their job time, and the AI latency they add to the ideal, bench/fix_rounds.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import fix_rounds
from bench.generation import queue, wait_for_jobs
from bench.report import Check

OUTLINE_TASKS = 10
WORKERS = 2
TIMEOUT = 180.0


@dataclass
class Context:
    workers: int
    concurrency: int
    latency: float


Phase = Callable[[Any, Any, list[int], Context], tuple[list[str], float]]


def ideal_outline(tasks: int, workers: int, latency: float) -> float:
    """One call per job, one job per task: the workers share the jobs."""
    return latency * math.ceil(tasks / workers)


def ideal_sections(tasks: int, calls_per_task: int, workers: int, concurrency: int, latency: float) -> float:
    """Jobs of 10 tasks; a job's calls (sections + introduction per task) run `concurrency` at a time."""
    per_job = 10
    jobs = math.ceil(tasks / per_job)
    rounds = math.ceil(min(per_job, tasks) * calls_per_task / concurrency)
    return latency * rounds * math.ceil(jobs / workers)


def outline_phase(app: Any, scope: Any, task_ids: list[int], ctx: Context) -> tuple[list[str], float]:
    from writer_app.jobs.ai import generate_outline
    from writer_app.services import generation

    job_ids = [queue(generation.start_outline(scope, task_id), generate_outline) for task_id in task_ids]
    return job_ids, ideal_outline(len(task_ids), ctx.workers, ctx.latency)


def sections_phase(app: Any, scope: Any, task_ids: list[int], ctx: Context) -> tuple[list[str], float]:
    from writer_app.jobs.ai import generate_content
    from writer_app.models import db
    from writer_app.services import generation

    sections = 0
    for task_id in task_ids:  # the editor's step, not timed in a real run either: approve as written
        outline = generation.get_outline(scope, task_id)
        generation.save_outline(scope, task_id, outline.sections, approve=True)
        sections = max(sections, len(outline.sections))
    db.session.commit()
    job_ids = [
        queue(generation.start(scope, task_ids[i : i + generation.MAX_IDS]), generate_content)
        for i in range(0, len(task_ids), generation.MAX_IDS)
    ]
    return job_ids, ideal_sections(len(task_ids), sections + 1, ctx.workers, ctx.concurrency, ctx.latency)


PHASES: list[tuple[str, Phase]] = [("outline", outline_phase), ("sections", sections_phase)]


def run_row(
    lines: list[str], checks: list[Check], app: Any, seeded: Any, task_ids: list[int], ctx: Context
) -> None:
    """Run every phase on `task_ids` with workers already listening; add the table rows and a check."""
    from writer_app.models import Role, db
    from writer_app.services.scope import Scope

    scope = Scope(seeded.account_id, Role.ADMIN, seeded.user_id)
    lines += [
        "",
        f"Outline + sections: {len(task_ids)} tasks, {ctx.workers} RQ workers, {ctx.concurrency} concurrent "
        f"AI calls per job, {ctx.latency:g} s per call.",
        "",
        "| phase | wall s | ideal s | × ideal | outcome |",
        "|---|---:|---:|---:|---|",
    ]
    total_wall = total_ideal = 0.0
    ok = True
    since = _now()
    with app.app_context():
        for name, phase in PHASES:
            print(f"bench: outline + sections, phase {name}", flush=True)
            started = time.perf_counter()
            job_ids, ideal = phase(app, scope, task_ids, ctx)
            counts = wait_for_jobs(job_ids, started + TIMEOUT)
            wall = time.perf_counter() - started
            db.session.rollback()
            outcome = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            ok = ok and counts.get("finished", 0) == len(job_ids)
            total_wall, total_ideal = total_wall + wall, total_ideal + ideal
            lines.append(f"| {name} | {wall:.2f} | {ideal:.1f} | {wall / ideal:.2f} | {outcome} |")
        db.session.remove()
    fix_ideal = fix_rounds.ideal_extra(app, since, ctx.workers, ctx.concurrency, ctx.latency)
    total_ideal += fix_ideal
    fixed = _fix_seconds(app, since)
    lines.append(f"| fix rounds (inside the sections jobs) | {fixed:.2f} | {fix_ideal:.1f} | | |")
    ratio = total_wall / total_ideal
    lines.append(
        f"| **outline + sections + fix rounds** | {total_wall:.2f} | {total_ideal:.1f} | {ratio:.2f} | |"
    )
    lines += fix_rounds.lines(app, since)
    checks.append(
        Check(
            "outline + sections + fix rounds ≤ 1.25× ideal",
            f"{ratio:.2f}× ({total_wall:.1f} s vs {total_ideal:.0f} s)",
            ratio <= 1.25 and ok,
            "" if ok else "not every job finished",
        )
    )


def _now() -> Any:
    from writer_app.models.base import utcnow

    return utcnow()


def _fix_seconds(app: Any, since: Any) -> float:
    """Job time the fix rounds took over the sections jobs (their drafts are fixed together per job)."""
    from writer_app.services.ai_fixes.after_generation import pass_rate_since

    with app.app_context():
        return float(pass_rate_since(since).get("fix_seconds") or 0.0)
