"""`flask writer worker` and `flask writer check-stale-jobs`: running and watching background jobs."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from redis.exceptions import RedisError

from writer_app.cli import writer_cli
from writer_app.jobs.queue import QUEUES
from writer_app.jobs.worker import WorkerConfigError, check_stale, run_worker


def _window(minutes: float | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


@writer_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty (CI, tests, cron).")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(QUEUES),
    help="Queue to listen on (repeatable); default: all of them.",
)
@click.option(
    "--stale-minutes",
    type=float,
    default=None,
    help="Running jobs without a heartbeat for this long count as lost (default: JOB_STALE_SECONDS).",
)
@click.option(
    "--no-fork",
    is_flag=True,
    help="Run jobs in the worker process instead of a forked work horse each: for the publish queue's "
    "short jobs, which a cold horse slows down by a tenth.",
)
def worker_command(burst: bool, queues: tuple[str, ...], stale_minutes: float | None, no_fork: bool) -> None:
    """Run a background worker for AI and publishing jobs (needs REDIS_URL)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        run_worker(
            app,
            burst=burst,
            queues=queues or QUEUES,
            stale_after=_window(stale_minutes),
            fork=not no_fork,
        )
    except WorkerConfigError as error:
        raise click.ClickException(str(error)) from None
    except RedisError as error:
        raise click.ClickException(f"Redis is not reachable at REDIS_URL: {error}") from None


@writer_cli.command("check-stale-jobs")
@click.option("--minutes", type=float, default=None, help="Default: JOB_STALE_SECONDS.")
def check_stale_command(minutes: float | None) -> None:
    """Recover jobs whose worker was lost or that Redis forgot (workers do this by themselves; this
    is for installations whose workers are all busy or stopped)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    done = check_stale(app, _window(minutes))
    for label, ids in (
        ("queued again after their worker was lost", done.requeued),
        ("sent to Redis again", done.resent),
        ("failed (worker lost)", done.failed),
    ):
        click.echo(f"{len(ids)} job(s) {label}" + (": " + ", ".join(ids) if ids else "."))
