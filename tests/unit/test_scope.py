"""Tenancy in one place: another account's ids behave exactly like ids that do not exist."""

import pytest

from tests.support.factories import make_content, make_sector, make_site, make_task
from tests.support.queries import count_queries
from writer_app.models import (
    Cluster,
    Content,
    ContentClusterMap,
    ContentIdea,
    ContentTaxonomy,
    Image,
    ImageType,
    Role,
    Sector,
    Site,
    Task,
    TaxonomyType,
    db,
)
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.scope import get, get_many, resolve_site_sector, scoped


def _one_of_each(t):
    task = make_task(t.cluster)
    content = make_content(t.cluster)
    term = ContentTaxonomy(
        account_id=t.account.id,
        site_id=t.site.id,
        name="News",
        slug="news",
        taxonomy_type=TaxonomyType.CATEGORY,
    )
    idea = ContentIdea(
        account_id=t.account.id,
        site_id=t.site.id,
        sector_id=t.sector.id,
        cluster_id=t.cluster.id,
        title="Idea",
    )
    image = Image(content_id=content.id, image_type=ImageType.FEATURED)
    cmap = ContentClusterMap(
        account_id=t.account.id,
        site_id=t.site.id,
        sector_id=t.sector.id,
        cluster_id=t.cluster.id,
        content_id=content.id,
    )
    db.session.add_all([term, idea, image, cmap])
    db.session.flush()
    return {
        Task: task,
        Content: content,
        ContentTaxonomy: term,
        ContentIdea: idea,
        Image: image,
        ContentClusterMap: cmap,
        Cluster: t.cluster,
        Site: t.site,
        Sector: t.sector,
    }


@pytest.mark.parametrize(
    "model", [Task, Content, ContentTaxonomy, ContentIdea, Image, ContentClusterMap, Cluster, Site, Sector]
)
def test_other_accounts_objects_are_not_found(tenant, other_tenant, model):
    theirs = _one_of_each(other_tenant)[model]
    ours = _one_of_each(tenant)[model]
    scope = tenant.scope(Role.ADMIN)
    assert get(scope, model, ours.id) is ours
    with pytest.raises(NotFound) as foreign:
        get(scope, model, theirs.id)
    with pytest.raises(NotFound) as missing:
        get(scope, model, 987654)
    assert type(foreign.value) is type(missing.value)
    assert foreign.value.message.replace(str(theirs.id), "N") == missing.value.message.replace("987654", "N")
    assert theirs.id not in [o.id for o in db.session.scalars(scoped(scope, model))]


def test_malformed_ids_are_not_found(tenant):
    with pytest.raises(NotFound):
        get(tenant.scope(), Task, "1 OR 1=1")


def test_soft_deleted_rows_are_hidden_unless_asked_for(tenant):
    from writer_app.models.base import utcnow

    task = make_task(tenant.cluster, deleted_at=utcnow())
    with pytest.raises(NotFound):
        get(tenant.scope(), Task, task.id)
    assert get(tenant.scope(), Task, task.id, include_deleted=True) is task


def test_content_is_read_with_what_its_page_shows_in_one_statement_and_once(tenant, other_tenant):
    from writer_app.models.base import utcnow
    from writer_app.services.content import get_content

    ours = make_content(tenant.cluster, "Ours")
    theirs = make_content(other_tenant.cluster, "Theirs")
    trashed = make_content(tenant.cluster, "Trashed", deleted_at=utcnow())
    db.session.commit()
    ids = (ours.id, theirs.id, trashed.id)
    names = (tenant.cluster.name, tenant.site.name, tenant.sector.name)
    scope = tenant.scope(Role.EDITOR)
    db.session.expunge_all()  # as a new request: nothing loaded yet
    with count_queries() as first:
        content = get_content(scope, ids[0])
        assert (content.cluster.name, content.site.name, content.sector.name) == names
        assert content.taxonomy_terms == []
    assert first.count == 2, first.statements  # the content with its relations, then its terms
    with count_queries() as again:
        assert get_content(scope, ids[0]) is content  # already in this request's session
    assert again.count == 0
    for other in ids[1:]:
        with pytest.raises(NotFound):
            get_content(scope, other)
    assert get_content(scope, ids[2], include_deleted=True).title == "Trashed"


def test_get_many_names_the_missing_ids(tenant, other_tenant):
    ours = make_task(tenant.cluster)
    theirs = make_task(other_tenant.cluster)
    with pytest.raises(NotFound) as error:
        get_many(tenant.scope(), Task, [ours.id, theirs.id])
    assert str(theirs.id) in error.value.message


def test_resolve_site_sector_validates_explicit_ids(tenant, other_tenant):
    scope = tenant.scope()
    assert resolve_site_sector(scope, tenant.site.id, tenant.sector.id) == (tenant.site, tenant.sector)
    with pytest.raises(ValidationError) as foreign:
        resolve_site_sector(scope, other_tenant.site.id, other_tenant.sector.id)
    assert "site_id" in foreign.value.fields
    other_sector = make_sector(make_site(tenant.account))
    with pytest.raises(ValidationError) as mismatch:
        resolve_site_sector(scope, tenant.site.id, other_sector.id)
    assert "does not belong" in mismatch.value.fields["sector_id"][0]


def test_resolve_site_sector_falls_back_to_the_working_context(tenant):
    scope = tenant.scope().with_context(tenant.site.id, tenant.sector.id)
    assert resolve_site_sector(scope) == (tenant.site, tenant.sector)
    with pytest.raises(ValidationError):
        resolve_site_sector(scope.with_context(None, None))
