"""`flask writer ...` commands for operators."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from writer_app.config import masked
from writer_app.models import Role, db
from writer_app.services import credits
from writer_app.services.errors import DomainError
from writer_app.services.identity import accounts, tokens
from writer_app.services.scope import Scope

writer_cli = AppGroup("writer", help="Writer administration.")


def _account_or_fail(name_or_slug: str):
    account = accounts.find_account(name_or_slug)
    if account is None:
        raise click.ClickException(f"No account named “{name_or_slug}”.")
    return account


def _run(action):
    """Run a service action as one unit of work; domain errors become clean CLI errors."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    return result


@writer_cli.command("demo")
def demo_command() -> None:
    """Load the demo data (idempotent) and print the demo login."""
    from writer_app.services.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo

    summary = _run(load_demo)
    click.echo(f"Demo data ready: {summary}")
    click.echo(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")


@writer_cli.command("create-user")
@click.argument("email")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--account", "account_name", required=True, help="Account name or slug (created if new).")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.EDITOR.value)
@click.option("--name", default="")
def create_user_command(email: str, password: str, account_name: str, role: str, name: str) -> None:
    """Create a user (or add an existing one) in an account, creating the account when new."""

    def action():
        account = accounts.find_account(account_name) or accounts.create_account(account_name)
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(email, password, name)
        if any(m.account_id == account.id for m in user.memberships):
            raise DomainError(f"{user.email} is already a member of {account.name}.")
        accounts.add_membership(user, account, Role(role))
        user.current_account_id = user.current_account_id or account.id
        return user, account

    user, account = _run(action)
    click.echo(f"{user.email} is {role} in “{account.name}” ({account.slug}).")


@writer_cli.command("create-token")
@click.argument("email")
@click.option("--account", "account_name", required=True, help="Account name or slug.")
@click.option("--name", default="cli", help="A name to recognise the token by.")
def create_token_command(email: str, account_name: str, name: str) -> None:
    """Create an API token and print it (shown only this once)."""
    account = _account_or_fail(account_name)
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    _, raw = _run(lambda: tokens.create_token(user, account.id, name))
    click.echo(raw)


# ignore_unknown_options: "-5" is the amount, not an option click does not know.
@writer_cli.command("grant-credits", context_settings={"ignore_unknown_options": True})
@click.argument("account_name")
@click.argument("amount", type=int)
@click.option("--note", default="granted from the command line")
def grant_credits_command(account_name: str, amount: int, note: str) -> None:
    """Add (or remove, with a negative AMOUNT such as -5) AI credits, on the ledger. A removal that would
    take the balance below zero is refused."""
    account = _account_or_fail(account_name)
    scope = Scope(account.id, Role.ADMIN)
    entry = _run(lambda: credits.grant(scope, amount, note, refuse_overdraw=True))
    click.echo(f"{account.name}: balance {entry.balance_after} credits")


@writer_cli.command("set-user-active")
@click.argument("email")
@click.argument("state", type=click.Choice(["active", "inactive"]))
def set_user_active_command(email: str, state: str) -> None:
    """Activate or deactivate a user (inactive users cannot log in; their tokens stop working)."""
    user = _run(lambda: accounts.set_user_active(email, state == "active"))
    click.echo(f"{user.email} is now {state}.")


@writer_cli.command("set-operator")
@click.argument("email")
@click.argument("state", type=click.Choice(["on", "off"]))
def set_operator_command(email: str, state: str) -> None:
    """Make a user an operator (adds credits to any account at /operator/credits) or take it back."""
    user = _run(lambda: accounts.set_operator(email, state == "on"))
    click.echo(f"{user.email} is {'now' if user.is_operator else 'no longer'} an operator.")


@writer_cli.command("check-config")
def check_config_command() -> None:
    """Print the effective configuration, secrets masked."""
    click.echo(json.dumps(masked(dict(current_app.config)), indent=2, default=str))


class MigrationsGroup(click.Group):
    """`flask db …`: Flask-Migrate's own command group, imported when it is invoked.

    Flask-Migrate brings alembic, mako and pygments (~11 MB a process); the web and job processes that
    build the same app never run a migration, so they never load it. Click builds the context of a
    subcommand with `make_context`: handing back the real group's context runs the real group."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra
    ):
        from flask.cli import ScriptInfo
        from flask_migrate.cli import db as migrate_commands

        from writer_app import init_migrations

        root = parent.find_root() if parent is not None else None
        if root is not None:
            init_migrations(root.ensure_object(ScriptInfo).load_app())
        return migrate_commands.make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    # Importing adds their commands to writer_cli: the worker commands, wp-connect.
    from writer_app import cli_jobs, cli_wordpress  # noqa: F401

    app.cli.add_command(writer_cli)
    app.cli.add_command(MigrationsGroup("db", help="Database migrations (Flask-Migrate)."))
