"""The mail tests' real SMTP server, for the announcements' delivered messages."""

from tests.mail.conftest import smtp_server  # noqa: F401  (a fixture, used by name)
