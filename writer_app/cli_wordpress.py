"""`flask writer wp-connect SITE --url URL --username USER --app-password PASSWORD`: connect a site to
WordPress from the command line (the password is stored encrypted) and print the connection test."""

from __future__ import annotations

import click

from writer_app.cli import writer_cli
from writer_app.models import Role, db
from writer_app.services.errors import DomainError
from writer_app.services.scope import Scope
from writer_app.services.wordpress import sites as wordpress_sites


@writer_cli.command("wp-connect")
@click.argument("site")
@click.option("--url", required=True, help="The WordPress site's address, e.g. https://example.com.")
@click.option("--username", required=True, help="The WordPress user Writer publishes as.")
@click.option("--app-password", required=True, help="An application password of that user.")
@click.option("--account", "account_id", type=int, default=None, help="Account id, when site names repeat.")
def wp_connect_command(site: str, url: str, username: str, app_password: str, account_id: int | None) -> None:
    """Store SITE's (id or name) WordPress connection, then test it; exits 1 when the test fails."""
    try:
        found = wordpress_sites.find_site(site, account_id)
        scope = Scope(found.account_id, Role.ADMIN)
        wordpress_sites.save_connection(
            scope, found.id, url=url, username=username, app_password=app_password
        )
        db.session.commit()
        report = wordpress_sites.test_site_connection(scope, found.id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(
        f"Saved the WordPress connection of “{found.name}” (site {found.id}): {found.wp_url} as {username}."
    )
    for problem in report.problems:
        click.echo(f"  ✗ {problem}")
    click.echo(("OK: " if report.ok else "FAILED: ") + report.summary())
    if not report.ok:
        raise SystemExit(1)
