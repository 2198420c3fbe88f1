"""CSV import (preview, all-or-nothing) and export of the filtered task list."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from tests.support import factories
from writer_app.models import Task, TaskStatus, db

HX = {"HX-Request": "true"}

GOOD = """title,keywords,cluster,content_type,content_structure,word_count
Heat pump costs,"heat pump, cost",{cluster},post,guide,1500
Best solar inverters,inverter,{cluster_id},post,listicle,
"""


@pytest.fixture
def editor_client(client, tenant, login):
    return login(tenant.editor)


def _data(tenant, text, action="preview"):
    return {"site_id": tenant.site.id, "sector_id": tenant.sector.id, "text": text, "action": action}


def _count() -> int:
    return db.session.scalar(select(func.count(Task.id))) or 0


def test_import_page_renders(editor_client):
    response = editor_client.get("/tasks/import")
    assert response.status_code == 200 and "Import tasks from CSV" in response.get_data(as_text=True)


def test_preview_shows_rows_and_saves_nothing(editor_client, tenant):
    text = GOOD.format(cluster=tenant.cluster.name.upper(), cluster_id=tenant.cluster.id)
    response = editor_client.post("/tasks/import", data=_data(tenant, text))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ready to import" in body and "Import 2 tasks" in body
    assert "Heat pump costs" in body and "Best solar inverters" in body
    assert _count() == 0


def test_preview_lists_per_row_errors(editor_client, tenant):
    wind = factories.make_sector(tenant.site, "Wind")
    turbines = factories.make_cluster(wind, "Turbines")
    db.session.commit()
    text = (
        "Title,Keywords,Cluster,Content Type,Content Structure,Word Count\n"
        f"Fine row,a,{tenant.cluster.name},post,article,800\n"
        f"Wrong cluster,b,Nope,post,article,800\n"
        f"Other sector,c,{turbines.id},post,article,800\n"
        ",d,{tenant.cluster.name},poem,article,50\n"
    )
    response = editor_client.post("/tasks/import", data=_data(tenant, text), headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "3 rows with errors" in body
    assert "No cluster “Nope”" in body
    assert "belongs to sector “Wind”" in body
    assert "Give the task a title." in body and "Unknown content_type" in body and "between 100" in body
    assert "Import 4 tasks" not in body
    assert _count() == 0


def test_import_is_all_or_nothing(editor_client, tenant):
    text = GOOD.format(cluster=tenant.cluster.name, cluster_id=tenant.cluster.id) + (
        "Broken,x,No such cluster,post,article,900\n"
    )
    response = editor_client.post("/tasks/import", data=_data(tenant, text, action="import"))
    assert response.status_code == 422
    assert "nothing was imported" in response.get_data(as_text=True)
    assert _count() == 0


def test_import_creates_every_row(editor_client, tenant):
    text = GOOD.format(cluster=tenant.cluster.name, cluster_id=tenant.cluster.id)
    response = editor_client.post("/tasks/import", data=_data(tenant, text, action="import"))
    assert response.status_code == 303
    created = {t.title: t for t in db.session.scalars(select(Task))}
    assert set(created) == {"Heat pump costs", "Best solar inverters"}
    assert created["Heat pump costs"].keywords == "heat pump, cost"
    assert created["Heat pump costs"].word_count == 1500
    assert created["Best solar inverters"].word_count == 1000  # blank means the default
    assert all(t.sector_id == tenant.sector.id for t in created.values())
    assert "Imported 2 tasks." in editor_client.get(response.headers["Location"]).get_data(as_text=True)


def test_file_upload_and_file_errors(editor_client, tenant):
    text = GOOD.format(cluster=tenant.cluster.name, cluster_id=tenant.cluster.id)
    data = {
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "action": "preview",
        "file": (io.BytesIO(("\ufeff" + text).encode()), "tasks.csv"),
    }
    response = editor_client.post("/tasks/import", data=data, content_type="multipart/form-data")
    assert "Import 2 tasks" in response.get_data(as_text=True)
    bad = editor_client.post("/tasks/import", data=_data(tenant, "name,colour\nx,blue\n"))
    assert "Missing column(s): title, cluster, content_type, content_structure" in bad.get_data(as_text=True)
    empty = editor_client.post("/tasks/import", data=_data(tenant, ""))
    assert empty.status_code == 422 and "Choose a CSV file or paste CSV text." in empty.get_data(as_text=True)
    latin = {
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "file": (io.BytesIO("title\nCaf\xe9".encode("latin-1")), "t.csv"),
    }
    response = editor_client.post("/tasks/import", data=latin, content_type="multipart/form-data")
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)


def test_import_into_another_accounts_sector_is_a_field_error(editor_client, tenant, other_tenant):
    text = GOOD.format(cluster=other_tenant.cluster.name, cluster_id=other_tenant.cluster.id)
    data = {"site_id": other_tenant.site.id, "sector_id": other_tenant.sector.id, "text": text}
    response = editor_client.post("/tasks/import", data=data)
    assert response.status_code == 422 and "does not exist in this account" in response.get_data(as_text=True)
    assert _count() == 0


def test_viewer_cannot_import(client, tenant, login):
    login(tenant.viewer)
    assert client.get("/tasks/import").status_code == 403
    text = GOOD.format(cluster=tenant.cluster.name, cluster_id=tenant.cluster.id)
    assert client.post("/tasks/import", data=_data(tenant, text, action="import")).status_code == 403
    assert _count() == 0


def test_export_keeps_the_filters(client, tenant, login):
    factories.make_task(tenant.cluster, "Done task", status=TaskStatus.COMPLETED)
    factories.make_task(tenant.cluster, "=HYPERLINK(evil)", status=TaskStatus.COMPLETED)
    factories.make_task(tenant.cluster, "Queued task")
    db.session.commit()
    login(tenant.viewer)  # reading is enough to export
    page = client.get("/tasks/?status=completed&ordering=title", headers=HX).get_data(as_text=True)
    assert "/tasks/export.csv?status=completed&amp;ordering=title" in page
    response = client.get("/tasks/export.csv?status=completed&ordering=title&site_id=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["id", "title", "keywords", "cluster"]
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(evil)", "Done task"]  # formulas neutralised
    assert {r[7] for r in rows[1:]} == {"completed"}
    assert client.get("/tasks/export.csv?status=nope").status_code == 400


def test_export_streams_many_rows(client, tenant, login):
    for n in range(1200):
        db.session.add(
            Task(
                account_id=tenant.account.id,
                site_id=tenant.site.id,
                sector_id=tenant.sector.id,
                cluster_id=tenant.cluster.id,
                title=f"Row {n}",
                content_type="post",
                content_structure="article",
            )
        )
    db.session.commit()
    login(tenant.editor)
    response = client.get("/tasks/export.csv?site_id=all")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1201 and len({r[0] for r in rows[1:]}) == 1200  # batches neither skip nor repeat
