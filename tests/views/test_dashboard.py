"""The dashboard: counts by status, credits, content waiting for review, recent jobs."""

import re

from tests.support.factories import add_credits, make_content, make_task
from writer_app.models import ContentStatus, Job, JobStatus, TaskStatus, db


def _count(page: str, label: str) -> int:
    match = re.search(rf"<dt>(?:<a [^>]*>)?{label}(?:</a>)?</dt><dd>(\d+)</dd>", page)
    assert match, f"no count for {label}"
    return int(match.group(1))


def test_dashboard_counts_only_this_accounts_work(client, tenant, other_tenant, login):
    make_task(tenant.cluster, status=TaskStatus.FAILED)
    make_task(tenant.cluster, status=TaskStatus.QUEUED)
    make_task(tenant.cluster, status=TaskStatus.QUEUED)
    make_task(other_tenant.cluster, status=TaskStatus.QUEUED)
    make_content(tenant.cluster, title="Ready for eyes", status=ContentStatus.REVIEW)
    make_content(other_tenant.cluster, title="Not ours", status=ContentStatus.REVIEW)
    add_credits(tenant.account, 42)
    db.session.add(
        Job(
            id="job-1",
            account_id=tenant.account.id,
            kind="content_generation",
            status=JobStatus.STARTED,
            progress_done=1,
            progress_total=3,
        )
    )
    db.session.commit()
    page = login(tenant.viewer).get("/").get_data(as_text=True)
    assert _count(page, "Queued") == 2 and _count(page, "Failed") == 1
    assert _count(page, "Review") == 1
    assert "Ready for eyes" in page and "Not ours" not in page
    assert re.search(r'href="/content/\d+">Ready for eyes</a>', page)  # links to the review page
    assert ">42<" in page
    assert "content generation" in page and "(1/3)" in page
