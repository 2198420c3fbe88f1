"""Fix with AI on the content page: the cost first, a proposal as a diff, changes accepted one by one."""

from __future__ import annotations

import re

from tests.support import factories
from tests.support.openai_payloads_fixes import failing_content
from writer_app.models import Content, Revision, db
from writer_app.services import credits


def _content(tenant: factories.Tenant) -> Content:
    content = failing_content(tenant, {"keyphrase_in_slug", "meta_description_length"})
    factories.add_credits(tenant.account, 5, "test")
    db.session.commit()
    return content


def test_fix_with_ai_shows_the_cost_then_the_diff_and_saves_only_accepted_changes(tenant, login) -> None:
    content = _content(tenant)
    client = login(tenant.editor)
    panel = client.get(f"/content/{content.id}/checks").get_data(as_text=True)
    assert f"/content/{content.id}/ai-fix?checks=keyphrase_in_slug" in panel

    confirm = client.get(
        f"/content/{content.id}/ai-fix?checks=keyphrase_in_slug&checks=meta_description_length"
    )
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "costs <strong>2 credits</strong>" in page
    assert credits.balance(tenant.account.id) == 5  # nothing ran yet

    started = client.post(
        f"/content/{content.id}/ai-fix", data={"checks": "keyphrase_in_slug,meta_description_length"}
    )
    assert started.status_code == 303
    proposal = client.get(started.headers["Location"]).get_data(as_text=True)
    assert proposal.count('type="checkbox" name="change_ids"') == 2 and "<ins>" in proposal
    slug_id = re.search(r'value="(c\d)" checked> Accept: Keyphrase in slug', proposal).group(1)

    applied = client.post(started.headers["Location"] + "/apply", data={"change_ids": [slug_id]})

    assert applied.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Content, content.id)
    assert saved.slug == "meal-prep" and saved.meta_description == "Meal prep in short."
    assert db.session.query(Revision).filter_by(content_id=content.id).order_by(
        Revision.number.desc()
    ).first().note == ("AI fix: Keyphrase in slug (offline)")
    assert credits.balance(tenant.account.id) == 3


def test_viewers_get_no_fix_button_and_no_fix(tenant, login) -> None:
    content = _content(tenant)
    client = login(tenant.viewer)
    assert "Fix with AI" not in client.get(f"/content/{content.id}/checks").get_data(as_text=True)
    assert client.get(f"/content/{content.id}/ai-fix?checks=keyphrase_in_slug").status_code == 403
    assert (
        client.post(f"/content/{content.id}/ai-fix", data={"checks": "keyphrase_in_slug"}).status_code == 403
    )


def test_the_job_page_reports_the_fix_rounds(tenant, login, app) -> None:
    from writer_app.jobs import ai as job_entry
    from writer_app.jobs.queue import enqueue
    from writer_app.services import generation

    factories.add_credits(tenant.account, 20, "test")
    task = factories.make_task(tenant.cluster, "Heat pumps for old houses", keywords="heat pumps")
    tenant.site.settings = {"allowed_outbound": ["energy.gov"]}  # a source the fix may link to
    db.session.commit()
    app.config["AI_FIX_ROUNDS"] = 2
    try:
        job = generation.start(tenant.scope(), [task.id])
        db.session.commit()
        enqueue(job, job_entry.generate_content)
    finally:
        app.config["AI_FIX_ROUNDS"] = 0

    page = login(tenant.editor).get(f"/jobs/{job.id}").get_data(as_text=True)

    assert "Write to the checks: 1 of 1 first draft passed the Required checks, 1 after fix rounds" in page
    assert "(1 fix call, 1 credit)" in page  # the offline draft lacks only an outbound link it can fix
    assert credits.balance(tenant.account.id) == 20 - 10 - 1
