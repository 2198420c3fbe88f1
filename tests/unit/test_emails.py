"""One email rule for the login form, sign-up, invitations and create-user."""

import pytest

from writer_app.services.errors import ValidationError
from writer_app.services.identity import accounts
from writer_app.services.identity.emails import clean_email, is_valid_email


@pytest.mark.parametrize(
    "address",
    ["a@a.test", "demo@example.com", "Ann.Lee+news@Example.COM", "ops@mail.example.org", "zoë@exämple.de"],
)
def test_reasonable_addresses_pass(address):
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "garbage",
        "a@b",
        "a b@example.com",
        "@example.com",
        "a@",
        "Ann <a@example.com>",
        "a@localhost",
        "a@printer.local",
        "a@nowhere.invalid",
        "a@[127.0.0.1]",
        "a@example.com\x00",
        "x" * 250 + "@example.com",
    ],
)
def test_garbage_is_refused(address):
    assert not is_valid_email(address)


def test_clean_email_normalizes_or_names_the_field():
    assert clean_email("  Ann@Example.TEST ") == "ann@example.test"
    with pytest.raises(ValidationError) as refused:
        clean_email("not an address")
    assert "email" in refused.value.fields


def test_create_user_uses_the_rule():
    assert accounts.create_user("a@a.test", "long-enough-1").email == "a@a.test"
    with pytest.raises(ValidationError):
        accounts.create_user("nobody@localhost", "long-enough-1")
