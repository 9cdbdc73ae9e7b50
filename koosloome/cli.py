"""``flask --app koosloome …`` commands: users, tokens, demo data, translations."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from koosloome.accounts.models import Role
from koosloome.accounts.services import (
    EmailTaken,
    UnknownOrganisation,
    WeakPassword,
    create_api_token,
    create_user,
    user_by_email,
)
from koosloome.db import write_intent
from koosloome.extensions import db
from koosloome.maintenance_cli import maintenance_commands
from koosloome.messaging.cli import init_mail_commands
from koosloome.reminders_cli import init_reminder_commands

users_cli = AppGroup("users", help="Manage staff accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
demo_cli = AppGroup("demo", help="Demo data.")
translate_cli = AppGroup("translate", help="Translation catalogues (Estonian, English).")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name shown to colleagues.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="Role."
)
@click.option("--organisation", "organisation", required=True, help="Organisation slug (vpk, tas).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given.",
)
def create_user_command(email: str, name: str, role: str, organisation: str, password: str) -> None:
    """Create a staff user."""
    try:
        with write_intent():
            user = create_user(email, name, Role(role), organisation, password)
            db.session.commit()
    except UnknownOrganisation as exc:
        db.session.rollback()
        raise click.ClickException(f"No organisation with the slug {exc}.") from exc
    except EmailTaken as exc:
        db.session.rollback()
        raise click.ClickException(f"A user with the e-mail {exc} exists already.") from exc
    except WeakPassword as exc:
        db.session.rollback()
        raise click.ClickException(exc.reason) from exc
    click.echo(f"Created {user.role.value} {user.email} ({user.organisation.slug}).")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--label", default="", help="What the token is for.")
def create_token_command(email: str, label: str) -> None:
    """Create an API token for a user and print the token alone on stdout."""
    with write_intent():
        user = user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with the e-mail {email}.")
        token = create_api_token(user, label)
        db.session.commit()
    click.echo(token)


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no events yet.")
@click.option("--force", is_flag=True, help="Load even where BASE_URL is https (a demo server).")
def demo_load_command(if_empty: bool, force: bool) -> None:
    """Load realistic demo data (idempotent) and print the demo accounts' logins."""
    from koosloome.demo import (
        database_is_empty,
        existing_demo_logins,
        load_demo,
        looks_like_production,
    )

    if looks_like_production(current_app.config["BASE_URL"]) and not force:
        raise click.ClickException(
            "BASE_URL is https: this looks like a real instance, and demo data would put "
            "made-up people and printed logins on it. Use --force on a demo server.")
    with write_intent():
        if if_empty and not database_is_empty():
            click.echo("The database has events already; demo data not loaded.")
            _echo_logins(existing_demo_logins(current_app.instance_path))
            return
        result = load_demo(current_app.instance_path, current_app.config["TIMEZONE"])
        db.session.commit()
    click.echo(f"Demo data: {result.created} new item(s).")
    _echo_logins(result.logins)


def _echo_logins(logins: Iterable[Any]) -> None:
    for login in logins:
        click.echo(f"Demo {login.role.value}: {login.email} / password: {login.password}")


@translate_cli.command("update")
def translate_update_command() -> None:
    """Extract messages and update both catalogues (English filled from the source)."""
    from koosloome.translation_tools import update_catalogues

    update_catalogues()


@translate_cli.command("compile")
def translate_compile_command() -> None:
    """Compile the catalogues to .mo files; fails on untranslated or fuzzy messages."""
    from koosloome.translation_tools import compile_catalogues

    problems = compile_catalogues()
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        sys.exit(1)


def init_commands(app: Flask) -> None:
    """Register the command groups on ``app``."""
    for group in (users_cli, tokens_cli, demo_cli, translate_cli, *maintenance_commands()):
        app.cli.add_command(group)
    init_mail_commands(app)
    init_reminder_commands(app)
