"""Content checks in the browser: site levels, the live side panel (nothing saved), the publish preview."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import func, select

from tests.support import factories
from writer_app.models import Content, Membership, Revision, Role, Site, db
from writer_app.services import content as cs
from writer_app.services import site_checks

HX = {"HX-Request": "true"}
GOOD_TITLE = "Solar panels for beginners: costs and savings"
# Wider than the 600 px a search result shows (Arial 20 px): the SEO title check fails ("problem").
TOO_WIDE = "W" * 40


def saved(tenant: factories.Tenant, **values) -> Content:
    content = cs.create_content(
        tenant.scope(Role.EDITOR),
        title=values.pop("title", "Solar basics"),
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=values.pop("html", "<p>Solar panels turn light into power.</p><p>Second paragraph.</p>"),
        primary_keyword=values.pop("primary_keyword", "solar panels"),
        **values,
    )
    db.session.commit()
    return content


def check_item(page: str, key: str) -> str:
    match = re.search(rf'<li id="check-{key}" class="validation-check check-(\w+)">(.*?)</li>', page, re.S)
    assert match, f"check {key} not shown"
    return match.group(1) + " " + match.group(2)


# --- site levels -----------------------------------------------------------------------------------


def test_sites_page_links_to_the_checks_of_each_site(client, login, tenant):
    login(tenant.viewer)
    page = client.get("/settings/sites").get_data(as_text=True)
    assert f'href="/settings/sites/{tenant.site.id}/checks"' in page


def test_admin_sees_and_saves_levels_and_the_seo_plugin(client, login, tenant):
    login(tenant.admin)
    url = f"/settings/sites/{tenant.site.id}/checks"
    page = client.get(url).get_data(as_text=True)
    assert '<select id="text_length" name="text_length">' in page
    assert 'id="seo_plugin"' in page
    form = dict(site_checks.DEFAULT_LEVELS)
    form.update(text_length="required", flesch_reading_ease="off", seo_plugin="rankmath")
    response = client.post(url, data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    db.session.expire_all()
    site = db.session.get(Site, tenant.site.id)
    assert site.settings["check_levels"] == {"text_length": "required", "flesch_reading_ease": "off"}
    assert site.settings["seo_plugin"] == "rankmath"
    page = client.get(url).get_data(as_text=True)
    assert "Checks of" in page and "saved" in page
    assert re.search(r'<option selected value="required">Required</option>', page)


def test_invalid_level_is_a_field_error(client, login, tenant):
    login(tenant.admin)
    url = f"/settings/sites/{tenant.site.id}/checks"
    response = client.post(url, data={"text_length": "always", "seo_plugin": "yoast"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    fragment = client.post(url, data={"text_length": "always"}, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    db.session.expire_all()
    assert "check_levels" not in (db.session.get(Site, tenant.site.id).settings or {})


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.REVIEWER])
def test_non_admins_read_levels_but_cannot_change_them(client, login, tenant, role):
    login(tenant.users[role])
    url = f"/settings/sites/{tenant.site.id}/checks"
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<select" not in text.split('id="site-levels"')[1] and "Recommended" in text
    assert client.post(url, data={"text_length": "off"}).status_code == 403


def test_other_accounts_site_levels_are_404(client, login, tenant, other_tenant):
    login(tenant.admin)
    assert client.get(f"/settings/sites/{other_tenant.site.id}/checks").status_code == 404
    assert client.post(f"/settings/sites/{other_tenant.site.id}/checks", data={}).status_code == 404


# --- the side panel ---------------------------------------------------------------------------------


def test_review_page_has_the_panel_wired_to_the_edit_form(client, login, tenant):
    content = saved(tenant)
    login(tenant.editor)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert 'id="validation-panel"' in page
    assert f'hx-post="/content/{content.id}/checks"' in page
    assert "from:form[data-editor-form]" in page and 'hx-include="form[data-editor-form]"' in page
    assert f'hx-get="/content/{content.id}/checks"' in page  # loads the saved checks
    assert "data-editor-form" in page  # the form the panel listens to exists


def test_viewers_get_the_panel_without_live_checks(client, login, tenant):
    content = saved(tenant)
    login(tenant.viewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert (
        'id="validation-panel"' in page
        and 'hx-post="/content/' not in page.split('id="validation-panel"')[1][:600]
    )


def test_saved_checks_fragment_and_page(client, login, tenant):
    content = saved(tenant, meta_title=TOO_WIDE)
    login(tenant.viewer)
    fragment = client.get(f"/content/{content.id}/checks", headers=HX)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "Checked the saved version." in text
    status, item = check_item(text, "seo_title_length").split(" ", 1)
    assert status == "problem" and "Problem" in item and "Required" in item
    assert 'href="#meta_title"' in item
    assert "Publishing is blocked" in text
    page = client.get(f"/content/{content.id}/checks")
    assert "<html" in page.get_data(as_text=True) and "Checked the saved version." in page.get_data(
        as_text=True
    )


def test_live_check_analyses_the_unsaved_form_and_saves_nothing(client, login, tenant):
    content = saved(tenant, meta_title=TOO_WIDE)
    revisions_before = db.session.scalar(select(func.count()).select_from(Revision))
    login(tenant.editor)
    response = client.post(
        f"/content/{content.id}/checks",
        data={
            "title": "Solar basics",
            "html": "<h1>Extra title</h1><p>Solar panels turn light into power.</p><h1>Another</h1>",
            "meta_title": GOOD_TITLE,
            "meta_description": "Short.",
            "primary_keyword": "solar panels",
            "slug": "solar-panels",
            "version": "1",
        },
        headers=HX,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert "Checked your unsaved changes." in text
    assert check_item(text, "seo_title_length").startswith("good")
    assert check_item(text, "single_h1").startswith("problem")
    assert check_item(text, "keyphrase_in_slug").startswith("good")
    db.session.expire_all()
    stored = db.session.get(Content, content.id)
    assert (stored.meta_title, stored.slug, stored.version) == (TOO_WIDE, "solar-basics", 1)
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions_before


def test_live_check_links_point_at_paragraphs(client, login, tenant):
    content = saved(tenant)
    login(tenant.editor)
    long_paragraph = "<p>" + " ".join(["word"] * 210) + ".</p>"
    text = client.post(
        f"/content/{content.id}/checks", data={"html": "<p>Intro.</p>" + long_paragraph}, headers=HX
    ).get_data(as_text=True)
    item = check_item(text, "paragraph_length")
    assert item.startswith("problem") and 'data-paragraph="2"' in item and "Go to paragraph 2" in item


def test_live_check_shows_duplicate_keyphrases(client, login, tenant):
    factories.make_content(tenant.cluster, "Older heat pump piece", primary_keyword="heat pump")
    content = saved(tenant)
    login(tenant.editor)
    text = client.post(
        f"/content/{content.id}/checks", data={"primary_keyword": "Heat pumps"}, headers=HX
    ).get_data(as_text=True)
    assert "Keyphrase used before on this site" in text and "Older heat pump piece" in text


def test_off_checks_are_hidden_from_the_panel(client, login, tenant):
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, {"flesch_reading_ease": "off"})
    content = saved(tenant)
    login(tenant.editor)
    text = client.post(f"/content/{content.id}/checks", data={}, headers=HX).get_data(as_text=True)
    assert 'id="check-flesch_reading_ease"' not in text and 'id="check-sentence_length"' in text


def test_live_check_without_htmx_is_a_full_page(client, login, tenant):
    content = saved(tenant)
    login(tenant.editor)
    page = client.post(f"/content/{content.id}/checks", data={"meta_title": GOOD_TITLE})
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"), [(Role.VIEWER, 403), (Role.EDITOR, 200), (Role.REVIEWER, 200), (Role.ADMIN, 200)]
)
def test_live_check_role_matrix(client, login, tenant, role, status):
    content = saved(tenant)
    login(tenant.users[role])
    assert client.post(f"/content/{content.id}/checks", data={"title": "x"}, headers=HX).status_code == status


def test_other_accounts_content_is_404(client, login, tenant, other_tenant):
    content = saved(other_tenant)
    login(tenant.admin)
    assert client.post(f"/content/{content.id}/checks", data={}, headers=HX).status_code == 404
    assert client.get(f"/content/{content.id}/checks").status_code == 404
    assert client.get(f"/content/{content.id}/publish-preview").status_code == 404


def test_logged_out_is_sent_to_login(client, tenant):
    content = saved(tenant)
    response = client.post(f"/content/{content.id}/checks", data={})
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_live_check_needs_the_csrf_token(client, login, tenant, csrf_enabled):
    content = saved(tenant)
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post(
        "/login", data={"email": tenant.editor.email, "password": factories.PASSWORD, "csrf_token": token}
    )
    # Requests in tests share the fixture's app context, so `g` keeps the login page's token cached
    # although login cleared the session; drop it as a fresh request would.
    g.pop("csrf_token", None)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    url = f"/content/{content.id}/checks"
    assert client.post(url, data={"title": "x"}, headers=HX).status_code == 400
    assert (
        client.post(url, data={"title": "x"}, headers={**HX, "X-CSRFToken": header_token}).status_code == 200
    )


# --- publish preview --------------------------------------------------------------------------------


def test_publish_preview_shows_exactly_what_is_sent(client, login, tenant):
    content = saved(
        tenant,
        meta_title=GOOD_TITLE,
        meta_description="What solar panels cost and save.",
        secondary_keywords=["solar battery"],
    )
    login(tenant.viewer)
    page = client.get(f"/content/{content.id}/publish-preview").get_data(as_text=True)
    assert "What WordPress will receive" in page and "/wp/v2/posts" in page
    assert "<code>_yoast_wpseo_title</code>" in page and GOOD_TITLE in page
    assert "<code>_yoast_wpseo_focuskw</code>" in page
    assert "Publishing is blocked" in page  # meta description too short (Required by default)
    assert "&#34;slug&#34;: &#34;solar-basics&#34;" in page or '"slug": "solar-basics"' in page


def test_publish_preview_follows_the_sites_plugin_and_has_a_fragment(client, login, tenant):
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, plugin="rankmath")
    content = saved(tenant, meta_title=GOOD_TITLE)
    db.session.commit()
    login(tenant.editor)
    fragment = client.get(f"/content/{content.id}/publish-preview", headers=HX)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and 'id="publish-preview"' in text
    assert "<code>rank_math_title</code>" in text and "_yoast_wpseo_title" not in text
    assert "Rank Math" in text


# --- duplicate keyphrase fragment for create forms ---------------------------------------------------


def test_keyphrase_duplicates_fragment(client, login, tenant, other_tenant):
    existing = factories.make_task(tenant.cluster, title="Heat pump costs", keywords="heat pumps, costs")
    factories.make_content(other_tenant.cluster, "Not ours", primary_keyword="heat pump")
    membership = db.session.scalars(select(Membership).where(Membership.user_id == tenant.editor.id)).one()
    membership.active_site_id = tenant.site.id  # the editor's working site
    db.session.commit()
    login(tenant.editor)
    base = f"/checks/keyphrase-duplicates?site_id={tenant.site.id}"
    text = client.get(f"{base}&keywords=Heat+pump,+install", headers=HX).get_data(as_text=True)
    assert (
        "Keyphrase used before on this site" in text and "Heat pump costs" in text and "Not ours" not in text
    )
    assert "Heat pump costs" not in client.get(
        f"{base}&keyphrase=heat+pump&exclude_task_id={existing.id}"
    ).get_data(as_text=True)
    assert client.get(f"{base}&keyphrase=wind+turbine").get_data(as_text=True).strip() == ""
    # Without site_id the working site applies; another account's site finds nothing of ours.
    assert "Heat pump costs" in client.get("/checks/keyphrase-duplicates?keyphrase=heat+pumps").get_data(
        as_text=True
    )
    other = client.get(f"/checks/keyphrase-duplicates?site_id={other_tenant.site.id}&keyphrase=heat+pump")
    assert other.status_code == 200 and "Not ours" not in other.get_data(as_text=True)
