"""Revisions: every save stored, readable diffs between any two, restore as a new revision."""

from __future__ import annotations

import pytest

from tests.support import factories
from writer_app.models import Content, Role, db
from writer_app.services import content as cs
from writer_app.services.errors import Conflict, NotFound, PermissionDenied
from writer_app.services.review import revisions
from writer_app.services.review.diffing import html_diff, html_lines, word_diff

BODY_V1 = "<p>Solar panels turn light into power.</p><h2>Costs</h2><p>They pay back in years.</p>"
BODY_V2 = "<p>Solar panels turn sunlight into power.</p><h2>Costs</h2><p>They pay back in years.</p><ul><li>Tax credits</li></ul>"


@pytest.fixture
def edited(tenant: factories.Tenant) -> Content:
    scope = tenant.scope(Role.EDITOR)
    content = cs.create_content(
        scope,
        title="Solar",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=BODY_V1,
        secondary_keywords=["solar battery"],
    )
    db.session.commit()
    cs.update_content(
        scope,
        content.id,
        1,
        html=BODY_V2,
        title="Solar power",
        secondary_keywords="solar battery, net metering",
    )
    db.session.commit()
    return content


def test_list_newest_first(tenant: factories.Tenant, edited: Content) -> None:
    listed = revisions.list_revisions(tenant.scope(Role.VIEWER), edited.id)
    assert [(r.number, r.user.id) for r in listed] == [(2, tenant.editor.id), (1, tenant.editor.id)]


def test_diff_is_readable_per_field(tenant: factories.Tenant, edited: Content) -> None:
    result = revisions.diff(tenant.scope(Role.VIEWER), edited.id, 1, 2)
    changed = {f.name: f for f in result.changed}
    assert set(changed) == {"title", "html", "secondary_keywords"}
    title = changed["title"].lines[0].segments
    assert [(s.kind, s.text) for s in title] == [("equal", "Solar"), ("insert", " power")]
    body = changed["html"].lines
    first = body[0]
    assert first.kind == "replace"
    assert ("delete", "light") in [(s.kind, s.text) for s in first.segments]
    assert ("insert", "sunlight") in [(s.kind, s.text) for s in first.segments]
    assert body[-1].kind == "insert" and body[-1].segments[0].text == "• Tax credits"
    assert [s.text for s in changed["secondary_keywords"].lines[0].segments if s.kind == "insert"] == [
        ", net metering"
    ]
    # Either order works; the reverse shows the opposite operations.
    reverse = revisions.diff(tenant.scope(Role.VIEWER), edited.id, 2, 1)
    assert reverse.changed[0].lines[0].segments[1].kind == "delete"


def test_diff_unknown_revision_and_other_account(
    tenant: factories.Tenant, other_tenant: factories.Tenant, edited: Content
) -> None:
    with pytest.raises(NotFound):
        revisions.diff(tenant.scope(Role.VIEWER), edited.id, 1, 9)
    with pytest.raises(NotFound):
        revisions.list_revisions(other_tenant.scope(Role.ADMIN), edited.id)


def test_restore_creates_a_new_revision(tenant: factories.Tenant, edited: Content) -> None:
    scope = tenant.scope(Role.EDITOR)
    restored = revisions.restore(scope, edited.id, 1)
    db.session.commit()
    assert restored.title == "Solar" and restored.html == BODY_V1
    assert restored.secondary_keywords == ["solar battery"]
    assert restored.word_count == 12
    latest = revisions.list_revisions(scope, edited.id)[0]
    assert (latest.number, latest.note) == (3, "Restored revision 1")
    with pytest.raises(Conflict, match="already matches revision 1"):
        revisions.restore(scope, edited.id, 1)
    with pytest.raises(PermissionDenied):
        revisions.restore(tenant.scope(Role.VIEWER), edited.id, 2)


def test_restore_respects_expected_version(tenant: factories.Tenant, edited: Content) -> None:
    with pytest.raises(Conflict, match="saved a newer version"):
        revisions.restore(tenant.scope(Role.EDITOR), edited.id, 1, expected_version=1)


def test_html_lines_and_word_diff() -> None:
    html = '<h2>Title</h2><p>One <a href="https://x">link</a><br>two</p><ul><li>a</li></ul><img alt="Sun" src="s.png"><img src="t.png">'
    assert html_lines(html) == ["H2 Title", "One link two", "• a", "[image: Sun]", "[image without alt text]"]
    assert [(s.kind, s.text) for s in word_diff("a b c", "a x c")] == [
        ("equal", "a "),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", " c"),
    ]


def test_long_unchanged_runs_are_collapsed() -> None:
    paragraphs = "".join(f"<p>Paragraph {n}</p>" for n in range(20))
    lines = html_diff(paragraphs, paragraphs + "<p>New ending</p>")
    kinds = [line.kind for line in lines]
    assert kinds == ["skip", "equal", "equal", "insert"]
    assert lines[0].skipped == 18


def test_every_revision_stores_the_analysis_of_its_text(tenant: factories.Tenant, edited: Content) -> None:
    scores = [r.analysis["seo_score"] for r in revisions.list_revisions(tenant.scope(Role.EDITOR), edited.id)]
    assert len(scores) >= 2 and all(isinstance(s, int) for s in scores)
    longer = edited.html + "".join(
        f"<p>Solar panels paragraph {i} with more words to read.</p>" for i in range(40)
    )
    cs.update_content(tenant.scope(Role.EDITOR), edited.id, html=longer)
    newest = revisions.list_revisions(tenant.scope(Role.EDITOR), edited.id)[0]
    length = next(c for c in newest.analysis["checks"] if c["key"] == "text_length")
    assert length["value"] > 300
