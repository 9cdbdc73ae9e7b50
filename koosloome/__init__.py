"""Koosloome: events, accessible registration and co-creation idea boards."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from koosloome.db import begin_write_intent, configure_sqlite, end_write_intent
from koosloome.extensions import babel, csrf, db, limiter, login_manager, migrate
from koosloome.settings import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(config: Mapping[str, Any] | type | None = None) -> Flask:
    """Build a Koosloome application; ``config`` overrides the defaults and the environment."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
    )
    load_config(app, config)
    register_logging(app)
    register_url_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_erasure_hooks()
    register_unit_of_work(app)
    register_request_hooks(app)
    register_shortcuts(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_erasure_hooks() -> None:
    """What other domains drop when a person erases a registration (registrations cannot
    import them: they sit above it)."""
    from koosloome.announcements.services import forget_registrations_address
    from koosloome.registrations.personal_data import ERASURE_HOOKS

    if forget_registrations_address not in ERASURE_HOOKS:
        ERASURE_HOOKS.append(forget_registrations_address)


def register_logging(app: Flask) -> None:
    """No secret token of a manage or reset link in any request log (dev server, gunicorn)."""
    from koosloome.log_redaction import install_log_redaction

    install_log_redaction(app)


def register_url_converters(app: Flask) -> None:
    """``<int:…>`` never hands the database a number its ids cannot hold."""
    from koosloome.urls import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    """Bind the extension objects of ``koosloome.extensions`` to this app."""
    from koosloome import models  # noqa: F401  (every model on the metadata, for Alembic)
    from koosloome.accounts.auth import init_login

    # Imported here by another name: the submodule koosloome.mail would shadow it as a package
    # attribute once imported.
    from koosloome.extensions import mail as mail_extension
    from koosloome.files.uploads import init_files
    from koosloome.i18n import init_i18n
    from koosloome.site.display import init_display
    from koosloome.templating import init_templating

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    init_login(login_manager)
    mail_extension.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app, babel)
    init_templating(app)
    init_display(app)
    init_files(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per domain."""
    from koosloome.accounts.routes import bp as accounts_bp
    from koosloome.accounts.user_routes import bp as users_bp
    from koosloome.admin.routes import bp as admin_bp
    from koosloome.announcements.api import bp as announcements_api_bp
    from koosloome.announcements.routes import bp as announcements_bp
    from koosloome.api.routes import bp as api_bp
    from koosloome.arrangements.api import bp as arrangements_api_bp
    from koosloome.arrangements.routes import bp as arrangements_bp
    from koosloome.boards.api import bp as boards_api_bp
    from koosloome.boards.routes import bp as boards_bp
    from koosloome.calls.api import bp as calls_api_bp
    from koosloome.calls.routes import bp as calls_bp
    from koosloome.certificates.api import bp as certificates_api_bp
    from koosloome.certificates.routes import bp as certificates_bp
    from koosloome.events.admin_routes import bp as event_admin_bp
    from koosloome.events.itinerary_api import bp as itinerary_api_bp
    from koosloome.events.itinerary_routes import bp as itinerary_bp
    from koosloome.events.routes import bp as events_bp
    from koosloome.evidence.routes import bp as evidence_bp
    from koosloome.feedback.routes import bp as feedback_bp
    from koosloome.files.api import bp as files_api_bp
    from koosloome.files.routes import bp as files_bp
    from koosloome.groups.api import bp as groups_api_bp
    from koosloome.groups.routes import bp as groups_bp
    from koosloome.outcomes.api import bp as outcomes_api_bp
    from koosloome.outcomes.routes import bp as outcomes_bp
    from koosloome.privacy.routes import bp as privacy_bp
    from koosloome.projects.api import bp as projects_api_bp
    from koosloome.projects.routes import bp as projects_bp
    from koosloome.registrations.admin_routes import bp as registration_admin_bp
    from koosloome.registrations.routes import bp as registrations_bp
    from koosloome.reports.api import bp as reports_api_bp
    from koosloome.reports.routes import bp as reports_bp
    from koosloome.selection.api import bp as selection_api_bp
    from koosloome.selection.routes import bp as selection_bp
    from koosloome.site.routes import bp as site_bp
    from koosloome.trips.api import bp as trips_api_bp
    from koosloome.trips.routes import bp as trips_bp
    from koosloome.venues.api import bp as venues_api_bp
    from koosloome.venues.routes import bp as venues_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(event_admin_bp)
    app.register_blueprint(itinerary_bp)
    app.register_blueprint(itinerary_api_bp)
    app.register_blueprint(trips_bp)
    app.register_blueprint(trips_api_bp)
    app.register_blueprint(selection_bp)
    app.register_blueprint(selection_api_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(projects_api_bp)
    app.register_blueprint(reports_api_bp)
    app.register_blueprint(outcomes_api_bp)
    app.register_blueprint(announcements_bp)
    app.register_blueprint(announcements_api_bp)
    app.register_blueprint(registration_admin_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(certificates_api_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(files_api_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(boards_bp)
    app.register_blueprint(boards_api_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(venues_bp)
    app.register_blueprint(arrangements_bp)
    app.register_blueprint(arrangements_api_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(calls_api_bp)
    app.register_blueprint(venues_api_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(groups_api_bp)


def register_unit_of_work(app: Flask) -> None:
    """Each request commits in one place, or rolls back (see ``koosloome.unit_of_work``)."""
    from koosloome.unit_of_work import init_unit_of_work

    init_unit_of_work(app)


def register_request_hooks(app: Flask) -> None:
    """Per-request settings: security headers; SQLite write transactions for writing requests."""
    from koosloome.clean_input import init_clean_input
    from koosloome.security import init_security

    init_security(app)  # security headers and cookie flags on every response
    init_clean_input(app)  # no control characters in form fields, query strings, JSON, paths

    @app.before_request
    def _declare_write_intent() -> None:
        view = app.view_functions.get(request.endpoint or "")
        g.write_intent_token = begin_write_intent(
            request.method in UNSAFE_METHODS, late=getattr(view, "late_write_lock", False)
        )

    @app.teardown_request
    def _end_write_intent(_error: BaseException | None) -> None:
        token = g.pop("write_intent_token", None)
        if token is not None:
            end_write_intent(token)


def register_shortcuts(app: Flask) -> None:
    """Answers that need none of the request machinery above, given in front of it: the idea
    board's no-change poll (``koosloome.boards.poll``)."""
    from koosloome.boards.poll import install_poll_shortcut

    install_poll_shortcut(app)


def register_errorhandlers(app: Flask) -> None:
    """Translated error pages (HTML) and JSON errors under /api/."""
    from koosloome.errors import init_error_handlers

    init_error_handlers(app)


def register_commands(app: Flask) -> None:
    """``flask --app koosloome …`` commands."""
    from koosloome.cli import init_commands

    init_commands(app)
