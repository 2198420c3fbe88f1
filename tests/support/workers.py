"""An RQ worker inside the test process: its jobs run in the test's app, so a test sees their writes."""

from __future__ import annotations


def work_in_process(redis_url: str, queue: str, *, with_scheduler: bool = False) -> None:
    """Run `queue`'s jobs until it is empty (a burst), with Writer's worker class without forking.

    Writer's class, not RQ's SimpleWorker: RQ's stops only after up to a minute of waiting on its
    command channel when it loses a race under load (writer_app/jobs/worker.py, LISTEN_SECONDS)."""
    from redis import Redis
    from rq import Queue

    from writer_app.jobs.worker import WriterSimpleWorker

    connection = Redis.from_url(redis_url)
    worker = WriterSimpleWorker([Queue(queue, connection=connection)], connection=connection)
    worker.work(burst=True, with_scheduler=with_scheduler)
