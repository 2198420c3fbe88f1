"""`flask writer worker` and `flask writer check-stale-jobs`: running and watching background jobs."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from redis.exceptions import RedisError

from writer_app.cli import writer_cli
from writer_app.jobs.queue import QUEUES
from writer_app.jobs.worker import WorkerConfigError, check_stale, run_worker
from writer_app.services.jobs import DEFAULT_STALE_AFTER

_DEFAULT_MINUTES = DEFAULT_STALE_AFTER.total_seconds() / 60


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
    default=_DEFAULT_MINUTES,
    show_default=True,
    help="At start, fail running jobs without a heartbeat for this long (worker lost).",
)
@click.option(
    "--no-fork",
    is_flag=True,
    help="Run jobs in the worker process instead of a forked work horse each: for the publish queue's "
    "short jobs, which a cold horse slows down by a tenth.",
)
def worker_command(burst: bool, queues: tuple[str, ...], stale_minutes: float, no_fork: bool) -> None:
    """Run a background worker for AI and publishing jobs (needs REDIS_URL)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        run_worker(
            app,
            burst=burst,
            queues=queues or QUEUES,
            stale_after=timedelta(minutes=stale_minutes),
            fork=not no_fork,
        )
    except WorkerConfigError as error:
        raise click.ClickException(str(error)) from None
    except RedisError as error:
        raise click.ClickException(f"Redis is not reachable at REDIS_URL: {error}") from None


@writer_cli.command("check-stale-jobs")
@click.option("--minutes", type=float, default=_DEFAULT_MINUTES, show_default=True)
def check_stale_command(minutes: float) -> None:
    """Fail running jobs whose worker stopped sending heartbeats (run it from cron)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ids = check_stale(app, timedelta(minutes=minutes))
    click.echo(f"{len(ids)} stale job(s) failed" + (": " + ", ".join(ids) if ids else "."))
