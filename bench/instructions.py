"""Instructions per request, counted by valgrind: `python -m bench.instructions --database URL NAME...`.

Timings on a shared 2-core machine drift by 2× within minutes, so a change worth 5% cannot be seen in
them; the number of machine instructions a request executes (Python, SQLAlchemy, Jinja and SQLite's C
code alike) repeats within 0.1% from run to run. Each target runs in its own process under
`valgrind --tool=callgrind` (Debian's `valgrind`): logged in through the test client as in
bench.profile, a few warm-up requests uncounted, then `--requests` computed requests counted.
About 20 s a target. NAME is a bench target (tasks_page_fresh, api_content_fresh, review_page …).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
from typing import Any

from bench.run import make_app, targets
from bench.seed import BENCH_EMAIL, BENCH_PASSWORD, Seeded

WARM_UP = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions")
    parser.add_argument(
        "targets", nargs="+", help="bench target names, e.g. tasks_page_fresh api_content_fresh"
    )
    parser.add_argument("--database", required=True, help="a database seeded by bench.profile (its URL)")
    parser.add_argument("--requests", type=int, default=5, help="counted requests per target")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    token = os.environ.get("BENCH_TOKEN", "")
    review_id = int(os.environ.get("BENCH_REVIEW_ID", "1"))
    known = {t.name: t for t in targets(Seeded("", 0, 0, 0, token, review_id))}
    unknown = [name for name in args.targets if name not in known]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}; known: {', '.join(known)}")
    if args.child:
        return _count(args.database, known[args.targets[0]], token, args.requests)
    if shutil.which("valgrind") is None:
        print("needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    for name in args.targets:
        millions = _measure(args.database, name, args.requests)
        print(f"{name}: {millions:.1f} M instructions a request")
    return 0


def _measure(database: str, name: str, requests: int) -> float:
    """Run one target in a child under callgrind; instructions a counted request, in millions."""
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"]
    cmd += [sys.executable, "-m", "bench.instructions", "--child", "--database", database]
    cmd += ["--requests", str(requests), name]
    # The system allocator and a fixed hash seed: pymalloc's arenas and set/dict layout would make
    # counts differ a little from run to run.
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONHASHSEED="0")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"{name}: the counted run failed\n{done.stdout}\n{done.stderr[-2000:]}")
    return int(found.group(1)) / requests / 1e6


def _count(database: str, target: Any, token: str, requests: int) -> int:
    """In the child under callgrind: count only the requests, not start-up, login or warm-up."""
    logging.disable(logging.INFO)
    app = make_app(database, "instructions-" + "x" * 20)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
    headers = dict(target.headers or {})
    if target.auth == "token":
        headers["Authorization"] = f"Bearer {token}"
    for _ in range(WARM_UP):
        answer = client.get(target.path, headers=headers)
        if answer.status_code != 200:
            print(f"{target.name}: {target.path} answered {answer.status_code}", file=sys.stderr)
            return 1
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
    for _ in range(requests):
        client.get(target.path, headers=headers)
    subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
