"""Sending email through an SMTP server (the standard library's smtplib): the only code that talks SMTP.

    SMTP_URL  smtp://user:pass@host:587   STARTTLS (required whenever a user name is given)
              smtps://user:pass@host:465  TLS from the first byte
A leaf like every integration: it knows SMTP URLs and messages, nothing about notifications.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailConfigError(ValueError):
    """SMTP_URL cannot be used; the message says why."""


class MailError(Exception):
    """The server did not take the message. `transient`: worth trying again later (connection
    refused, timeout, a 4xx answer); otherwise it will not work by retrying (5xx, bad login)."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    username: str = ""
    password: str = ""
    timeout: float = 10.0


def parse_smtp_url(url: str, *, timeout: float = 10.0) -> SmtpSettings:
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise MailConfigError("SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (TLS).")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise MailConfigError(f"SMTP_URL has an invalid port: {exc}") from None
    if not parts.hostname:
        raise MailConfigError("SMTP_URL names no host.")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        implicit_tls=parts.scheme == "smtps",
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def build_message(*, sender: str, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject.replace("\n", " ").replace("\r", " ")[:250]
    message["Message-ID"] = make_msgid(domain="writer")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def address(name: str, email: str) -> str:
    return formataddr((name, email)) if name else email


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver one message, or raise MailError (transient or not)."""
    context = ssl.create_default_context()
    try:
        if settings.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if not settings.implicit_tls:
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                elif settings.username:
                    # Never send a password in clear text.
                    raise MailError(
                        "The SMTP server does not offer STARTTLS, so the login was not sent; "
                        "use smtps:// or a server with STARTTLS.",
                        transient=False,
                    )
            if settings.username:
                client.login(settings.username, settings.password)
            client.send_message(message)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"The SMTP server refused the login ({exc.smtp_code}).", transient=False) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        transient = all(400 <= code < 500 for code in codes)
        raise MailError(f"The SMTP server refused the recipient ({codes}).", transient=transient) from exc
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        raise MailError(
            f"The SMTP server answered {exc.smtp_code}: {str(text)[:200]}", transient=exc.smtp_code < 500
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:  # refused, timeout, TLS, disconnected
        raise MailError(
            f"Could not reach the SMTP server {settings.host}:{settings.port} ({type(exc).__name__}: {exc}).",
            transient=True,
        ) from exc
