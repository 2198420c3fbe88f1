"""The publish gate: Required checks block publishing; a reviewer may override with a recorded comment."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import AuditEvent, Content, ReviewDecision, ReviewEvent, Role, db
from writer_app.services import content as cs
from writer_app.services import content_checks as cc
from writer_app.services import site_checks
from writer_app.services.errors import Conflict, PermissionDenied, ValidationError
from writer_app.services.review import gate

GOOD_TITLE = "Solar panels for beginners: costs and savings"  # 46 characters
GOOD_META = (
    "Solar panels explained for homeowners: what they cost, how much they save each year, "
    "and how to choose an installer you can trust."
)  # 131 characters
# Wider than the 600 px a search result shows (Arial 20 px): the SEO title check fails ("problem").
TOO_WIDE = "W" * 40


def make(tenant: factories.Tenant, **values: Any) -> Content:
    """Content that passes every default Required check unless `values` say otherwise."""
    values.setdefault("meta_title", GOOD_TITLE)
    values.setdefault("meta_description", GOOD_META)
    values.setdefault("html", "<p>Solar panels turn light into power.</p>")
    content = factories.make_content(tenant.cluster, **values)
    db.session.commit()
    return content


def review_events(content: Content) -> list[ReviewEvent]:
    return list(db.session.scalars(select(ReviewEvent).where(ReviewEvent.content_id == content.id)))


def overrides() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.overridden")))


def test_content_meeting_the_required_checks_passes_without_records(tenant: factories.Tenant) -> None:
    content = make(tenant)
    result = gate.publish_gate(tenant.scope(Role.REVIEWER), content, None)
    assert result.allowed and not result.overridden and result.failing == []
    # A comment is not an override when nothing needs overriding.
    assert gate.publish_gate(tenant.scope(Role.REVIEWER), content, "just in case").override_event is None
    assert review_events(content) == [] and overrides() == []


def test_failing_required_checks_block_with_a_409_listing_them(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_title=TOO_WIDE, meta_description="Too short.")
    with pytest.raises(Conflict) as error:
        gate.publish_gate(tenant.scope(Role.ADMIN), content, None)
    assert error.value.status == 409 and error.value.code == "publish_blocked"
    assert "2 required checks fail (SEO title length, Meta description length)" in error.value.message
    assert [c.key for c in error.value.failing] == ["seo_title_length", "meta_description_length"]
    assert error.value.fields["checks"][0].startswith("SEO title length: ")
    assert review_events(content) == []


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_a_blank_comment_is_no_override(tenant: factories.Tenant, comment: str | None) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    with pytest.raises(gate.PublishBlocked):
        gate.publish_gate(tenant.scope(Role.REVIEWER), content, comment)


def test_recommended_checks_never_block(tenant: factories.Tenant) -> None:
    content = make(tenant, html="<p>Short text without links.</p>")
    analysis = cc.check_content(tenant.scope(), content.id)
    assert analysis.check("text_length").status == "problem"  # recommended by default
    assert gate.publish_gate(tenant.scope(Role.REVIEWER), content, None).allowed


def test_site_levels_decide_what_blocks(tenant: factories.Tenant) -> None:
    admin = tenant.scope(Role.ADMIN)
    content = make(tenant, html="<p>Short text without links.</p>")
    site_checks.update_site_checks(admin, tenant.site.id, {"text_length": "required"})
    with pytest.raises(gate.PublishBlocked) as error:
        gate.publish_gate(admin, content, None)
    assert [c.key for c in error.value.failing] == ["text_length"]

    short_title = make(tenant, meta_title=TOO_WIDE)
    site_checks.update_site_checks(
        admin, tenant.site.id, {"text_length": "off", "seo_title_length": "recommended"}
    )
    assert gate.publish_gate(admin, content, None).allowed
    assert gate.publish_gate(admin, short_title, None).allowed


def test_other_sites_levels_do_not_apply(tenant: factories.Tenant) -> None:
    other = factories.make_site(tenant.account)
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), other.id, {"text_length": "required"})
    content = make(tenant, html="<p>Short text.</p>")
    assert gate.publish_gate(tenant.scope(Role.REVIEWER), content, None).allowed


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_reviewer_override_with_a_comment_is_recorded(tenant: factories.Tenant, role: Role) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    result = gate.publish_gate(tenant.scope(role), content, "  Client wants the short brand title.  ")
    db.session.commit()
    assert result.allowed and result.overridden
    assert [c.key for c in result.failing] == ["seo_title_length"]
    (event,) = review_events(content)
    assert event.decision == ReviewDecision.OVERRIDDEN
    assert event.comment == "Client wants the short brand title."
    assert event.user_id == tenant.users[role].id
    assert result.override_event is event
    (audit,) = overrides()
    assert audit.object_id == content.id and audit.user_id == tenant.users[role].id
    assert audit.details["checks"] == ["seo_title_length"]
    assert audit.details["comment"] == "Client wants the short brand title."


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_editors_cannot_override(tenant: factories.Tenant, role: Role) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    with pytest.raises(PermissionDenied):
        gate.publish_gate(tenant.scope(role), content, "Please let me")
    db.session.rollback()
    assert review_events(content) == [] and overrides() == []


def test_overly_long_comment_is_a_field_error(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    with pytest.raises(ValidationError) as error:
        gate.publish_gate(tenant.scope(Role.REVIEWER), content, "x" * 5001)
    assert "override_comment" in error.value.fields


def test_an_override_holds_for_the_same_text_only(tenant: factories.Tenant) -> None:
    """A retried or scheduled publish of unchanged content needs no new comment; an edit does."""
    reviewer = tenant.scope(Role.REVIEWER)
    content = make(tenant, meta_title=TOO_WIDE)
    gate.publish_gate(reviewer, content, "Accepted for launch.")
    db.session.commit()

    retry = gate.publish_gate(reviewer, content, None)
    assert retry.allowed and retry.overridden and retry.override_event is None
    assert gate.gate_status(tenant.scope(Role.EDITOR), content).allowed
    assert len(review_events(content)) == 1

    cs.update_content(
        tenant.scope(Role.EDITOR), content.id, content.version, html="<p>Solar panels, edited.</p>"
    )
    db.session.commit()
    with pytest.raises(gate.PublishBlocked):
        gate.publish_gate(reviewer, content, None)


def test_an_override_does_not_cover_checks_that_fail_later(tenant: factories.Tenant) -> None:
    reviewer = tenant.scope(Role.REVIEWER)
    content = make(tenant, meta_title=TOO_WIDE, html="<p>Short text.</p>")
    gate.publish_gate(reviewer, content, "Fine for now.")
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, {"text_length": "required"})
    with pytest.raises(gate.PublishBlocked) as error:
        gate.publish_gate(reviewer, content, None)
    assert {c.key for c in error.value.failing} == {"seo_title_length", "text_length"}


def test_gate_status_records_nothing(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    status = gate.gate_status(tenant.scope(Role.REVIEWER), content)
    assert not status.allowed and [c.key for c in status.failing] == ["seo_title_length"]
    assert review_events(content) == [] and overrides() == []


def test_overrides_of_other_accounts_do_not_count(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    content = make(tenant, meta_title=TOO_WIDE)
    gate.publish_gate(tenant.scope(Role.REVIEWER), content, "ok")
    db.session.commit()
    fingerprint = gate._fingerprint(cc.content_input(content, content.site))
    failing = gate.gate_status(tenant.scope(), content).failing
    assert gate._standing_override(tenant.scope(), content, fingerprint, failing)
    # The same content id seen from another account never finds this override.
    assert not gate._standing_override(other_tenant.scope(), content, fingerprint, failing)
