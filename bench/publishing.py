"""Publishing throughput: 50 content items to a local WordPress vs a bare requests loop.

Writer's side is the real path: `publishing.publish` + `dispatch` (what the Publish button does) for
50 items of one site, one RQ worker on the `publish` queue, wall time from the first publish to the
last job done. Each item has a category, two tags, a featured image and (every other item) two
in-article images as real PNG files. The bare loop then makes the same WordPress calls for the same
50 items from one `requests.Session`: users/me, a lookup (and create) per term not seen before,
one upload per image, the slug lookups, create, read back. Both go to the bench's own WordPress.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import itertools
import statistics
import time
from pathlib import Path
from typing import Any

import requests

from bench import load
from bench.memory import PeakSampler
from bench.report import Check, Report
from bench.seed import Seeded

# As the README advises for the publish queue: jobs run in the worker process, not a cold forked horse each.
WORKER_OPTIONS = ("--no-fork",)
TITLE = "Publishing (50 items to WordPress vs a bare requests loop)"
ITEMS = 50


def unavailable_reason() -> str | None:
    from bench.wordpress import unavailable_reason as wordpress_missing

    if importlib.util.find_spec("writer_app.services.publishing.actions") is None:
        return "publishing is not built yet (writer_app/services/publishing/actions.py does not exist)"
    return wordpress_missing()


def _png(seed: int) -> bytes:
    """A 640x480 PNG photo stand-in (gradient and noise: about 100-200 KB, like a compressed photo)."""
    import random

    from PIL import Image

    rng = random.Random(seed)
    img = Image.new("RGB", (640, 480))
    img.putdata(
        [((x + seed) % 256, (y * 2) % 256, rng.randrange(256)) for y in range(480) for x in range(640)]
    )
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _prepare(app: Any, seeded: Seeded, site_url: str, app_password: str, media_root: Path) -> list[int]:
    """Connect the account's first site to the bench WordPress; give 50 of its items real image files."""
    from sqlalchemy import select, update

    from writer_app.models import Content, Image, Role, Site, db
    from writer_app.services.scope import Scope
    from writer_app.services.wordpress import sites as wordpress_sites

    scope = Scope(seeded.account_id, Role.ADMIN, seeded.user_id)
    files = [_png(k) for k in range(3)]
    with app.app_context():
        site = db.session.scalars(
            select(Site).where(Site.account_id == seeded.account_id).order_by(Site.id)
        ).first()
        wordpress_sites.save_connection(
            scope, site.id, url=site_url, username="bench", app_password=app_password
        )
        ids = list(
            db.session.scalars(
                select(Content.id)
                .where(
                    Content.site_id == site.id, Content.status != "published", Content.deleted_at.is_(None)
                )
                .order_by(Content.id)
                .limit(ITEMS)
            )
        )
        # Publishing needs content in review, approved by someone other than its last editor.
        db.session.execute(
            update(Content).where(Content.id.in_(ids)).values(status="review", last_edited_by_id=None)
        )
        for image in db.session.scalars(select(Image).where(Image.content_id.in_(ids))):
            relative = f"{seeded.account_id}/bench/{image.id}.png"
            path = media_root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[image.position % 3])
            db.session.execute(update(Image).where(Image.id == image.id).values(image_path=relative))
        db.session.commit()
        db.session.remove()
    return ids


def _publish_with_writer(
    app: Any, seeded: Seeded, ids: list[int], timeout: float
) -> tuple[float, dict[str, int]]:
    from sqlalchemy import select

    from writer_app.models import Content, Job, Role, db
    from writer_app.services.publishing import actions as publishing
    from writer_app.services.scope import Scope

    scope = Scope(seeded.account_id, Role.ADMIN, seeded.user_id)
    job_ids = []
    with app.app_context():
        started = time.perf_counter()
        for content_id in ids:
            job = publishing.publish(scope, content_id, "bench: publish anyway", require_wordpress=True)
            db.session.commit()
            publishing.dispatch(job)
            job_ids.append(job.id)
        while time.perf_counter() - started < timeout:
            db.session.expire_all()
            statuses = list(db.session.scalars(select(Job.status).where(Job.id.in_(job_ids))))
            db.session.rollback()
            if all(str(s) in ("finished", "failed", "canceled") for s in statuses):
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        timings = db.session.execute(
            select(Job.created_at, Job.started_at, Job.ended_at)
            .where(Job.id.in_(job_ids))
            .order_by(Job.started_at)
        ).all()
        outcome: dict[str, int] = {}
        for sync in db.session.scalars(select(Content.sync_status).where(Content.id.in_(ids))):
            outcome[f"sync {sync}"] = outcome.get(f"sync {sync}", 0) + 1
        db.session.remove()
    rows = [t for t in timings if t.started_at and t.ended_at]
    if rows:
        running = [(t.ended_at - t.started_at).total_seconds() for t in rows]
        gaps = [(b.started_at - a.ended_at).total_seconds() for a, b in itertools.pairwise(rows)]
        outcome["_job_ms"] = round(1000 * statistics.mean(running))
        outcome["_gap_ms"] = round(1000 * statistics.mean(gaps)) if gaps else 0
    return wall, outcome


def _bare_loop(
    app: Any, seeded: Seeded, ids: list[int], base: str, app_password: str, media_root: Path
) -> float:
    """The same WordPress calls from a plain requests.Session (payloads built before the clock starts)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from writer_app.models import Content, Image, db
    from writer_app.services.publishing.steps import place_images

    items = []
    with app.app_context():
        contents = db.session.scalars(
            select(Content).where(Content.id.in_(ids)).options(selectinload(Content.taxonomy_terms))
        ).all()
        for content in contents:
            images = db.session.scalars(
                select(Image).where(Image.content_id == content.id).order_by(Image.position)
            ).all()
            items.append(
                {
                    "title": content.title,
                    "html": content.html,
                    "slug": f"bare-{content.id}",
                    "excerpt": content.meta_description,
                    "terms": [(str(t.taxonomy_type), t.slug, t.name) for t in content.taxonomy_terms],
                    # (image id, featured?, file bytes): the featured image first, as Writer uploads them
                    "images": [
                        (i.id, str(i.image_type) == "featured", (media_root / i.image_path).read_bytes())
                        for i in sorted(images, key=lambda i: (str(i.image_type) != "featured", i.position))
                    ],
                }
            )
        db.session.remove()
    api = f"{base}/wp-json/wp/v2"
    session = requests.Session()
    session.auth = ("bench", app_password)
    known: dict[tuple[str, str], int] = {}
    started = time.perf_counter()
    for item in items:
        session.get(f"{api}/users/me", params={"context": "edit"}, timeout=60).raise_for_status()
        ids_by_kind: dict[str, list[int]] = {"category": [], "tag": []}
        for kind, slug, name in item["terms"]:
            rest = "categories" if kind == "category" else "tags"
            if (rest, slug) not in known:
                found = session.get(f"{api}/{rest}", params={"slug": slug}, timeout=60).json()
                if not found:
                    found = [
                        session.post(f"{api}/{rest}", json={"name": name, "slug": slug}, timeout=60).json()
                    ]
                known[(rest, slug)] = int(found[0]["id"])
            ids_by_kind[kind].append(known[(rest, slug)])
        featured_media = 0
        in_article: dict[int, str] = {}
        for image_id, featured, data in item["images"]:
            uploaded = session.post(
                f"{api}/media",
                params={"alt_text": item["title"], "title": item["title"]},
                data=data,
                headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": f'attachment; filename="{image_id}.png"',
                },
                timeout=120,
            )
            uploaded.raise_for_status()
            if featured:
                featured_media = int(uploaded.json()["id"])
            else:
                in_article[image_id] = uploaded.json()["source_url"]
        # the slug reservation (a first attempt creates the post without looking again)
        session.get(
            f"{api}/posts", params={"slug": item["slug"], "status": "any", "context": "edit"}, timeout=60
        ).raise_for_status()
        body = {
            "title": item["title"],
            # The same HTML Writer sends: in-article images placed after paragraphs (same helper).
            "content": place_images(item["html"], in_article, dict.fromkeys(in_article, item["title"]), {}),
            "excerpt": item["excerpt"],
            "slug": item["slug"],
            "status": "publish",
            "categories": ids_by_kind["category"],
            "tags": ids_by_kind["tag"],
            "featured_media": featured_media,
        }
        post = session.post(f"{api}/posts", params={"context": "edit"}, json=body, timeout=60)
        post.raise_for_status()
        session.get(
            f"{api}/posts/{post.json()['id']}", params={"context": "edit"}, timeout=60
        ).raise_for_status()
    return time.perf_counter() - started


def run(
    report: Report, args: argparse.Namespace, seeded: Seeded, app: Any, secret: str, workdir: Path
) -> None:
    from bench.generation import _stop, _workers
    from bench.wordpress import bench_wordpress
    from tests.support.services import flush_redis, redis_database

    reason = unavailable_reason()
    if reason:
        report.sections[TITLE] = [f"not measured: {reason}"]
        report.checks.append(Check("publishing ≤ 1.3× bare loop", "-", None, reason))
        return
    media_root = workdir / "media"
    with redis_database() as redis_url:
        if redis_url is None:
            report.sections[TITLE] = ["not measured: Redis is not reachable on 127.0.0.1:6379"]
            report.checks.append(Check("publishing ≤ 1.3× bare loop", "-", None, "Redis not reachable"))
            return
        flush_redis(redis_url)
        print("bench: publishing 50 items", flush=True)
        with bench_wordpress(workdir, 0) as site, site.serve(opcache=True):
            # The bench WordPress listens on loopback: the outbound policy allows that host:port only.
            allow = f"127.0.0.1:{site.port}"
            settings = {
                "REDIS_URL": redis_url,
                "MEDIA_ROOT": str(media_root),
                "WORDPRESS_ALLOW_PRIVATE_HOSTS": allow,
            }
            saved = {key: app.config.get(key) for key in settings}
            app.config.update(settings)
            try:
                ids = _prepare(app, seeded, site.url, site.app_password, media_root)
                env = load.server_env(seeded.database_url, secret, settings)
                # The bare loop runs before and after Writer: WordPress slows down a little as posts
                # and media pile up, so their mean is what Writer's run compares with.
                bare_before = _bare_loop(app, seeded, ids, site.url, site.app_password, media_root)
                sampler = PeakSampler().start()
                procs = _workers(env, 1, workdir, redis_url, queue="publish", options=WORKER_OPTIONS)
                try:
                    sampler.watch("rq publish worker", procs[0].pid)
                    sampler.watch("rq publish worker itself", procs[0].pid, include_children=False)
                    writer_s, outcome = _publish_with_writer(app, seeded, ids, timeout=600)
                finally:
                    for proc in procs:
                        _stop(proc)
                    peaks = sampler.stop()
                bare_after = _bare_loop(app, seeded, ids, site.url, site.app_password, media_root)
                bare_s = (bare_before + bare_after) / 2
            finally:
                app.config.update(saved)
    ratio = writer_s / bare_s
    job_ms, gap_ms = outcome.pop("_job_ms", 0), outcome.pop("_gap_ms", 0)
    synced = outcome.get("sync synced", 0)
    report.sections[TITLE] = [
        f"{len(ids)} items (a category, 2 tags, a featured image, every other item 2 in-article images: "
        "640×480 PNG files) to the bench's own WordPress (PHP's server, 2 workers, opcache on); one RQ "
        f"worker: `flask writer worker --queue publish {' '.join(WORKER_OPTIONS)}`.",
        "",
        "| path | wall s | per item ms | outcome |",
        "|---|---:|---:|---|",
        f"| Writer (publish + RQ job per item) | {writer_s:.2f} | {writer_s / len(ids) * 1000:.0f} | "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcome.items()))
        + " |",
        f"| bare requests loop, same calls (mean of a run before and after Writer's: {bare_before:.1f} s, "
        f"{bare_after:.1f} s) | {bare_s:.2f} | {bare_s / len(ids) * 1000:.0f} | |",
        "",
        f"Writer ÷ bare: {ratio:.2f}×; Writer's overhead per item {(writer_s - bare_s) / len(ids) * 1000:.0f} ms.",
        "",
        f"A job ran {job_ms} ms on average (started → ended in its Job row); between the end of one job and the "
        f"start of the next {gap_ms} ms went by (RQ's bookkeeping and the next job's set-up). Inside a job, "
        "besides the WordPress calls: the publish gate's checks, the payload, and each step's record with the "
        "job's progress, committed as the step ends so a stopped job resumes without duplicates.",
    ]
    report.checks.append(
        Check(
            "publishing ≤ 1.3× bare loop",
            f"{ratio:.2f}× ({writer_s:.1f} s vs {bare_s:.1f} s)",
            ratio <= 1.3 and synced == len(ids),
            f"a job ran {job_ms} ms for the bare loop's {bare_s / len(ids) * 1000:.0f} ms of the same calls, "
            f"and RQ took {gap_ms} ms between jobs (see the section)"
            if synced == len(ids)
            else f"only {synced} of {len(ids)} items synced",
        )
    )
    parent, peak = peaks.get("rq publish worker itself", 0.0), peaks.get("rq publish worker", 0.0)
    if peak - parent > 20:
        report.sections[TITLE].append(
            f"\nWork horses peaked at {peak:.0f} MB RSS, the worker process itself at {parent:.0f} MB: each "
            f"forked job loads about {peak - parent:.0f} MB the worker did not load before forking, and pays "
            "the time to load it on every job."
        )
    key = "rq worker (incl. work horse)"
    report.memory[key] = max(report.memory.get(key, 0.0), peak)
