"""List statements are built once per inputs and process (services/statement_cache.py); the answers
they give are always today's data, and another account's or another filter's statement is another."""

from __future__ import annotations

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Role, db
from writer_app.services import content_list, statement_cache, task_list, tasks
from writer_app.services.content_list import ContentFilters
from writer_app.services.errors import ValidationError
from writer_app.services.tasks import TaskFilters


def _titles(page) -> list[str]:
    return sorted(t.title for t in page.items)


def test_the_same_inputs_reuse_the_statement_and_still_read_new_rows(tenant):
    scope = tenant.scope(Role.EDITOR)
    factories.make_task(tenant.cluster, "Solar one")
    db.session.commit()
    built = []
    original = task_list._statements

    def counting(*args, **kwargs):
        built.append(args)
        return original(*args, **kwargs)

    statement_cache._kept.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("writer_app.services.task_list._statements", counting)
        assert _titles(tasks.list_tasks(scope, TaskFilters(search="solar"))) == ["Solar one"]
        factories.make_task(tenant.cluster, "Solar two")
        db.session.commit()
        # Built once, and the write shows at once: only the statement is kept, never rows.
        assert _titles(tasks.list_tasks(scope, TaskFilters(search="solar"))) == ["Solar one", "Solar two"]
        assert len(built) == 1
        tasks.list_tasks(scope, TaskFilters(search="solar", status="queued"))
        assert len(built) == 2


def test_another_account_never_gets_a_statement_built_for_this_one(tenant, other_tenant):
    factories.make_content(tenant.cluster, "Ours")
    factories.make_content(other_tenant.cluster, "Theirs")
    db.session.commit()
    ours = content_list.list_content(tenant.scope(Role.EDITOR), ContentFilters(all_sites=True))
    theirs = content_list.list_content(other_tenant.scope(Role.EDITOR), ContentFilters(all_sites=True))
    assert [c.title for c in ours.items] == ["Ours"]
    assert [c.title for c in theirs.items] == ["Theirs"]


def test_invalid_filters_keep_nothing_and_the_oldest_statement_goes_first(tenant, monkeypatch):
    scope = tenant.scope(Role.EDITOR)
    statement_cache._kept.clear()
    with pytest.raises(ValidationError):
        tasks.list_tasks(scope, TaskFilters(status="nonsense"))
    assert not statement_cache._kept
    monkeypatch.setattr(statement_cache, "MAX_KEPT", 2)
    for term in ("a", "b", "c"):
        tasks.list_tasks(scope, TaskFilters(search=term))
    kept_searches = [key[1][-1] for key in statement_cache._kept if key[1][0] == "tasks"]
    assert len(statement_cache._kept) == 2
    assert "search='a'" not in " ".join(kept_searches)


def test_a_page_writes_its_limit_and_offset_into_the_sql(tenant):
    # PostgreSQL keeps one plan for a prepared statement only when it knows how many rows LIMIT keeps.
    for n in range(4):
        factories.make_content(tenant.cluster, f"Piece {n}")
    db.session.commit()
    with count_queries() as queries:
        page = content_list.list_content(tenant.scope(Role.EDITOR), ContentFilters(ordering="title"), 2, 3)
    assert [c.title for c in page.items] == ["Piece 3"]
    assert any("LIMIT 3 OFFSET 3" in " ".join(s.split()) for s in queries.statements)
