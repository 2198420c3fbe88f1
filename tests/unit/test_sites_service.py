"""Sites service: the site menu the layout's switcher and the lists' filters show."""

from __future__ import annotations

from tests.support import factories
from writer_app.services import sites
from writer_app.services.sites import MenuSector, MenuSite


def test_the_menu_lists_the_accounts_sites_and_sectors_by_name(tenant, other_tenant):
    zoo = factories.make_site(tenant.account, "Zoo")
    bare = factories.make_site(tenant.account, "Almanac")  # no sectors yet: still listed
    walruses = factories.make_sector(zoo, "Walruses")
    apes = factories.make_sector(zoo, "Apes")

    menu = sites.site_menu(tenant.scope())

    assert [site.name for site in menu] == sorted([tenant.site.name, "Zoo", "Almanac"])
    by_id = {site.id: site for site in menu}
    assert by_id[zoo.id] == MenuSite(
        zoo.id, "Zoo", [MenuSector(apes.id, "Apes"), MenuSector(walruses.id, "Walruses")]
    )
    assert by_id[bare.id].sectors == []
    assert by_id[tenant.site.id].sectors == [MenuSector(tenant.sector.id, tenant.sector.name)]
    assert other_tenant.site.id not in by_id


def test_the_menu_holds_what_list_sites_holds(tenant):
    factories.make_sector(factories.make_site(tenant.account, "Second"), "Only")
    scope = tenant.scope()
    full = [(s.id, s.name, [(x.id, x.name) for x in s.sectors]) for s in sites.list_sites(scope)]
    assert [(s.id, s.name, [tuple(x) for x in s.sectors]) for s in sites.site_menu(scope)] == full
