"""The dashboard: counts by status, credits, content waiting for review, recent jobs."""

import re

from tests.support.factories import add_credits, make_content, make_sector, make_site, make_task
from writer_app.models import ContentStatus, Job, JobStatus, TaskStatus, db


def _count(page: str, label: str) -> int:
    match = re.search(rf'<dt>{label}</dt><dd><a href="[^"]+"[^>]*>(\d+)</a></dd>', page)
    assert match, f"no count for {label}"
    return int(match.group(1))


def _count_link(page: str, label: str) -> str:
    match = re.search(rf'<dt>{label}</dt><dd><a href="([^"]+)"', page)
    assert match, f"no link for {label}"
    return match.group(1).replace("&amp;", "&")


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
    # each count opens its list, filtered to that status
    client = login(tenant.viewer)
    failed = client.get(_count_link(page, "Failed")).get_data(as_text=True)
    assert _count_link(page, "Failed") == "/tasks/?status=failed" and "<strong>1</strong> task" in failed
    assert _count_link(page, "Review") == "/content/?status=review"
    assert "Ready for eyes" in client.get(_count_link(page, "Review")).get_data(as_text=True)
    assert "content generation" in page and "(1/3)" in page


def test_the_switcher_lists_the_accounts_sites_and_sectors_and_marks_the_working_one(
    client, tenant, other_tenant, login
):
    zoo = make_site(tenant.account, "Zoo")
    apes = make_sector(zoo, "Apes")
    login(tenant.editor)
    client.post("/context", data={"context": f"{zoo.id}:{apes.id}"})

    page = client.get("/").get_data(as_text=True)
    switcher = page.split('id="context-select"')[1].split("</select>")[0]
    groups = re.findall(r'<optgroup label="([^"]+)">', switcher)
    assert groups == sorted([tenant.site.name, "Zoo"])
    assert f'<option value="{zoo.id}:{apes.id}" selected>Zoo · Apes</option>' in switcher
    assert f'<option value="{tenant.site.id}:{tenant.sector.id}" >' in switcher
    assert other_tenant.site.name not in switcher
