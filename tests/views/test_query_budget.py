"""List pages stay within 8 SQL statements per request (layout included), whatever their rows."""

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import db

LIST_PAGES = ["/tasks/?page_size=50", "/content/?page_size=50", "/images/", "/taxonomies/", "/clusters/", "/"]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_run_at_most_eight_statements(client, tenant, login, url):
    for n in range(12):
        factories.make_task(tenant.cluster)
        factories.make_content(tenant.cluster, f"Article {n}")
    db.session.commit()
    login(tenant.editor)
    client.get(url)  # warm the session and the login
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert queries.count <= 8, "\n".join(queries.statements)


def test_review_page_loads_each_thing_once(client, tenant, login):
    content = factories.make_content(tenant.cluster, "Solar roofs")
    db.session.commit()
    login(tenant.editor)
    url = f"/content/{content.id}"
    client.get(url)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries.statements) == len(set(queries.statements)), "\n".join(queries.statements)
