"""Images service: filters, ordering, grouping, create/update/delete, bulk status, files via the scope."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from tests.support.factories import make_cluster, make_content, make_sector, make_site, make_task
from tests.support.queries import count_queries
from writer_app.models import AuditEvent, Image, ImageStatus, Role, db
from writer_app.services.errors import NotFound, PermissionDenied, ValidationError
from writer_app.services.media import files as media
from writer_app.services.media import image_groups, images
from writer_app.services.media.images import ImageFilters


def png_bytes(width: int = 800, height: int = 600, color: str = "teal") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def add(scope, content=None, task=None, **fields) -> Image:
    fields.setdefault("image_type", "in_article")
    return images.create_image(
        scope,
        content_id=content.id if content else None,
        task_id=task.id if task else None,
        **fields,
    )


# ---------------------------------------------------------------- create


def test_create_takes_tenancy_from_content(tenant):
    other_site = make_site(tenant.account)
    other_sector = make_sector(other_site)
    content = make_content(make_cluster(other_sector))
    # The working context points elsewhere: the content wins.
    image = add(tenant.scope(Role.EDITOR), content, image_type="featured")
    db.session.commit()
    assert (image.account_id, image.site_id, image.sector_id) == (
        tenant.account.id,
        other_site.id,
        other_sector.id,
    )
    assert image.status == ImageStatus.PENDING
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.object_id == image.id)) == (
        "image.create"
    )


def test_create_from_a_task_when_there_is_no_content(tenant):
    task = make_task(tenant.cluster)
    image = add(tenant.scope(Role.EDITOR), task=task, image_type="featured")
    assert image.task_id == task.id and image.content_id is None
    assert image.site_id == task.site_id


def test_create_without_owner_uses_explicit_site_sector_then_working_context(tenant):
    scope = tenant.scope(Role.EDITOR)
    site = make_site(tenant.account)
    sector = make_sector(site)
    explicit = images.create_image(scope, image_type="featured", site_id=site.id, sector_id=sector.id)
    assert (explicit.site_id, explicit.sector_id) == (site.id, sector.id)
    from_context = images.create_image(scope, image_type="featured")
    assert (from_context.site_id, from_context.sector_id) == (tenant.site.id, tenant.sector.id)
    no_context = scope.with_context(None, None)
    with pytest.raises(ValidationError) as error:
        images.create_image(no_context, image_type="featured")
    assert "site_id" in error.value.fields
    with pytest.raises(ValidationError) as error:
        images.create_image(scope, image_type="featured", site_id=tenant.site.id, sector_id=sector.id)
    assert "sector_id" in error.value.fields


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"image_type": "banner"}, "image_type"),
        ({"image_type": "featured", "status": "done"}, "status"),
        ({"image_type": "in_article", "position": -1}, "position"),
        ({"image_type": "in_article", "position": "two"}, "position"),
        ({"image_type": "featured", "image_url": "ftp://x/y.png"}, "image_url"),
        ({"image_type": "featured", "alt_text": "x" * 501}, "alt_text"),
        ({"image_type": "featured", "image_path": "999/1/a.png"}, "image_path"),
        ({"image_type": "featured", "content_id": "abc"}, "content_id"),
    ],
)
def test_create_rejects_bad_fields_by_name(tenant, fields, bad):
    content = make_content(tenant.cluster)
    fields.setdefault("content_id", content.id)
    with pytest.raises(ValidationError) as error:
        images.create_image(tenant.scope(Role.EDITOR), **fields)
    assert bad in error.value.fields


def test_create_refuses_other_accounts_content_and_viewers(tenant, other_tenant):
    foreign = make_content(other_tenant.cluster)
    with pytest.raises(ValidationError) as error:
        add(tenant.scope(Role.EDITOR), foreign)
    assert "content_id" in error.value.fields
    with pytest.raises(PermissionDenied):
        add(tenant.scope(Role.VIEWER), make_content(tenant.cluster))


# ---------------------------------------------------------------- list and filters


def test_list_filters_and_orders(tenant):
    scope = tenant.scope(Role.EDITOR)
    content = make_content(tenant.cluster)
    task = make_task(tenant.cluster)
    featured = add(scope, content, image_type="featured", status="generated")
    second = add(scope, content, position=2)
    first = add(scope, content, position=1, status="failed")
    by_task = add(scope, task=task, image_type="featured")
    db.session.commit()

    def ids(**kwargs):
        return [i.id for i in images.list_images(scope, ImageFilters(**kwargs)).items]

    assert ids(content_id=content.id, ordering="position") == [featured.id, first.id, second.id]
    assert ids(ordering="-id") == [by_task.id, first.id, second.id, featured.id]
    assert ids(ordering="id")[0] == featured.id
    assert ids(task_id=task.id) == [by_task.id]
    assert ids(image_type="in_article", ordering="id") == [second.id, first.id]
    assert ids(status="failed") == [first.id]
    assert set(ids()) == {featured.id, second.id, first.id, by_task.id}


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (ImageFilters(ordering="title"), "ordering"),
        (ImageFilters(image_type="poster"), "image_type"),
        (ImageFilters(status="lost"), "status"),
        (ImageFilters(content_id="x"), "content_id"),
        (ImageFilters(task_id="-3"), "task_id"),
        (ImageFilters(site_id="nope"), "site_id"),
    ],
)
def test_unknown_filter_values_name_the_field(tenant, filters, field):
    with pytest.raises(ValidationError) as error:
        images.list_images(tenant.scope(), filters)
    assert field in error.value.fields
    with pytest.raises(ValidationError):
        image_groups.gallery(tenant.scope(), filters)


def test_lists_follow_the_working_site_unless_all(tenant):
    scope = tenant.scope(Role.EDITOR)
    here = add(scope, make_content(tenant.cluster))
    other_sector = make_sector(make_site(tenant.account))
    there = add(scope, make_content(make_cluster(other_sector)))
    assert [i.id for i in images.list_images(scope, ImageFilters()).items] == [here.id]
    everywhere = images.list_images(scope, ImageFilters(site_id="all"))
    assert {i.id for i in everywhere.items} == {here.id, there.id}
    assert [i.id for i in images.list_images(scope.with_context(None, None), ImageFilters()).items] != []


def test_lists_hide_deleted_and_other_accounts(tenant, other_tenant):
    scope = tenant.scope(Role.EDITOR)
    mine = add(scope, make_content(tenant.cluster))
    gone = add(scope, make_content(tenant.cluster))
    add(other_tenant.scope(Role.EDITOR), make_content(other_tenant.cluster))
    images.delete_image(scope, gone.id)
    assert [i.id for i in images.list_images(scope, ImageFilters(site_id="all")).items] == [mine.id]
    assert image_groups.gallery(scope, ImageFilters(site_id="all")).total == 1


# ---------------------------------------------------------------- grouping


def test_gallery_groups_featured_first_then_in_article_by_position(tenant):
    scope = tenant.scope(Role.EDITOR)
    first = make_content(tenant.cluster, "First")
    second = make_content(tenant.cluster, "Second")
    task = make_task(tenant.cluster, "Planned")
    add(scope, first, position=2)
    featured = add(scope, first, image_type="featured", status="generated")
    add(scope, first, position=1)
    desktop = add(scope, first, image_type="desktop")
    add(scope, second, image_type="featured", status="generated")
    add(scope, task=task, image_type="featured")
    db.session.commit()

    page = image_groups.gallery(scope, ImageFilters(ordering="-id"))
    assert page.total == 3
    assert [g.content_title for g in page.items] == ["Planned", "Second", "First"]
    planned, second_group, first_group = page.items
    assert (planned.content_id, planned.task_id) == (None, task.id)
    assert first_group.featured_image.id == featured.id
    assert [i.position for i in first_group.in_article_images] == [1, 2]
    assert first_group.other_images == [desktop]
    assert first_group.images[0].id == featured.id
    assert first_group.overall_status == "pending"
    assert second_group.overall_status == "generated"

    oldest_first = image_groups.gallery(scope, ImageFilters(ordering="id"))
    assert [g.content_title for g in oldest_first.items] == ["First", "Second", "Planned"]
    paged = image_groups.gallery(scope, ImageFilters(ordering="id"), page=2, page_size=2)
    assert [g.content_title for g in paged.items] == ["Planned"] and paged.pages == 2


def test_gallery_filters_apply_inside_groups(tenant):
    scope = tenant.scope(Role.EDITOR)
    content = make_content(tenant.cluster)
    add(scope, content, image_type="featured")
    add(scope, content, position=1, status="failed")
    page = image_groups.gallery(scope, ImageFilters(status="failed"))
    assert page.total == 1
    assert page.items[0].featured_image is None
    assert page.items[0].overall_status == "failed"


def test_content_images_groups_by_content(tenant):
    scope = tenant.scope(Role.EDITOR)
    a, b = make_content(tenant.cluster, "A"), make_content(tenant.cluster, "B")
    add(scope, a, image_type="featured")
    add(scope, a, position=3)
    add(scope, b, position=1)
    add(scope, task=make_task(tenant.cluster), image_type="featured")  # no content: not in this view
    groups = image_groups.content_images(scope)
    assert [g.content_id for g in groups] == [b.id, a.id]
    assert groups[0].featured_image is None and len(groups[0].in_article_images) == 1
    assert [g.content_title for g in image_groups.content_images(scope, [a.id])] == ["A"]
    with pytest.raises(NotFound):
        image_groups.content_images(scope, [a.id, 999_999])


def test_content_images_runs_fixed_queries(tenant):
    scope = tenant.scope(Role.EDITOR)

    def build(n: int) -> None:
        for _ in range(n):
            content = make_content(tenant.cluster)
            add(scope, content, image_type="featured")
            add(scope, content, position=1)
        db.session.commit()

    build(3)
    with count_queries() as few:
        image_groups.content_images(scope)
    build(30)
    with count_queries() as many:
        groups = image_groups.content_images(scope)
        _ = [g.content_title for g in groups]
    assert len(groups) == 33
    assert few.count == many.count


# ---------------------------------------------------------------- update / delete / bulk


def test_update_changes_only_editable_fields(tenant):
    scope = tenant.scope(Role.EDITOR)
    image = add(scope, make_content(tenant.cluster), position=1)
    images.update_image(scope, image.id, alt_text=" A roof ", position=4, status="failed", error="boom")
    assert (image.alt_text, image.position, image.status, image.error) == ("A roof", 4, "failed", "boom")
    with pytest.raises(ValidationError) as error:
        images.update_image(scope, image.id, account_id=2, image_path="1/1/x.png")
    assert set(error.value.fields) == {"account_id", "image_path"}
    with pytest.raises(ValidationError) as error:
        images.update_image(scope, image.id, position=-5)
    assert "position" in error.value.fields
    with pytest.raises(PermissionDenied):
        images.update_image(tenant.scope(Role.VIEWER), image.id, alt_text="x")


def test_delete_is_soft_and_hides_the_image(tenant):
    scope = tenant.scope(Role.EDITOR)
    image = add(scope, make_content(tenant.cluster))
    images.delete_image(scope, image.id)
    db.session.commit()
    assert db.session.get(Image, image.id).deleted_at is not None
    with pytest.raises(NotFound):
        images.get_image(scope, image.id)


def test_other_accounts_images_are_not_found(tenant, other_tenant):
    foreign = add(other_tenant.scope(Role.EDITOR), make_content(other_tenant.cluster))
    scope = tenant.scope(Role.ADMIN)
    for call in (
        lambda: images.get_image(scope, foreign.id),
        lambda: images.update_image(scope, foreign.id, alt_text="x"),
        lambda: images.delete_image(scope, foreign.id),
        lambda: images.image_file(scope, foreign.id),
        lambda: images.bulk_update_status(scope, "failed", ids=[foreign.id]),
        lambda: images.bulk_update_status(scope, "failed", content_id=foreign.content_id),
    ):
        with pytest.raises(NotFound):
            call()
    assert db.session.get(Image, foreign.id).status == ImageStatus.PENDING


def test_bulk_status_by_content_or_ids(tenant):
    scope = tenant.scope(Role.EDITOR)
    content, other = make_content(tenant.cluster), make_content(tenant.cluster)
    a, b = add(scope, content, image_type="featured"), add(scope, content, position=1)
    c = add(scope, other, position=1)
    assert images.bulk_update_status(scope, "generated", content_id=content.id) == 2
    assert (a.status, b.status, c.status) == ("generated", "generated", "pending")
    assert images.bulk_update_status(scope, "failed", ids=[str(c.id), a.id]) == 2
    assert (a.status, c.status) == ("failed", "failed")
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "image.bulk_status").order_by(AuditEvent.id.desc())
    ).first()
    assert sorted(event.details["ids"]) == sorted([a.id, c.id])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "done", "ids": [1]}, "status"),
        ({"status": "failed"}, "ids"),
        ({"status": "failed", "ids": [1], "content_id": 1}, "ids"),
        ({"status": "failed", "ids": []}, "ids"),
        ({"status": "failed", "ids": list(range(1, 102))}, "ids"),
        ({"status": "failed", "ids": ["a"]}, "ids"),
    ],
)
def test_bulk_status_rules(tenant, kwargs, field):
    status = kwargs.pop("status")
    with pytest.raises(ValidationError) as error:
        images.bulk_update_status(tenant.scope(Role.EDITOR), status, **kwargs)
    assert field in error.value.fields


def test_bulk_status_needs_an_editor(tenant):
    image = add(tenant.scope(Role.EDITOR), make_content(tenant.cluster))
    with pytest.raises(PermissionDenied):
        images.bulk_update_status(tenant.scope(Role.VIEWER), "failed", ids=[image.id])


# ---------------------------------------------------------------- files


def test_image_file_returns_the_stored_file_and_thumbnail(tenant):
    scope = tenant.scope(Role.EDITOR)
    stored = media.store_image(tenant.account.id, tenant.site.id, "Hero shot", png_bytes(1200, 600))
    image = add(
        scope,
        make_content(tenant.cluster),
        image_type="featured",
        image_path=stored.path,
        thumbnail_path=stored.thumbnail_path,
    )
    full = images.image_file(scope, image.id)
    thumb = images.image_file(scope, image.id, thumbnail=True)
    assert full.read_bytes() == png_bytes(1200, 600)
    with PILImage.open(thumb) as opened:
        assert opened.size == (320, 160)
    viewer = tenant.scope(Role.VIEWER)
    assert images.image_file(viewer, image.id) == full


def test_image_file_not_found_without_a_file_or_with_an_unsafe_path(tenant, app):
    scope = tenant.scope(Role.EDITOR)
    content = make_content(tenant.cluster)
    pending = add(scope, content, image_type="featured")
    with pytest.raises(NotFound):
        images.image_file(scope, pending.id)
    # Paths written behind the service's back cannot escape MEDIA_ROOT or the account's folder.
    outside = add(scope, content)
    secret = media.media_root().parent / "secret.txt"
    secret.write_text("top secret")
    for bad in ("../secret.txt", f"{tenant.account.id}/../../secret.txt", str(secret), "/etc/passwd"):
        outside.image_path = bad
        db.session.flush()
        with pytest.raises(NotFound):
            images.image_file(scope, outside.id)
    other = media.store_image(tenant.account.id + 1000, 1, "x", png_bytes(10, 10))
    outside.image_path = other.path
    db.session.flush()
    with pytest.raises(NotFound):
        images.image_file(scope, outside.id)


def test_thumbnail_falls_back_to_the_image(tenant):
    scope = tenant.scope(Role.EDITOR)
    stored = media.store_image(tenant.account.id, tenant.site.id, "x", png_bytes(100, 100))
    image = add(scope, make_content(tenant.cluster), image_type="featured", image_path=stored.path)
    assert images.image_file(scope, image.id, thumbnail=True).name == stored.path.rsplit("/", 1)[1]
