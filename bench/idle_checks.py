"""How often does an idle RQ worker run its maintenance (where Writer's recovery check runs)?

    .venv/bin/python -m bench.idle_checks [--seconds 65] [--stale-seconds 300]

Starts a throwaway redis-server, then two idle workers side by side for `--seconds`: one configured
as Writer's workers were before issue 19 (RQ's default worker_ttl, so the blocking queue read lasts
405 s; maintenance_interval = half the stale window), and one as `run_worker` configures them now
(worker_ttl = check_interval + 15, so the read returns every check_interval seconds). Prints when
each ran its maintenance. Nothing else is touched (no database, no jobs).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def _idle_worker(url: str, out: str, worker_ttl: int | None, interval: int) -> None:
    from redis import Redis
    from rq import Queue, Worker

    class Counting(Worker):
        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            with open(out, "a") as log:
                log.write(f"{time.monotonic()}\n")

    connection = Redis.from_url(url)
    options = {"worker_ttl": worker_ttl} if worker_ttl else {}
    worker = Counting(
        [Queue("idle", connection=connection)],
        connection=connection,
        maintenance_interval=interval,
        **options,
    )
    worker.work(logging_level="WARNING")


def main() -> None:
    from tests.support.redis_server import RedisServer
    from writer_app.jobs.worker import check_interval

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=65)
    parser.add_argument("--stale-seconds", type=int, default=300)
    args = parser.parse_args()
    window = timedelta(seconds=args.stale_seconds)
    every = check_interval(window)
    setups = {
        "before (RQ default worker_ttl 420)": (None, int(min(600, max(30, args.stale_seconds / 2)))),
        f"now (worker_ttl {every + 15})": (every + 15, every),
    }
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServer(Path(tmp) / "redis").start()
        try:
            started = time.monotonic()
            processes = []
            for n, (ttl, interval) in enumerate(setups.values()):
                out = str(Path(tmp) / f"{n}.log")
                process = multiprocessing.Process(target=_idle_worker, args=(server.url, out, ttl, interval))
                process.start()
                processes.append((process, out))
            time.sleep(args.seconds)
            for process, _ in processes:
                process.terminate()
                process.join(10)
            for label, (_, out) in zip(setups, processes, strict=True):
                path = Path(out)
                times = [float(line) - started for line in path.read_text().split()] if path.exists() else []
                print(
                    f"{label}: {len(times)} maintenance runs in {args.seconds:.0f} s idle, at "
                    + ", ".join(f"{t:.1f} s" for t in times)
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
