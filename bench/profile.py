"""Profile one bench page in-process: `python -m bench.profile tasks_page [--database URL] [--html]`.

Seeds a bench database (kept, its URL printed, so the next run can pass `--database` and skip
seeding), logs in through the test client like wrk does, and prints the median Python CPU ms per
request, the SQL statements, and a pyinstrument call tree of `--repeat` requests.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import statistics
import sys
import time
from typing import Any

from bench import load
from bench.run import make_app, targets
from bench.seed import BENCH_EMAIL, BENCH_PASSWORD, Seeded, fresh_database, fresh_sqlite, seed

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("target", help="a bench target name, e.g. tasks_page, api_content")
    parser.add_argument("--database", help="reuse a database seeded by an earlier run")
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true", help="seed an SQLite file instead of PostgreSQL")
    parser.add_argument(
        "--no-redis", action="store_true", help="the default set-up: no Redis, so totals are always counted"
    )
    parser.add_argument("--html", action="store_true", help="write bench/profile.html instead of text")
    parser.add_argument("--no-tree", action="store_true", help="only the figures, no call tree")
    args = parser.parse_args(argv)

    secret = secrets.token_hex(16)
    logging.disable(logging.INFO)  # the request log would drown the profile
    if args.database:
        app = make_app(args.database, secret)
        seeded = None
    else:
        fresh = fresh_sqlite(keep=True) if args.sqlite else fresh_database(ADMIN_URL, keep=True)
        with fresh as url:
            app = make_app(url, secret)
            seeded = seed(app, args.scale)
        print(f"seeded {args.scale:,} rows; next time: --database {url}", flush=True)
    token = seeded.api_token if seeded else os.environ.get("BENCH_TOKEN", "")
    review_id = seeded.review_content_id if seeded else int(os.environ.get("BENCH_REVIEW_ID", "1"))
    fake = Seeded("", 0, 0, 0, token, review_id)
    chosen = [t for t in targets(fake) if t.name == args.target]
    if not chosen:
        print(f"unknown target {args.target!r}", file=sys.stderr)
        return 2
    target = chosen[0]
    if target.auth == "token" and not token:
        print("API targets need BENCH_TOKEN=<token> with --database (the seed prints it)", file=sys.stderr)
        return 2
    if seeded:
        print(f"for --database runs: BENCH_TOKEN={token} BENCH_REVIEW_ID={review_id}")

    if args.no_redis:
        return _profile(app, target, token, args)
    from tests.support.services import redis_database

    with redis_database() as redis_url:  # as the bench serves it: cached list totals
        app.config["REDIS_URL"] = redis_url or ""
        return _profile(app, target, token, args)


def _profile(app: Any, target: Any, token: str, args: argparse.Namespace) -> int:
    profile = load.profile_requests(app, [target], token, repeat=args.repeat)[target.name]
    print(
        f"{target.name}: {profile.queries} SQL ({profile.sql_ms:.1f} ms), {profile.cpu_ms:.1f} ms CPU, "
        f"{profile.url_for_calls} url_for"
    )
    for statement in profile.statements:
        print("  SQL:", " ".join(statement.split())[:160])

    if args.no_tree:
        return 0
    from pyinstrument import Profiler

    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
    # The computed answer, as in the `_fresh` rows: a cached one would skip the work being profiled.
    headers = {"Cache-Control": "no-cache"}
    if target.auth == "token":
        headers["Authorization"] = f"Bearer {token}"
    client.get(target.path, headers=headers)
    cpu = []
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(args.repeat):
        started = time.process_time()
        client.get(target.path, headers=headers)
        cpu.append((time.process_time() - started) * 1000)
    profiler.stop()
    print(f"median CPU {statistics.median(cpu):.2f} ms over {args.repeat} requests")
    if args.html:
        path = os.path.join(os.path.dirname(__file__), "profile.html")
        with open(path, "w") as f:
            f.write(profiler.output_html())
        print("wrote", path)
    else:
        print(profiler.output_text(unicode=True, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
