"""The content list's rows (read as plain rows, issue 18) show what the content itself holds."""

from __future__ import annotations

import re

from tests.support import factories
from writer_app.models import ContentTaxonomy, ContentTaxonomyRelation, TaxonomyType, db


def test_a_row_shows_names_terms_in_order_and_the_last_editor(client, login, tenant):
    content = factories.make_content(tenant.cluster, "Heat pumps", last_edited_by_id=tenant.editor.id)
    for name in ("Zeta", "Alpha", "Mid"):
        term = ContentTaxonomy(
            account_id=tenant.account.id,
            site_id=tenant.site.id,
            name=name,
            slug=name.lower(),
            taxonomy_type=TaxonomyType.TAG,
        )
        db.session.add(term)
        db.session.flush()
        db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=term.id))
    factories.make_content(tenant.cluster, "Boilers", ai_model="offline")
    db.session.commit()
    login(tenant.viewer)
    html = client.get("/content/").get_data(as_text=True)
    row = re.search(rf'<tr>\s*<td class="title-cell">\s*<a href="/content/{content.id}".*?</tr>', html, re.S)
    assert row, html
    cells = row.group(0)
    assert re.findall(r'<span class="tag">([^<]+)</span>', cells) == ["Alpha", "Mid", "Zeta"]
    assert f"{tenant.site.name} · {tenant.sector.name}" in cells and tenant.cluster.name in cells
    assert f"by {tenant.editor.display_name}" in cells
    assert "offline draft" not in cells and html.count("offline draft") == 1
