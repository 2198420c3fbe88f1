"""List search: a case-insensitive substring of the searched columns, through an index on both databases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import or_, select, text

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Content, Role, Task, db
from writer_app.services import content_list, content_summaries, pagination, statement_cache, task_list
from writer_app.services.content_list import ContentFilters
from writer_app.services.search import contains_text
from writer_app.services.tasks import TaskFilters


def _titles(model, term: str) -> list[str]:
    stmt = select(model.title).where(contains_text(model, term)).order_by(model.title)
    return list(db.session.scalars(stmt))


@pytest.fixture
def tasks(tenant):
    cluster = tenant.cluster
    factories.make_task(cluster, "Garden tools for spring", keywords="spade, soil")
    factories.make_task(cluster, "Kitchen ideas", keywords="herb gardening, pots")
    factories.make_task(cluster, "100% natural_soap", keywords="")
    factories.make_task(cluster, 'The "quoted" word', keywords="")
    factories.make_task(cluster, "Ab", keywords="")
    db.session.commit()
    return tenant


def test_matches_part_of_a_word_in_title_or_keywords_ignoring_case(tasks):
    assert _titles(Task, "GARDEN") == ["Garden tools for spring", "Kitchen ideas"]
    assert _titles(Task, "spad") == ["Garden tools for spring"]
    assert _titles(Task, "tools for") == ["Garden tools for spring"]
    assert _titles(Task, "nowhere") == []


def test_wildcards_and_quotes_are_plain_characters(tasks):
    assert _titles(Task, "0% n") == ["100% natural_soap"]
    assert _titles(Task, "l_s") == ["100% natural_soap"]
    assert _titles(Task, "%") == ["100% natural_soap"]
    assert _titles(Task, '"quoted"') == ['The "quoted" word']


def test_short_terms_still_match(tasks):
    assert _titles(Task, "ab") == ["Ab"]


def test_edits_and_deletes_are_searched_as_they_are_now(tasks):
    task = db.session.scalars(select(Task).where(Task.title == "Kitchen ideas")).one()
    task.title, task.keywords = "Balcony plants", "pots"
    db.session.commit()
    assert _titles(Task, "garden") == ["Garden tools for spring"]
    assert _titles(Task, "balcony") == ["Balcony plants"]
    db.session.delete(task)
    db.session.commit()
    assert _titles(Task, "balcony") == []


def test_content_titles_are_searched_too(tenant):
    factories.make_content(tenant.cluster, "Solar roofs explained")
    db.session.commit()
    assert _titles(Content, "ROOFS") == ["Solar roofs explained"]


def test_a_term_never_matches_across_title_and_keywords(tasks):
    # "Garden tools for spring" / "spade, soil": the end of one and the start of the other
    assert _titles(Task, "springspade") == []
    assert _titles(Task, "spring spade") == []


def test_search_goes_through_an_index(tasks):
    stmt = select(Task.id).where(contains_text(Task, "garden"))
    compiled = stmt.compile(db.engine)
    connection = db.session.connection().connection.driver_connection
    if db.engine.dialect.name == "postgresql":
        # The lowered search text of migration 0019 and its trigram index (bench/ checks the plans at scale).
        assert "writer_tasks.search_text LIKE" in str(compiled)
        connection.execute("SET LOCAL enable_seqscan = off")  # 5 rows: a scan would be cheaper
        plan = connection.execute(f"EXPLAIN {compiled}", compiled.params).fetchall()
        assert any("ix_writer_tasks_search_trgm" in row[0] for row in plan), plan
        return
    plan = connection.execute(f"EXPLAIN QUERY PLAN {compiled}", list(compiled.params.values())).fetchall()
    steps = [row[-1] for row in plan]
    assert "SEARCH writer_tasks USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps  # no scan of the tasks
    assert any(s.startswith("SCAN writer_tasks_search VIRTUAL TABLE INDEX") for s in steps), steps


# Letters whose case PostgreSQL folds beyond ASCII, LIKE's wildcards and the escape character.
SEARCH_ALPHABET = "aAbBäÄßsSéÉ %_/-"


def test_postgres_search_finds_what_ilike_finds(tenant):
    """The lowered search text answers exactly as `title ILIKE '%t%' OR keywords ILIKE '%t%'`."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the SQLite search is the FTS5 table (tests above)")
    words = ["aÄb", "ÄÄ ß", "50% s_é", "a/b", "SS-É", "bä", ""]
    for i, title in enumerate(words):
        factories.make_task(tenant.cluster, title or "x", keywords=words[-1 - i])
        factories.make_content(tenant.cluster, title or "x")
    db.session.commit()

    @settings(max_examples=150, deadline=None)
    @given(st.text(SEARCH_ALPHABET, min_size=1, max_size=5))
    def same_rows(term: str) -> None:
        for model, columns in ((Task, (Task.title, Task.keywords)), (Content, (Content.title,))):
            ilike = or_(*(column.icontains(term, autoescape=True) for column in columns))
            expected = set(db.session.scalars(select(model.id).where(ilike)))
            assert set(db.session.scalars(select(model.id).where(contains_text(model, term)))) == expected

    same_rows()


@pytest.mark.parametrize(
    ("name", "listing"),
    [("tasks", "task"), ("content", "content"), ("content summaries", "content")],
)
def test_a_search_with_many_matches_reads_the_same_page_another_way(
    tenant, app, redis_url, monkeypatch, name, listing
):
    make = factories.make_task if listing == "task" else factories.make_content
    for n in range(7):
        make(tenant.cluster, f"Garden plan {n}")
    make(tenant.cluster, "Kitchen plan")
    db.session.commit()
    scope = tenant.scope(Role.EDITOR)
    read = {
        "tasks": lambda: task_list.list_tasks(scope, TaskFilters(search="garden", ordering="title"), 2, 3),
        "content": lambda: content_list.list_content(
            scope, ContentFilters(search="garden", ordering="title"), 2, 3
        ),
        "content summaries": lambda: content_summaries.list_summaries(
            scope, ContentFilters(search="garden", ordering="title"), 2, 3
        ),
    }[name]

    def page() -> tuple[list[str], int, list[str]]:
        statement_cache._kept.clear()
        with count_queries() as queries:
            result = read()
        titles = [item["title"] if isinstance(item, dict) else item.title for item in result.items]
        return titles, result.total, queries.statements

    sqlite = db.engine.dialect.name == "sqlite"
    counted = page()  # the total is not cached yet
    monkeypatch.setattr(pagination, "MANY_MATCHES", 5)  # 7 matches are "many" now
    many = page()  # the total comes from the count cache
    app.config["REDIS_URL"] = ""
    uncached = page()  # without Redis every total is counted
    assert counted[:2] == many[:2] == uncached[:2] == (["Garden plan 3", "Garden plan 4", "Garden plan 5"], 7)
    if sqlite:
        # The search's page and total in one statement: no separate count over the matches...
        for _, _, statements in (counted, uncached):
            assert not any(s.startswith("SELECT count(*)") for s in statements), statements
            assert any("count(*) OVER ()" in s for s in statements), statements
        # ...and with the total known, many matches walk the list's order instead of the matches.
        assert any(".id + " in s and "ORDER BY" in s for s in many[2])


@pytest.mark.parametrize("listing", ["task", "content"])
def test_a_search_counted_with_its_page_knows_its_total_past_the_last_page(tenant, listing):
    make = factories.make_task if listing == "task" else factories.make_content
    for n in range(4):
        make(tenant.cluster, f"Garden plan {n}")
    db.session.commit()
    scope = tenant.scope(Role.EDITOR)
    for page_number, size, titles in ((2, 3, ["Garden plan 3"]), (3, 3, []), (1, 5, None), (1, 1, None)):
        if listing == "task":
            result = task_list.list_tasks(
                scope, TaskFilters(search="garden", ordering="title"), page_number, size
            )
        else:
            result = content_list.list_content(
                scope, ContentFilters(search="garden", ordering="title"), page_number, size
            )
        assert result.total == 4 and result.total_is_exact
        if titles is not None:
            assert [item.title for item in result.items] == titles
    nothing = task_list.list_tasks(scope, TaskFilters(search="balcony"), 1, 5)
    assert (nothing.items, nothing.total) == ([], 0)


def test_searches_are_planned_for_their_term_on_postgresql(tasks):
    """psycopg prepares a statement on its fifth run and PostgreSQL may then keep one generic plan for
    every term; searches run unprepared instead (models/connections.py). Other statements stay prepared."""
    scope = tasks.scope(Role.EDITOR)
    for _ in range(7):
        page = task_list.list_tasks(scope, TaskFilters(search="garden"), 1, 25)
        assert [t.title for t in page.items] == ["Kitchen ideas", "Garden tools for spring"]
        assert db.session.get(Task, page.items[0].id) is not None
        db.session.expire_all()
    if db.engine.dialect.name != "postgresql":
        return
    prepared = list(
        db.session.execute(select(text("statement")).select_from(text("pg_prepared_statements"))).scalars()
    )
    assert prepared, "psycopg prepares statements run five times"
    assert not [s for s in prepared if "search_text" in s], prepared
