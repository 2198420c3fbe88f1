"""What a failed job tells its user: plain words, never the database's SQL and values."""

from sqlalchemy.exc import DataError

from writer_app.jobs.ai import _message


def test_a_database_error_is_told_plainly_without_sql() -> None:
    error = DataError(
        "INSERT INTO writer_content (title) VALUES (%(title)s)",
        {"title": "secret draft"},
        Exception("value too long for type character varying(255)"),
    )
    message = _message(error)
    assert "database refused a value" in message
    for leaked in ("INSERT", "[SQL", "secret draft", "varying"):
        assert leaked not in message


def test_other_unexpected_errors_name_their_kind() -> None:
    assert _message(KeyError("html")) == "The job failed unexpectedly (KeyError: 'html')."
