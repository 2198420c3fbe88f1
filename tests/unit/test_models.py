"""Constraints the database itself enforces, and the rules the models carry."""

import pytest
from sqlalchemy.exc import IntegrityError

from tests.support.factories import make_cluster, make_content, make_sector, make_task
from writer_app.models import ContentTaxonomy, Image, ImageType, Role, TaxonomyType, db


def _term(tenant, slug="news", kind=TaxonomyType.CATEGORY, **kwargs):
    term = ContentTaxonomy(
        account_id=tenant.account.id,
        site_id=tenant.site.id,
        name=slug.title(),
        slug=slug,
        taxonomy_type=kind,
        **kwargs,
    )
    db.session.add(term)
    db.session.flush()
    return term


def test_taxonomy_slug_is_unique_per_site_and_type(tenant):
    _term(tenant, "news")
    _term(tenant, "news", TaxonomyType.TAG)  # same slug, other type: fine
    with pytest.raises(IntegrityError):
        _term(tenant, "news")


def test_taxonomy_slug_may_repeat_on_another_site(tenant):
    from tests.support.factories import make_site

    other_site = make_site(tenant.account)
    _term(tenant, "news")
    term = ContentTaxonomy(
        account_id=tenant.account.id,
        site_id=other_site.id,
        name="News",
        slug="news",
        taxonomy_type=TaxonomyType.CATEGORY,
    )
    db.session.add(term)
    db.session.flush()
    assert term.id


def test_taxonomy_external_id_is_unique_per_site_and_external_taxonomy(tenant):
    _term(tenant, "a", external_id=7, external_taxonomy="category")
    _term(tenant, "b", external_id=7, external_taxonomy="post_tag")
    with pytest.raises(IntegrityError):
        _term(tenant, "c", external_id=7, external_taxonomy="category")


def test_task_status_outside_the_choice_list_is_refused(tenant):
    task = make_task(tenant.cluster)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(
            db.text("UPDATE writer_tasks SET status = 'exploded' WHERE id = :id"), {"id": task.id}
        )
        db.session.flush()


def test_images_inherit_tenancy_from_their_content(tenant):
    other_sector = make_sector(tenant.site)
    content = make_content(make_cluster(other_sector))
    image = Image(content_id=content.id, image_type=ImageType.FEATURED)
    db.session.add(image)
    db.session.flush()
    assert (image.account_id, image.site_id, image.sector_id) == (
        content.account_id,
        content.site_id,
        other_sector.id,
    )


def test_images_inherit_tenancy_from_their_task_when_there_is_no_content(tenant):
    task = make_task(tenant.cluster)
    image = Image(task=task, image_type=ImageType.IN_ARTICLE, position=2)
    db.session.add(image)
    db.session.flush()
    assert (image.account_id, image.site_id, image.sector_id) == (
        task.account_id,
        task.site_id,
        task.sector_id,
    )


def test_roles_are_ordered():
    assert Role.ADMIN.at_least(Role.REVIEWER)
    assert Role.REVIEWER.at_least(Role.EDITOR)
    assert Role.EDITOR.at_least(Role.VIEWER)
    assert not Role.VIEWER.at_least(Role.EDITOR)
    assert not Role.EDITOR.at_least(Role.REVIEWER)
