"""Content pages: list (full page, htmx fragment, filters, CSV, query counts), review page, saving with
optimistic concurrency, terms in place, revisions and diffs, delete, settings, roles and tenancy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import (
    Account,
    Content,
    ContentStatus,
    ContentTaxonomy,
    Image,
    ImageStatus,
    ImageType,
    Membership,
    Revision,
    Role,
    TaxonomyType,
    db,
)
from writer_app.services import content as cs
from writer_app.services import content_terms

HX = {"HX-Request": "true"}


def _term(site_id: int, account_id: int, name: str) -> ContentTaxonomy:
    term = ContentTaxonomy(
        account_id=account_id, site_id=site_id, name=name, slug=name.lower(), taxonomy_type=TaxonomyType.TAG
    )
    db.session.add(term)
    db.session.flush()
    return term


def _saved(tenant: factories.Tenant, **kwargs) -> Content:
    """Content made through the service (so it has revision 1), committed."""
    content = cs.create_content(
        tenant.scope(Role.EDITOR),
        title=kwargs.pop("title", "Solar basics"),
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=kwargs.pop("html", "<p>Solar panels turn light into power.</p>"),
        **kwargs,
    )
    db.session.commit()
    return content


# --- list --------------------------------------------------------------------------------------------


def test_list_full_page_and_fragment(client, login, tenant):
    factories.make_content(tenant.cluster, "Draft one")
    factories.make_content(tenant.cluster, "Waiting one", status=ContentStatus.REVIEW, ai_model="offline")
    factories.make_content(
        tenant.cluster, "Planned one", scheduled_at=datetime(2031, 5, 4, 9, 30, tzinfo=UTC)
    )
    db.session.commit()
    login(tenant.viewer)
    page = client.get("/content/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert "Draft one" in html and "Waiting one" in html
    assert "In review" in html and "offline draft" in html
    assert "2031-05-04 09:30" in html
    fragment = client.get("/content/?status=review", headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and 'id="results"' in body
    assert "Waiting one" in body and "Draft one" not in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_list_search_ordering_and_bad_filters(client, login, tenant):
    for title in ("Banana bread", "Apple pie", "Apple crumble"):
        factories.make_content(tenant.cluster, title)
    db.session.commit()
    login(tenant.viewer)
    html = client.get("/content/?search=apple&ordering=-title").get_data(as_text=True)
    assert "Banana" not in html
    assert html.index("Apple pie") < html.index("Apple crumble")
    bad = client.get("/content/?status=lost")
    assert bad.status_code == 400 and "Unknown status" in bad.get_data(as_text=True)
    bad_fragment = client.get("/content/?ordering=words", headers=HX)
    assert bad_fragment.status_code == 200 and "Unknown ordering" in bad_fragment.get_data(as_text=True)
    assert client.get("/content/?page_size=500").status_code == 400


def test_list_follows_the_working_context_until_all_sites(client, login, tenant):
    other_sector = factories.make_sector(tenant.site)
    factories.make_content(tenant.cluster, "In my sector")
    factories.make_content(factories.make_cluster(other_sector), "In another sector")
    membership = db.session.scalars(select(Membership).where(Membership.user_id == tenant.viewer.id)).one()
    membership.active_site_id, membership.active_sector_id = tenant.site.id, tenant.sector.id
    db.session.commit()
    login(tenant.viewer)
    html = client.get("/content/").get_data(as_text=True)
    assert "In my sector" in html and "In another sector" not in html
    html = client.get("/content/?site_id=all").get_data(as_text=True)
    assert "In my sector" in html and "In another sector" in html


def test_list_hides_other_accounts_content(client, login, tenant, other_tenant):
    factories.make_content(other_tenant.cluster, "Their secret")
    db.session.commit()
    login(tenant.admin)
    assert "Their secret" not in client.get("/content/?site_id=all").get_data(as_text=True)


def _fill(tenant: factories.Tenant, rows: int) -> None:
    term = db.session.scalars(select(ContentTaxonomy)).first() or _term(
        tenant.site.id, tenant.account.id, "Energy"
    )
    for n in range(rows):
        content = factories.make_content(tenant.cluster, f"Row {n}", last_edited_by_id=tenant.editor.id)
        db.session.add(
            Image(content_id=content.id, image_type=ImageType.FEATURED, status=ImageStatus.GENERATED)
        )
        db.session.flush()
        content_terms.set_taxonomy_terms(tenant.scope(Role.EDITOR), content.id, add=[term.id])
    db.session.commit()


def test_list_query_count_does_not_grow_with_rows(client, login, tenant):
    login(tenant.viewer)
    _fill(tenant, 10)
    db.session.expire_all()  # nothing cached from building the rows
    with count_queries() as small:
        first = client.get("/content/?page_size=100")
    assert first.status_code == 200 and first.get_data(as_text=True).count("Energy") >= 10
    _fill(tenant, 490)
    db.session.expire_all()
    with count_queries() as large:
        second = client.get("/content/?page_size=100")
    assert second.get_data(as_text=True).count("★ featured") == 100
    assert small.count == large.count, (small.statements, large.statements)


def test_csv_export_keeps_the_filters(client, login, tenant):
    factories.make_content(tenant.cluster, "Reviewed piece", status=ContentStatus.REVIEW)
    factories.make_content(tenant.cluster, "Draft piece")
    db.session.commit()
    login(tenant.viewer)
    response = client.get("/content/export.csv?status=review")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert text.splitlines()[0].startswith("id,title,status")
    assert "Reviewed piece" in text and "Draft piece" not in text
    assert client.get("/content/export.csv?status=nope").status_code == 400


# --- review page ---------------------------------------------------------------------------------------


def test_review_page_shows_preview_images_terms_and_revisions(client, login, tenant):
    content = _saved(tenant, primary_keyword="solar panels", ai_model="offline")
    # Stored HTML is sanitized on save; the page sanitizes again in case a row was written some other way.
    content.html = '<p>Safe text</p><script>alert("x")</script><img src="x" onerror="alert(1)">'
    db.session.add(Image(content_id=content.id, image_type=ImageType.FEATURED, status=ImageStatus.GENERATED))
    db.session.add(
        Image(content_id=content.id, image_type=ImageType.IN_ARTICLE, status=ImageStatus.FAILED, position=1)
    )
    term = _term(tenant.site.id, tenant.account.id, "Renewables")
    db.session.commit()
    content_terms.set_taxonomy_terms(tenant.scope(Role.EDITOR), content.id, add=[term.id])
    db.session.commit()
    login(tenant.viewer)
    response = client.get(f"/content/{content.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Safe text" in html and "<script>alert" not in html and "onerror" not in html
    assert "offline draft" in html and "Renewables" in html
    assert "Featured" in html and "In article #1" in html and "failed" in html
    assert "Revisions" in html and "Created" in html
    assert 'id="timeline"' in html and "No decisions yet." in html
    fragment = client.get(f"/content/{content.id}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="review"' in fragment


def test_viewer_sees_no_edit_controls_and_posts_are_forbidden(client, login, tenant):
    content = _saved(tenant)
    login(tenant.viewer)
    html = client.get(f"/content/{content.id}").get_data(as_text=True)
    for control in (
        "Edit content",
        "Submit for review",
        "Approve and publish",
        "Add a category",
        "Restore",
        "Delete",
    ):
        assert control not in html
    for path in ("", "/terms", "/submit", "/approve", "/request-changes", "/revisions/1/restore", "/delete"):
        assert (
            client.post(f"/content/{content.id}{path}", data={"title": "x", "comment": "x"}).status_code
            == 403
        )
    assert db.session.get(Content, content.id).status == ContentStatus.DRAFT


def test_editor_sees_edit_form_with_rich_text_editor_hooks(client, login, tenant):
    content = _saved(tenant)
    login(tenant.editor)
    html = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert 'id="editor"' in html and 'name="html"' in html and "data-rich-editor" in html
    assert "js/editor.js" in html and "vendor/quill/quill.js" in html
    assert f'name="version" type="hidden" value="{content.version}"' in html
    assert "Submit for review" in html and "Approve and publish" not in html


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", ""),
        ("post", "/terms"),
        ("post", "/submit"),
        ("post", "/approve"),
        ("post", "/request-changes"),
        ("get", "/diff"),
        ("post", "/revisions/1/restore"),
        ("post", "/delete"),
    ],
)
def test_other_accounts_content_is_404(client, login, tenant, other_tenant, method, path):
    theirs = _saved(other_tenant)
    login(tenant.admin)
    response = getattr(client, method)(f"/content/{theirs.id}{path}", data={"title": "x", "comment": "x"})
    assert response.status_code == 404
    assert client.get("/content/999999").status_code == 404


# --- saving ---------------------------------------------------------------------------------------------


def _form(content: Content, **overrides) -> dict:
    data = {
        "title": content.title,
        "html": content.html,
        "meta_title": "",
        "meta_description": "",
        "primary_keyword": "",
        "secondary_keywords": "",
        "slug": content.slug,
        "version": str(content.version),
    }
    data.update(overrides)
    return data


def test_save_sanitizes_stores_revision_and_redirects(client, login, tenant):
    content = _saved(tenant)
    login(tenant.editor)
    response = client.post(
        f"/content/{content.id}",
        data=_form(
            content, html="<p>New <b>body</b> text</p><script>steal()</script>", secondary_keywords="a, b"
        ),
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Content, content.id)
    assert saved.html == "<p>New <b>body</b> text</p>" and saved.word_count == 3
    assert saved.secondary_keywords == ["a", "b"] and saved.version == 2
    assert db.session.scalar(select(Revision.note).where(Revision.number == 2)) == (
        "Edited body, secondary keywords"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. A new revision was stored." in page


def test_save_field_errors(client, login, tenant):
    content = _saved(tenant)
    login(tenant.editor)
    response = client.post(f"/content/{content.id}", data=_form(content, title=""))
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert db.session.get(Content, content.id).version == 1


def test_save_over_a_newer_version_is_refused_and_keeps_the_text(client, login, tenant):
    content = _saved(tenant)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, 1, title="The reviewer's title")
    db.session.commit()
    login(tenant.editor)
    mine = "<p>My carefully written paragraph.</p>"
    response = client.post(f"/content/{content.id}", data=_form(content, html=mine, version="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "saved a newer version at" in html and tenant.reviewer.display_name in html
    assert "My carefully written paragraph." in html  # the user's text is kept in the form
    assert "Save mine over theirs" in html
    db.session.expire_all()
    assert db.session.get(Content, content.id).title == "The reviewer's title"
    # Explicitly taking over, having seen version 2, saves.
    taken = client.post(f"/content/{content.id}", data=_form(content, html=mine, version="1", take_over="2"))
    assert taken.status_code == 303
    db.session.expire_all()
    assert db.session.get(Content, content.id).html == mine


# --- terms ---------------------------------------------------------------------------------------------


def test_terms_added_and_removed_in_place(client, login, tenant):
    content = _saved(tenant)
    term = _term(tenant.site.id, tenant.account.id, "Wind")
    other_site = factories.make_site(tenant.account)
    foreign = _term(other_site.id, tenant.account.id, "Elsewhere")
    db.session.commit()
    login(tenant.editor)
    added = client.post(f"/content/{content.id}/terms", data={"add": term.id}, headers=HX)
    body = added.get_data(as_text=True)
    assert added.status_code == 200 and "<html" not in body and 'id="terms"' in body and "Wind" in body
    refused = client.post(f"/content/{content.id}/terms", data={"add": foreign.id}, headers=HX)
    assert refused.status_code == 200 and "Not terms of this content" in refused.get_data(as_text=True)
    removed = client.post(f"/content/{content.id}/terms", data={"remove": term.id})
    assert removed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Content, content.id).taxonomy_terms == []


# --- revisions -----------------------------------------------------------------------------------------


def test_diff_full_page_fragment_and_restore(client, login, tenant):
    content = _saved(tenant, html="<p>Old sentence here.</p>")
    cs.update_content(tenant.scope(Role.EDITOR), content.id, 1, html="<p>New sentence here.</p>")
    db.session.commit()
    login(tenant.editor)
    page = client.get(f"/content/{content.id}/diff?a=1&b=2")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert "<del>Old</del>" in html and "<ins>New</ins>" in html
    fragment = client.get(f"/content/{content.id}/diff", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Revision 1 → 2" in fragment
    assert client.get(f"/content/{content.id}/diff?a=1&b=7").status_code == 404
    restored = client.post(f"/content/{content.id}/revisions/1/restore", data={"version": "2"})
    assert restored.status_code == 303
    db.session.expire_all()
    assert db.session.get(Content, content.id).html == "<p>Old sentence here.</p>"
    assert "Restored revision 1" in client.get(f"/content/{content.id}").get_data(as_text=True)
    stale = client.post(
        f"/content/{content.id}/revisions/2/restore", data={"version": "2"}, follow_redirects=True
    )
    assert "saved a newer version" in stale.get_data(as_text=True)


def test_delete_hides_content(client, login, tenant):
    content = _saved(tenant, title="Going away")
    login(tenant.editor)
    response = client.post(f"/content/{content.id}/delete", follow_redirects=True)
    assert "“Going away” was deleted." in response.get_data(as_text=True)
    assert client.get(f"/content/{content.id}").status_code == 404


# --- settings ------------------------------------------------------------------------------------------


def test_review_settings_are_admin_only(client, login, tenant):
    login(tenant.reviewer)
    assert client.get("/content/settings").status_code == 403
    assert client.post("/content/settings", data={"allow_self_approval": "y"}).status_code == 403
    db.session.expire_all()
    assert "allow_self_approval" not in db.session.get(Account, tenant.account.id).settings


def test_admin_toggles_self_approval(client, login, tenant):
    login(tenant.admin)
    page = client.get("/content/settings")
    assert page.status_code == 200 and "allow_self_approval" in page.get_data(as_text=True)
    assert client.post("/content/settings", data={"allow_self_approval": "y"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Account, tenant.account.id).settings["allow_self_approval"] is True
    client.post("/content/settings", data={})
    db.session.expire_all()
    assert db.session.get(Account, tenant.account.id).settings["allow_self_approval"] is False


@pytest.fixture
def editor_client(client, login, tenant):
    return login(tenant.editor)


def test_posts_need_the_csrf_token(editor_client, tenant, csrf_enabled):
    content = _saved(tenant)
    for path in ("", "/submit", "/terms", "/delete"):
        response = editor_client.post(f"/content/{content.id}{path}", data=_form(content, title="Changed"))
        assert response.status_code == 400
    db.session.expire_all()
    saved = db.session.get(Content, content.id)
    assert (saved.status, saved.title, saved.deleted_at) == (ContentStatus.DRAFT, "Solar basics", None)


def test_a_review_decision_meanwhile_does_not_block_saving(client, login, tenant):
    from writer_app.services.review import decisions as review

    content = _saved(tenant)
    login(tenant.editor)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert 'name="revision" type="hidden" value="1"' in page
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)  # version 1 → 2, no new revision
    db.session.commit()
    response = client.post(
        f"/content/{content.id}", data=_form(content, version="1", revision="1", title="Later")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Content, content.id).title == "Later"


def test_list_pages_keep_the_filters_in_their_links(client, login, tenant):
    for n in range(30):
        factories.make_content(tenant.cluster, f"Piece {n:02d}", status=ContentStatus.REVIEW)
    db.session.commit()
    login(tenant.viewer)
    first = client.get("/content/?status=review&ordering=title").get_data(as_text=True)
    assert "Page 1 of 2 · 30 in all" in first
    assert 'href="/content/?status=review&amp;ordering=title&amp;page=2"' in first
    second = client.get("/content/?status=review&ordering=title&page=2", headers=HX).get_data(as_text=True)
    assert "Piece 29" in second and "Piece 00" not in second and "<html" not in second
