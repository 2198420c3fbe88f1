"""The bench run: one fresh database per scale, gunicorn over it, the pages, then the job sections."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import Any

from bench import load
from bench.memory import PeakSampler, app_memory_probe
from bench.report import FRESH, Check, Report
from bench.seed import Seeded, fresh_database, fresh_sqlite, seed

PAIRED_BARE_SECONDS = 3
INDEX_NODE = re.compile(r"(?:Bitmap Index Scan on|Index (?:Only )?Scan(?: Backward)? using) (\S+)")
LIST_PAGES = ("tasks_page", "content_page", "api_tasks", "api_content", "api_content_search")


def targets(seeded: Seeded, *, full: bool = True, computed_only: bool = False) -> list[load.Target]:
    """What is measured. The tasks list is the issue's: 50 rows, status filter + search, page 3.

    List answers come from the response cache while the data is unchanged, as served; the `_fresh`
    rows send `Cache-Control: no-cache`, so every request computes its answer. `computed_only` keeps
    the bare endpoint, the `_fresh` rows and the (never cached) review page: without Redis there is
    no response cache, and at the compare scale only computed answers touch the data."""
    term = seeded.search_term
    q = f"search={term.replace(' ', '+')}"
    tasks_page = load.Target("tasks_page", f"/tasks/?status=queued&{q}&page=3&page_size=50", "session", term)
    api_tasks = load.Target(
        "api_tasks", f"/api/v1/writer/tasks/?status=queued&{q}&page_size=50", "token", term
    )
    found = [load.Target("bare", "/bench/bare", "none", "ok"), tasks_page, fresh(tasks_page)]
    if full:
        api_content = load.Target("api_content", "/api/v1/writer/content/?page_size=50", "token", '"count"')
        content_page = load.Target("content_page", "/content/?page_size=50", "session", "<table")
        found += [
            content_page,
            fresh(content_page),
            load.Target("review_page", f"/content/{seeded.review_content_id}", "session", "Revision"),
            api_tasks,
            fresh(api_tasks),
            api_content,
            fresh(api_content),
            load.Target(
                "api_content_search", f"/api/v1/writer/content/?status=draft&{q}&page_size=50", "token", term
            ),
        ]
    else:
        found += [api_tasks, fresh(api_tasks)]
    # The ceiling again at the end: ratios use the mean of both, so drift during the run evens out.
    found.append(load.Target("bare_end", "/bench/bare", "none", "ok"))
    if computed_only:
        found = [
            t for t in found if t.name.startswith("bare") or t.name.endswith(FRESH) or t.name == "review_page"
        ]
    return found


def fresh(target: load.Target) -> load.Target:
    """The same request, computed every time (past the response cache)."""
    headers = {"Cache-Control": "no-cache"}
    return dataclasses.replace(target, name=target.name + FRESH, headers=headers)


def _small(target: load.Target) -> load.Target:
    """The same list with 5 rows a page: its query count must equal the 50-row one."""
    return load.Target(target.name, target.path.replace("page_size=50", "page_size=5"), target.auth)


def make_app(database_url: str, secret: str) -> Any:
    from writer_app import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret,
            "AI_PROVIDER": "offline",
            "REDIS_URL": "",
            "BENCH_ENDPOINTS": True,
            "API_RATE_LIMIT": "100000000 per minute",  # as the served app: measure the API, not 429s
        }
    )


def available(app: Any, wanted: list[load.Target]) -> tuple[list[load.Target], list[str]]:
    """Targets whose route exists in this tree (areas land while the bench is written)."""
    adapter = app.url_map.bind("localhost")
    ok, missing = [], []
    for target in wanted:
        try:
            adapter.match(target.path.split("?")[0], method="GET")
            ok.append(target)
        except Exception:
            missing.append(target.name)
    return ok, missing


def _pages(
    report: Report,
    args: argparse.Namespace,
    seeded: Seeded,
    app: Any,
    secret: str,
    workdir: Path,
    full: bool,
    computed_only: bool = False,
):
    from tests.support.services import redis_database

    if seeded.database == "SQLite":  # the default set-up: no Redis, so no cached totals or answers
        _measure_pages(report, args, seeded, app, secret, workdir, full, "", computed_only=True)
        return
    # Served as in production: with Redis (rate limits, cached list totals), on a database number of its own.
    with redis_database() as redis_url:
        app.config["REDIS_URL"] = redis_url or ""
        try:
            _measure_pages(report, args, seeded, app, secret, workdir, full, redis_url or "", computed_only)
        finally:
            app.config["REDIS_URL"] = ""


def _measure_pages(
    report: Report,
    args: argparse.Namespace,
    seeded: Seeded,
    app: Any,
    secret: str,
    workdir: Path,
    full: bool,
    redis_url: str,
    computed_only: bool = False,
):
    wanted, missing = available(app, targets(seeded, full=full, computed_only=computed_only))
    where = f"{seeded.scale:,} rows" + (", SQLite" if seeded.database == "SQLite" else "")
    env = load.server_env(seeded.database_url, secret, {"REDIS_URL": redis_url} if redis_url else None)
    sampler = PeakSampler().start()
    results: list[load.LoadResult] = []
    with load.gunicorn(env, workers=args.workers, log_dir=workdir) as server:
        sampler.watch("gunicorn web worker", server.proc.pid, include_root=False)
        cookie = load.login_cookie(server.url)
        bare_url = server.url + "/bench/bare"
        for target in wanted:
            report.sample_load()
            print(f"bench: {where}: {target.name} {target.path}", flush=True)
            result = load.measure(
                server, target, cookie, seeded.api_token, duration=args.duration, connections=args.connections
            )
            if not target.name.startswith("bare"):
                # The ceiling again right after the page: when other processes come and go, the ratio
                # of two neighbouring measurements is what stays comparable.
                summary = load.wrk(bare_url, {}, PAIRED_BARE_SECONDS, args.connections)
                result.paired_bare_rps = summary["requests"] / (summary["duration_us"] / 1e6)
            results.append(result)
        sampler.sample()
    peaks = sampler.stop()
    key = f"gunicorn web worker ({where})"
    report.memory[key] = peaks.get("gunicorn web worker", 0.0)
    if "Memory notes" not in report.sections:
        note = app_memory_probe(str(load.REPO / ".venv/bin/python"), str(load.REPO), env)
        report.sections["Memory notes"] = [f"- {note}"]
    profiled = load.profile_requests(app, wanted, seeded.api_token)
    counts = {name: found.queries for name, found in profiled.items()}
    small = load.profile_requests(
        app, [_small(t) for t in wanted if t.name.removesuffix(FRESH) in LIST_PAGES], seeded.api_token, 1
    )
    for result in results:
        if result.name in profiled:
            found = profiled[result.name]
            result.queries, result.cpu_ms, result.sql_ms = found.queries, found.cpu_ms, found.sql_ms
            result.duplicates = found.duplicates
            result.profile = found
    (report.sqlite_loads if seeded.database == "SQLite" else report.loads)[seeded.scale] = results
    report.sections.setdefault("Query counts", []).append(
        f"- {where}, 50 vs 5 rows a page: "
        + ", ".join(f"{name} {counts[name]} vs {small[name].queries}" for name in small)
    )
    for name in missing:
        report.sections.setdefault("Not measured", []).append(
            f"- {name} at {where}: not measured: its route does not exist in this tree yet"
        )


def run_all(
    report: Report, args: argparse.Namespace, only: set[str], admin_url: str, secret: str, workdir: Path
):
    if "postgresql" in args.databases.split(","):
        _run_postgresql(report, args, only, admin_url, secret, workdir)
    if "pages" in only and "sqlite" in args.databases.split(","):
        # The default set-up (SQLite, no Redis): every list computed, every total counted.
        for scale in [args.scale] + ([args.compare_scale] if args.compare_scale else []):
            with fresh_sqlite(keep=args.keep) as url:
                app = make_app(url, secret)
                print(f"bench: seeding {scale:,} rows into {url}", flush=True)
                seeded = seed(app, scale)
                report.seeds.append(seeded)
                print(f"bench: seeded in {seeded.seconds:.1f} s", flush=True)
                _pages(report, args, seeded, app, secret, workdir, full=True)
                app_engine_dispose(app)


def _run_postgresql(
    report: Report, args: argparse.Namespace, only: set[str], admin_url: str, secret: str, workdir: Path
):
    from bench import generation, publishing, wordpress

    with fresh_database(admin_url, keep=args.keep) as url:
        app = make_app(url, secret)
        print(f"bench: seeding {args.scale:,} rows into {url.rsplit('/', 1)[-1]}", flush=True)
        seeded = seed(app, args.scale)
        report.seeds.append(seeded)
        print(f"bench: seeded in {seeded.seconds:.1f} s: {seeded.counts}", flush=True)
        if "pages" in only:
            _pages(report, args, seeded, app, secret, workdir, full=True)
        if "wordpress" in only:
            wordpress.run(report, args, seeded)
        else:
            report.checks.append(Check("API list ≥ 10× WordPress REST list", "-", None, "skipped (--only)"))
        if "generation" in only or "outline" in only:
            generation.run(report, args, seeded, app, secret, workdir, only)
        if "generation" not in only:
            report.checks.append(Check("generation ≤ 1.25× ideal", "-", None, "skipped (--only)"))
        if "outline" not in only:
            report.checks.append(
                Check("outline + sections + fix rounds ≤ 1.25× ideal", "-", None, "skipped (--only)")
            )
        if "publishing" in only:
            publishing.run(report, args, seeded, app, secret, workdir)
        else:
            report.checks.append(Check("publishing ≤ 1.3× bare loop", "-", None, "skipped (--only)"))
        app_engine_dispose(app)
    if "pages" in only and args.compare_scale:
        with fresh_database(admin_url, keep=args.keep) as url:
            app = make_app(url, secret)
            print(f"bench: seeding {args.compare_scale:,} rows into {url.rsplit('/', 1)[-1]}", flush=True)
            big = seed(app, args.compare_scale)
            report.seeds.append(big)
            print(f"bench: seeded in {big.seconds:.1f} s", flush=True)
            _pages(report, args, big, app, secret, workdir, full=True, computed_only=True)
            report.sections.setdefault("Search plans", []).extend(explain(app, big))
            app_engine_dispose(app)


def app_engine_dispose(app: Any) -> None:
    from writer_app.models import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def explain(app: Any, seeded: Seeded) -> list[str]:
    """EXPLAIN of the filtered task and content list queries: the search must use the trigram indexes."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql

    from writer_app.models import db
    from writer_app.services import content as content_service
    from writer_app.services import task_list as task_service
    from writer_app.services.pagination import COUNT_LIMIT, count_statement
    from writer_app.services.scope import Scope

    lines: list[str] = []
    with app.app_context():
        from writer_app.models import Role

        scope = Scope(seeded.account_id, Role.ADMIN, seeded.user_id)

        task_list = task_service.task_query(
            scope, task_service.TaskFilters(search=seeded.search_term, status="queued")
        )
        content_list = content_service.filtered_statement(
            scope, content_service.ContentFilters(search=seeded.search_term, status="draft")
        )

        def count(stmt: Any) -> Any:  # as the lists count: up to the count limit
            return count_statement(stmt, COUNT_LIMIT)

        # The two statements each list runs: the count and the page (here page 3 of 50 rows).
        statements = {
            "tasks count (status=queued, search)": count(task_list),
            "tasks page 3 (status=queued, search)": task_list.limit(50).offset(100),
            "content count (status=draft, search)": count(content_list),
            "content page 1 (status=draft, search)": content_list.limit(50),
        }
        for label, stmt in statements.items():
            compiled = stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
            plan = [row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}"))]
            seq = [p.strip() for p in plan if "Seq Scan on writer_" in p]
            uses = sorted({m.group(1) for p in plan if (m := INDEX_NODE.search(p))})
            verdict = "no sequential scan" if not seq else f"SEQUENTIAL SCAN: {'; '.join(seq)}"
            lines.append(
                f"- {label} at {seeded.scale:,} rows: {verdict}; indexes: {', '.join(uses) or 'none'}"
            )
            report_plan = "\n".join("      " + p for p in plan)
            lines.append(f"\n  ```\n{report_plan}\n  ```")
        db.session.remove()
    return lines
