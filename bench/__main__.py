"""`python -m bench` (`make bench`): seed, serve, measure, write bench/results.md and print it.

    python -m bench [--scale 10000] [--compare-scale 100000|0] [--duration 10] [--connections 8]
                    [--only pages,wordpress,generation,outline,publishing] [--databases postgresql,sqlite]
                    [--keep] [--outline-tasks 10]

Everything runs on this machine: PostgreSQL (TEST_POSTGRES_ADMIN_URL, default postgres@127.0.0.1),
Redis for the generation workers (TEST_REDIS_URL), gunicorn and wrk on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import report as report_mod
from bench.findings import diagnose
from bench.report import Report
from bench.run import run_all

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECTIONS = ("pages", "wordpress", "generation", "outline", "publishing")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="tasks and content items in the account")
    parser.add_argument(
        "--compare-scale",
        type=int,
        default=100_000,
        help="also measure the task list at this scale (0: skip) for the 100k/10k ratio",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma list of {', '.join(SECTIONS)}")
    parser.add_argument(
        "--outline-tasks", type=int, default=10, help="tasks of the outline + sections row (section outline)"
    )
    parser.add_argument(
        "--databases",
        default="postgresql,sqlite",
        help="comma list: postgresql (with Redis, and the job sections), sqlite (the default set-up, no Redis)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench databases (names printed)")
    parser.add_argument("--output", type=Path, default=report_mod.RESULTS)
    args = parser.parse_args(argv)
    if set(args.databases.split(",")) - {"postgresql", "sqlite"}:
        parser.error("--databases takes postgresql and/or sqlite")
    unknown = set(args.only.split(",")) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) in --only: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    only = set(args.only.split(","))
    started = datetime.now(UTC)
    report = Report(
        started=started,
        args={k: v for k, v in vars(args).items() if k != "output"} | {"output": str(args.output)},
    )
    workdir = Path(tempfile.mkdtemp(prefix="writer-bench-"))
    secret = secrets.token_urlsafe(48)
    args.workdir = workdir
    print(f"bench: logs and scratch files in {workdir}", flush=True)
    t0 = time.monotonic()
    report.sample_load()
    failed: BaseException | None = None
    try:
        run_all(report, args, only, ADMIN_URL, secret, workdir)
    except Exception as exc:  # a partial run still writes what it measured
        failed = exc
        traceback.print_exc()
        report.findings.append(f"**The run stopped early**: {type(exc).__name__}: {str(exc)[:300]}")
    report.sample_load()
    report_mod.evaluate(report)
    report.findings += diagnose(report)
    text = report_mod.write(report, args.output)
    print(text)
    print(f"bench: done in {time.monotonic() - t0:.0f} s; results in {args.output}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
