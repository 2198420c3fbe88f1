"""Autosave slots and the post lock: per user, never a save, tenant-scoped; the lock expires, can be taken
over, and tells the editor it was taken from."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
from sqlalchemy.exc import SAWarning

from tests.support import factories
from writer_app.models import Content, ContentEditLock, Role, db
from writer_app.services.editing import autosave, locks
from writer_app.services.errors import NotFound, PermissionDenied, ValidationError


@pytest.fixture
def content(tenant: factories.Tenant) -> Content:
    content = factories.make_content(tenant.cluster, "Heat pumps", html="<p>Saved text.</p>")
    db.session.commit()
    return content


def test_an_autosave_is_a_slot_per_user_and_never_changes_the_content(tenant, content):
    editor, reviewer = tenant.scope(Role.EDITOR), tenant.scope(Role.REVIEWER)
    autosave.save(editor, content.id, {"html": "<p>Draft one.</p>"}, base_version=1)
    autosave.save(editor, content.id, {"html": "<p>Draft two.</p>", "title": "New"}, base_version=1)
    db.session.commit()
    slot = autosave.pending(editor, content)
    assert slot is not None and slot.fields == {"html": "<p>Draft two.</p>", "title": "New"}
    assert slot.base_version == 1 and slot.updated_at.tzinfo is not None
    assert autosave.pending(reviewer, content) is None  # someone else's slot is not yours
    db.session.refresh(content)
    assert content.html == "<p>Saved text.</p>" and content.title == "Heat pumps" and content.version == 1

    autosave.discard(editor, content.id)
    db.session.commit()
    assert autosave.pending(editor, content) is None


def test_a_slot_that_matches_the_content_is_not_offered(tenant, content):
    editor = tenant.scope(Role.EDITOR)
    autosave.save(editor, content.id, {"title": "Heat pumps", "html": "<p>Saved text.</p>"}, base_version=1)
    assert autosave.pending(editor, content) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"status": "published"}, None), ({"title": "x" * 256}, "title"), ({"html": 5}, "html"), ([], "fields")],
)
def test_bad_autosaves_are_refused(tenant, content, fields, field):
    with pytest.raises(ValidationError) as error:
        autosave.save(tenant.scope(Role.EDITOR), content.id, fields, base_version=1)
    if field:
        assert field in error.value.fields


def test_autosave_needs_an_editor_and_the_account(tenant, other_tenant, content):
    with pytest.raises(PermissionDenied):
        autosave.save(tenant.scope(Role.VIEWER), content.id, {"title": "x"}, base_version=1)
    with pytest.raises(NotFound):
        autosave.save(other_tenant.scope(Role.EDITOR), content.id, {"title": "x"}, base_version=1)
    assert autosave.pending(tenant.scope(Role.VIEWER), content) is None


def test_the_lock_is_held_by_the_first_editor_until_taken_over(tenant, content):
    editor, reviewer = tenant.scope(Role.EDITOR), tenant.scope(Role.REVIEWER)
    assert locks.heartbeat(editor, content.id).state == "mine"
    held = locks.heartbeat(reviewer, content.id)
    assert held.state == "held" and held.holder == tenant.editor.display_name
    assert locks.current(reviewer, content).state == "held"
    assert locks.heartbeat(editor, content.id).state == "mine"

    assert locks.take_over(reviewer, content.id).state == "mine"
    told = locks.heartbeat(editor, content.id)
    assert told.state == "taken_over" and told.holder == tenant.reviewer.display_name
    assert locks.heartbeat(reviewer, content.id).state == "mine"


def test_a_lock_without_heartbeat_expires_and_a_release_frees_it(tenant, content):
    editor, reviewer = tenant.scope(Role.EDITOR), tenant.scope(Role.REVIEWER)
    locks.heartbeat(editor, content.id)
    lock = db.session.get(ContentEditLock, content.id)
    lock.heartbeat_at -= locks.LOCK_TTL + timedelta(seconds=1)
    db.session.flush()
    assert locks.current(reviewer, content).state == "free"
    assert locks.heartbeat(reviewer, content.id).state == "mine"  # a stale lock is free, not "taken over"
    assert locks.heartbeat(editor, content.id).state == "held"

    locks.release(editor, content.id)  # not theirs any more: nothing happens
    assert db.session.get(ContentEditLock, content.id).user_id == tenant.reviewer.id
    locks.release(reviewer, content.id)
    assert db.session.get(ContentEditLock, content.id) is None


def test_a_release_racing_another_release_is_quiet(tenant, content):
    editor = tenant.scope(Role.EDITOR)
    locks.heartbeat(editor, content.id)
    loaded = db.session.get(ContentEditLock, content.id)  # as the releasing request has it
    assert loaded is not None
    # Meanwhile another request (the other tab closing) released it: the row is gone, the object not.
    db.session.connection().exec_driver_sql(
        f"DELETE FROM writer_content_edit_locks WHERE content_id = {content.id}"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", SAWarning)
        locks.release(editor, content.id)
    db.session.expire_all()
    assert db.session.get(ContentEditLock, content.id) is None


def test_locks_need_an_editor_and_the_account(tenant, other_tenant, content):
    with pytest.raises(PermissionDenied):
        locks.heartbeat(tenant.scope(Role.VIEWER), content.id)
    with pytest.raises(NotFound):
        locks.take_over(other_tenant.scope(Role.ADMIN), content.id)
