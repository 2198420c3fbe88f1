"""`set-operator`, and `create-user` under the one email rule."""

from writer_app.models import db
from writer_app.services.identity import accounts


def test_set_operator_turns_the_flag_on_and_off(app, tenant):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["writer", "set-operator", tenant.editor.email, "on"])
    assert result.exit_code == 0, result.output
    assert "is now an operator" in result.output
    db.session.expire_all()
    assert tenant.editor.is_operator
    result = runner.invoke(args=["writer", "set-operator", tenant.editor.email.upper(), "off"])
    assert result.exit_code == 0 and "no longer an operator" in result.output
    db.session.expire_all()
    assert not tenant.editor.is_operator


def test_set_operator_names_an_unknown_user(app):
    result = app.test_cli_runner().invoke(args=["writer", "set-operator", "nobody@example.com", "on"])
    assert result.exit_code != 0 and "No user with email nobody@example.com" in result.output


def test_set_operator_takes_only_on_or_off(app, tenant):
    result = app.test_cli_runner().invoke(args=["writer", "set-operator", tenant.editor.email, "yes"])
    assert result.exit_code != 0
    db.session.expire_all()
    assert not tenant.editor.is_operator


def _create_user(app, email):
    return app.test_cli_runner().invoke(
        args=["writer", "create-user", email, "--password", "long-enough-1", "--account", "Night Desk"]
    )


def test_create_user_accepts_what_the_login_form_accepts(app, client):
    assert _create_user(app, "a@a.test").exit_code == 0
    response = client.post("/login", data={"email": "a@a.test", "password": "long-enough-1"})
    assert response.status_code == 303


def test_create_user_refuses_what_the_login_form_refuses(app):
    result = _create_user(app, "ops@localhost")
    assert result.exit_code != 0 and "Enter a valid email address" in result.output
    assert accounts.find_user("ops@localhost") is None
