"""``flask --app koosloome files sweep``: remove what a crash or an SQL delete left behind
(run it daily, beside ``privacy purge``)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.files.services import sweep_orphans

files_cli = AppGroup("files", help="Uploaded files.")


@files_cli.command("sweep")
@click.option("--min-age", default=60, show_default=True, type=click.IntRange(min=1),
              help="Minutes an orphan must be old (an upload in progress is younger).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
def sweep_command(min_age: int, dry_run: bool) -> None:
    """Delete files no owner points to, and bytes in storage that no file row names."""
    with write_intent():
        result = sweep_orphans(utcnow(), timedelta(minutes=min_age), dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    prefix = "Would remove" if dry_run else "Removed"
    click.echo(f"{prefix}: {result.rows} file(s) that nothing owns; "
               f"{result.bytes_without_row} stored object(s) without a file row.")
