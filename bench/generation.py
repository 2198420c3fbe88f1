"""Content generation throughput: 40 tasks through RQ workers against the local OpenAI-compatible server.

The fake server answers every request after LATENCY seconds (requests overlap). Jobs hold at most 10
tasks and draft AI_CONCURRENCY of them at once, so the ideal wall time is LATENCY x batches, where a
batch is one round of concurrent calls across all workers: ceil(40 / (concurrency x workers)) — but
never fewer rounds than one job needs on its own. The jobs are started and enqueued with the same
service calls the "Generate" button makes; the clock runs from the first start to the last job done.
"""

from __future__ import annotations

import argparse
import math
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from bench import fix_rounds, load
from bench.memory import PeakSampler
from bench.report import Check, Report
from bench.seed import Seeded
from writer_app.models.base import utcnow

TASKS = 40
LATENCY = 2.0
WORKER_COUNTS = (1, 2)


def _start_fake_openai(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = load.free_port()
    log = open(workdir / "openai.log", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.openai_server", "--port", str(port), "--latency", str(LATENCY)],
        cwd=load.REPO,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/models", timeout=1)
            return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the local OpenAI-compatible server did not start")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _workers(
    env: dict[str, str],
    count: int,
    workdir: Path,
    redis_url: str,
    queue: str = "ai",
    options: tuple[str, ...] = (),
) -> list[subprocess.Popen[bytes]]:
    from redis import Redis
    from rq import Worker

    procs = []
    for n in range(count):
        log = open(workdir / f"worker-{n}.log", "ab")  # noqa: SIM115 - lives as long as the process
        procs.append(
            subprocess.Popen(
                [
                    str(load.REPO / ".venv/bin/flask"),
                    "--app",
                    "wsgi",
                    "writer",
                    "worker",
                    "--queue",
                    queue,
                    *options,
                ],
                cwd=load.REPO,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        )
    connection = Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while len(Worker.all(connection=connection)) < count:
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            for p in procs:
                _stop(p)
            raise RuntimeError(f"RQ workers did not start; see {workdir}/worker-*.log")
        time.sleep(0.2)
    return procs


def _queued_tasks(app: Any, seeded: Seeded, count: int) -> list[int]:
    from sqlalchemy import select

    from writer_app.models import Task, db

    with app.app_context():
        stmt = (
            select(Task.id)
            .where(Task.account_id == seeded.account_id, Task.status == "queued", Task.deleted_at.is_(None))
            .order_by(Task.id)
            .limit(count)
        )
        ids = list(db.session.scalars(stmt))
        db.session.remove()
    return ids


def _generate(
    app: Any, seeded: Seeded, task_ids: list[int], timeout: float
) -> tuple[float, dict[str, int], float | None]:
    """Start and enqueue jobs of 10 tasks (as the Generate button does); wall seconds until all are done."""
    from sqlalchemy import select

    from writer_app.jobs.ai import generate_content
    from writer_app.models import Job, Role, db
    from writer_app.services import generation
    from writer_app.services.scope import Scope

    scope = Scope(seeded.account_id, Role.ADMIN, seeded.user_id)
    job_ids: list[str] = []
    with app.app_context():
        started = time.perf_counter()
        for i in range(0, len(task_ids), generation.MAX_IDS):
            job_ids.append(
                queue(generation.start(scope, task_ids[i : i + generation.MAX_IDS]), generate_content)
            )
        statuses = wait_for_jobs(job_ids, started + timeout)
        wall = time.perf_counter() - started
        timings = db.session.execute(
            select(Job.created_at, Job.started_at, Job.ended_at).where(Job.id.in_(job_ids))
        ).all()
        runs = [(end - start).total_seconds() for _, start, end in timings if start and end]
        job_run = sum(runs) / len(runs) if runs else None
        db.session.remove()
    return wall, statuses, job_run


def queue(job: Any, entry: Any) -> str:
    """Commit a started job and hand it to the RQ workers (never inline: the bench needs Redis)."""
    from writer_app.jobs.queue import enqueue
    from writer_app.models import db

    db.session.commit()
    dispatch = enqueue(job, entry)
    if dispatch.inline:
        raise RuntimeError(f"job ran inline ({dispatch.reason}); the bench needs Redis")
    return str(job.id)


def wait_for_jobs(job_ids: list[str], deadline: float) -> dict[str, int]:
    """Poll the Job rows until every job has ended (or the deadline): how many jobs ended how, and
    how their tasks did ("task completed": n, ...)."""
    from sqlalchemy import select

    from writer_app.models import Job, db

    rows: list[Any] = []
    while time.perf_counter() < deadline:
        db.session.expire_all()
        rows = list(db.session.execute(select(Job.status, Job.result).where(Job.id.in_(job_ids))).all())
        if all(str(status) in ("finished", "failed", "canceled") for status, _ in rows):
            break
        db.session.rollback()
        time.sleep(0.05)
    statuses: dict[str, int] = {}
    for status, result in rows:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        for item in ((result or {}).get("items") or {}).values():
            key = f"task {item.get('status')}"
            statuses[key] = statuses.get(key, 0) + 1
    return statuses


def ideal_seconds(tasks: int, workers: int, concurrency: int, per_job: int) -> float:
    jobs = math.ceil(tasks / per_job)
    rounds_per_job = math.ceil(per_job / concurrency)
    # Each worker runs its share of jobs one after another, each job in `rounds_per_job` rounds.
    return LATENCY * rounds_per_job * math.ceil(jobs / workers)


def run(
    report: Report,
    args: argparse.Namespace,
    seeded: Seeded,
    app: Any,
    secret: str,
    workdir: Path,
    only: set[str] | frozenset[str] = frozenset({"generation", "outline"}),
) -> None:
    """The worker-count rows ("generation" in `only`) and the outline + sections row ("outline")."""
    from bench import outline as outline_row
    from tests.support.services import flush_redis, redis_database

    title = "Generation (40 tasks, local OpenAI-compatible server at 2 s latency)"
    lines = report.sections.setdefault(title, [])
    concurrency = int(app.config.get("AI_CONCURRENCY", 5))
    with redis_database() as redis_url:
        if redis_url is None:
            lines.append("not measured: Redis is not reachable on 127.0.0.1:6379")
            report.checks.append(Check("generation ≤ 1.25× ideal", "-", None, "Redis not reachable"))
            return
        flush_redis(redis_url)  # a crashed earlier run may have left worker registrations behind
        fake, base = _start_fake_openai(workdir)
        app.config["REDIS_URL"] = redis_url
        try:
            env = load.server_env(
                seeded.database_url,
                secret,
                {
                    "REDIS_URL": redis_url,
                    "AI_PROVIDER": "openai",
                    "OPENAI_API_KEY": "bench",
                    "OPENAI_BASE_URL": base,
                },
            )
            outline_tasks = int(getattr(args, "outline_tasks", outline_row.OUTLINE_TASKS))
            candidates = _queued_tasks(app, seeded, TASKS * len(WORKER_COUNTS) + outline_tasks)
            if "generation" in only:
                _worker_rows(report, lines, app, seeded, env, workdir, redis_url, candidates, concurrency)
            if "outline" in only:
                procs = _workers(env, outline_row.WORKERS, workdir, redis_url)
                try:
                    ctx = outline_row.Context(outline_row.WORKERS, concurrency, LATENCY)
                    outline_row.run_row(lines, report.checks, app, seeded, candidates[-outline_tasks:], ctx)
                finally:
                    for proc in procs:
                        _stop(proc)
        finally:
            app.config["REDIS_URL"] = ""
            _stop(fake)


def _worker_rows(
    report: Report,
    lines: list[str],
    app: Any,
    seeded: Seeded,
    env: dict[str, str],
    workdir: Path,
    redis_url: str,
    candidates: list[int],
    concurrency: int,
) -> None:
    """40 tasks through 1 and 2 RQ workers: wall time against the ideal."""
    from writer_app.services import generation

    lines += [
        f"Jobs of {generation.MAX_IDS} tasks, {concurrency} concurrent AI calls per job (AI_CONCURRENCY).",
        "",
        "| RQ workers | wall s | ideal s | × ideal | overhead per task ms | outcome |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    job_notes: list[str] = []
    since = utcnow()
    for n, workers in enumerate(WORKER_COUNTS):
        ids = candidates[n * TASKS : (n + 1) * TASKS]
        sampler = PeakSampler().start()
        procs = _workers(env, workers, workdir, redis_url)
        try:
            for k, proc in enumerate(procs):
                sampler.watch(f"rq worker {k}", proc.pid)
                sampler.watch(f"rq worker {k} itself", proc.pid, include_children=False)
            print(f"bench: generation with {workers} worker(s)", flush=True)
            row_since = utcnow()
            wall, statuses, job_run = _generate(app, seeded, ids, timeout=120)
        finally:
            for proc in procs:
                _stop(proc)
            peaks = sampler.stop()
        ideal = ideal_seconds(len(ids), workers, concurrency, generation.MAX_IDS)
        ideal += fix_rounds.ideal_extra(app, row_since, workers, concurrency, LATENCY)
        ratio = wall / ideal
        overhead = (wall - ideal) / len(ids) * 1000
        outcome = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        per_job_ideal = LATENCY * math.ceil(generation.MAX_IDS / concurrency)
        if job_run is not None:
            job_notes.append(
                f"- {workers} worker(s): a job of {generation.MAX_IDS} tasks ran {job_run:.2f} s on average "
                f"(started → ended in the Job row) for {per_job_ideal:.0f} s of AI latency: "
                f"{job_run - per_job_ideal:.2f} s overhead per job."
            )
        lines.append(f"| {workers} | {wall:.2f} | {ideal:.1f} | {ratio:.2f} | {overhead:.0f} | {outcome} |")
        ok = statuses.get("task completed", 0) == len(ids)
        report.checks.append(
            Check(
                f"generation ≤ 1.25× ideal ({workers} worker{'s' if workers > 1 else ''})",
                f"{ratio:.2f}× ({wall:.1f} s vs {ideal:.0f} s)",
                ratio <= 1.25 and ok,
                "" if ok else f"not every task completed: {outcome}",
            )
        )
        parent = max((v for k, v in peaks.items() if k.endswith("itself")), default=0.0)
        peak = max((v for k, v in peaks.items() if not k.endswith("itself")), default=0.0)
        if peak - parent > 20:
            job_notes.append(
                f"- {workers} worker(s): work horses peaked at {peak:.0f} MB RSS, the worker process "
                f"itself at {parent:.0f} MB: each forked job loads about {peak - parent:.0f} MB the "
                "worker did not load before forking, and pays the time to load it on every job."
            )
        key = "rq worker (incl. work horse)"
        report.memory[key] = max(report.memory.get(key, 0.0), peak)
    lines += ["", *job_notes]
    lines += fix_rounds.lines(app, since)  # first-draft pass rate, fix-round time
