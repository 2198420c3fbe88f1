"""Every list endpoint: paging bounds, ordering both ways, unknown filter values, and a fixed number
of SQL queries whatever the number of rows (10 vs 500)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from tests.api.conftest import error_fields
from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import ContentTaxonomy, Image, ImageType, Role, TaxonomyType, db

_seq = itertools.count(1)  # unique names across calls


def _tasks(tenant: factories.Tenant, n: int) -> None:
    for i in range(n):
        factories.make_task(tenant.cluster, f"task {i:04d}")


def _content(tenant: factories.Tenant, n: int) -> None:
    terms = [
        ContentTaxonomy(
            account_id=tenant.account.id,
            site_id=tenant.site.id,
            name=f"Term {k} {(n_ := next(_seq))}",
            slug=f"term-{k}-{n_}",
            taxonomy_type=TaxonomyType.TAG if k % 2 else TaxonomyType.CATEGORY,
            metadata_={},
        )
        for k in range(3)
    ]
    db.session.add_all(terms)
    db.session.flush()
    for i in range(n):
        content = factories.make_content(tenant.cluster, f"content {i:04d}")
        db.session.execute(
            ContentTaxonomy.metadata.tables["writer_content_taxonomy_relations"]
            .insert()
            .values([{"content_id": content.id, "taxonomy_id": t.id} for t in terms])
        )
        db.session.add(
            Image(content_id=content.id, image_type=ImageType.FEATURED, account_id=content.account_id)
        )


def _images(tenant: factories.Tenant, n: int) -> None:
    content = factories.make_content(tenant.cluster, "with images")
    task = factories.make_task(tenant.cluster, "task with images")
    for i in range(n):
        owner = {"content_id": content.id} if i % 2 else {"task_id": task.id}
        db.session.add(Image(image_type=ImageType.IN_ARTICLE, position=i, **owner))


def _taxonomies(tenant: factories.Tenant, n: int) -> None:
    for _i in range(n):
        db.session.add(
            ContentTaxonomy(
                account_id=tenant.account.id,
                site_id=tenant.site.id,
                name=f"term {(n_ := next(_seq)):04d}",
                slug=f"term-{n_:04d}",
                taxonomy_type=TaxonomyType.TAG,
                metadata_={},
            )
        )


def _clusters(tenant: factories.Tenant, n: int) -> None:
    for _i in range(n - 1):  # the tenant already has one
        cluster = factories.make_cluster(tenant.sector, f"cluster {next(_seq):04d}")
        factories.make_task(cluster)


LISTS: dict[str, tuple[Callable[[factories.Tenant, int], None], str, str, dict[str, str]]] = {
    # url: (make n rows, ordering field, response field, an unknown filter value)
    "/writer/tasks/": (_tasks, "title", "title", {"content_structure": "poem"}),
    "/writer/content/": (_content, "title", "title", {"source": "fax"}),
    "/writer/images/": (_images, "position", "position", {"image_type": "gif"}),
    "/writer/taxonomies/": (_taxonomies, "name", "name", {"taxonomy_type": "label"}),
    "/planner/clusters/": (_clusters, "name", "name", {"sector_id": "first"}),
}


@pytest.mark.parametrize("url", LISTS)
def test_page_size_bounds(api, url):
    for size in (0, 101):
        response = api.get(url, query_string={"page_size": size})
        assert response.status_code == 400 and "page_size" in error_fields(response)
    assert api.get(url, query_string={"page_size": 100}).status_code == 200
    assert api.get(url, query_string={"page": 2}).status_code == 404  # after the last page


@pytest.mark.parametrize("url", LISTS)
def test_ordering_both_directions(api, tenant, url):
    make, field, key, _ = LISTS[url]
    make(tenant, 4)
    db.session.commit()
    values = {}
    for ordering in (field, f"-{field}"):
        response = api.get(url, query_string={"ordering": ordering, "page_size": 100})
        assert response.status_code == 200, response.get_json()
        values[ordering] = [row[key] for row in response.get_json()["results"]]
    assert len(values[field]) >= 4
    assert values[field] == sorted(values[field])
    assert values[f"-{field}"] == sorted(values[field], reverse=True)
    response = api.get(url, query_string={"ordering": "nonsense"})
    assert response.status_code == 400 and "ordering" in error_fields(response)


@pytest.mark.parametrize("url", LISTS)
def test_unknown_filter_values_name_the_field(api, url):
    _, _, _, bad = LISTS[url]
    response = api.get(url, query_string=bad)
    assert response.status_code == 400
    assert set(bad) <= set(error_fields(response))


@pytest.mark.parametrize("url", LISTS)
def test_fixed_number_of_queries(api, tenant, url):
    make = LISTS[url][0]
    token = api.token(Role.VIEWER)

    def queries_with(rows: int) -> int:
        make(tenant, rows)
        db.session.commit()
        db.session.expire_all()  # nothing cached: a per-row load would show as extra queries
        with count_queries() as counter:
            response = api.get(url, token=token, query_string={"page_size": 100})
        assert response.status_code == 200
        assert len(response.get_json()["results"]) >= min(rows, 100) - 1
        return counter.count

    small = queries_with(10)
    assert queries_with(490) == small
