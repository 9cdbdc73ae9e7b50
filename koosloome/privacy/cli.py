"""``flask --app koosloome privacy purge``: enforce the retention periods (run it daily)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.privacy.services import RetentionPolicy, purge

privacy_cli = AppGroup("privacy", help="Personal-data retention.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be purged; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Delete health data and anonymise registrations whose retention period has ended."""
    policy = RetentionPolicy.from_config(current_app.config)
    with write_intent():
        result = purge(utcnow(), policy)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    prefix = "Would purge" if dry_run else "Purged"
    click.echo(
        f"{prefix}: health data of {result.health_purged_total} registration(s) "
        f"({policy.health_days} days after the event), "
        f"{result.emails_deleted_total} sent e-mail(s); "
        f"anonymised {result.anonymised_total} registration(s) "
        f"({policy.personal_months} months after the event); "
        f"travel details of {result.travel_deleted_total} traveller(s) "
        f"({policy.travel_days} days after the trip); "
        f"{sum(result.files_deleted.values())} photo(s) and signed attendance sheet(s) "
        f"({policy.personal_months} months after the event)."
    )
