"""plain_reads.among: the rows of a list of ids, read through an index on both databases."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from tests.support import factories
from writer_app.models import Content, db
from writer_app.services import plain_reads


def _among_content(tenant) -> tuple[list[int], object]:
    ids = [factories.make_content(tenant.cluster, f"Item {n}").id for n in range(4)]
    db.session.commit()
    stmt = (
        select(Content.id)
        .where(Content.account_id == bindparam("account"), plain_reads.among(Content.id))
        .order_by(Content.id)
    )
    return ids, stmt


def test_reads_the_rows_of_the_ids_given_at_each_execution(tenant):
    ids, stmt = _among_content(tenant)
    account = tenant.account.id
    assert list(db.session.scalars(stmt, {"account": account, "ids": ids[1:3]})) == ids[1:3]
    assert list(db.session.scalars(stmt, {"account": account, "ids": [ids[0], ids[0], 10**9]})) == [ids[0]]
    assert list(db.session.scalars(stmt, {"account": account, "ids": ids})) == ids
    assert list(db.session.scalars(stmt, {"account": account, "ids": []})) == []


def test_one_array_parameter_on_postgresql_and_an_indexed_in_on_sqlite(tenant):
    _ids, stmt = _among_content(tenant)
    sql = str(stmt.compile(db.engine))
    if db.engine.dialect.name == "postgresql":
        assert "writer_content.id = ANY (" in sql, sql
        return
    bound = stmt.params(account=tenant.account.id, ids=[1, 2])
    sql = str(bound.compile(db.engine, compile_kwargs={"literal_binds": True}))
    assert ") = 1" not in sql, sql  # `IN (...) = 1` is a condition no index serves
    connection = db.session.connection().connection.driver_connection
    plan = [row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]
    assert not any(step.startswith("SCAN writer_content") for step in plan), plan
