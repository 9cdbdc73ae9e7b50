"""The application factory and its configuration."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import request

from koosloome import create_app
from koosloome.settings import ConfigError


def test_factory_builds_an_app_with_every_domain_blueprint(app):
    assert app.testing
    assert {"events", "site"} <= set(app.blueprints)


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("KOOSLOOME_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(config)
    second = create_app(config)
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 40
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("KOOSLOOME_SQLALCHEMY_DATABASE_URI", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/koosloome.sqlite3"


def test_environment_overrides_the_defaults_with_typed_values(tmp_path, monkeypatch):
    monkeypatch.setenv("KOOSLOOME_BASE_URL", "https://koosloome.ee/")
    monkeypatch.setenv("KOOSLOOME_MAIL_PORT", "2525")
    monkeypatch.setenv("KOOSLOOME_MAIL_USE_TLS", "true")
    monkeypatch.setenv("KOOSLOOME_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("KOOSLOOME_DEFAULT_LOCALE", "en")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BASE_URL"] == "https://koosloome.ee"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["DEFAULT_LOCALE"] == "en"


def test_logo_files_may_be_listed_with_commas_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KOOSLOOME_LOGO_FILES", "/srv/logos/leader.png, /srv/logos/eu.png")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["LOGO_FILES"] == ("/srv/logos/leader.png", "/srv/logos/eu.png")


def test_database_url_is_honoured_and_postgres_scheme_gets_the_psycopg_driver(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("KOOSLOOME_SQLALCHEMY_DATABASE_URI", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.example:5432/koosloome")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == "postgresql+psycopg://user@db.example:5432/koosloome"
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("MAIL_PORT", "abc", "KOOSLOOME_MAIL_PORT must be a whole number"),
        ("RATELIMIT_ENABLED", "maybe", "KOOSLOOME_RATELIMIT_ENABLED must be true or false"),
        ("TIMEZONE", "Mars/Olympus", "KOOSLOOME_TIMEZONE is not a known time zone"),
        ("DEFAULT_LOCALE", "fr", "KOOSLOOME_DEFAULT_LOCALE must be one of et, en"),
        ("BASE_URL", "koosloome.ee", "KOOSLOOME_BASE_URL must start with http"),
        ("SQLALCHEMY_DATABASE_URI", "mysql://x/y", "must be an SQLite or PostgreSQL URL"),
        ("PARTNER_EMAILS", '["info@x.example"]', "KOOSLOOME_PARTNER_EMAILS must be a JSON obj"),
        ("PARTNER_EMAILS", '{"vpk": "vorumaa"}', "the address of 'vpk' is not an e-mail"),
        ("DATABASE_POOLER", "pgpool", "KOOSLOOME_DATABASE_POOLER must be pgbouncer, or unset"),
        ("DATABASE_POOLER", "pgbouncer", "needs a PostgreSQL DATABASE_URL"),
        ("DATABASE_DIRECT_URL", "sqlite:///x", "KOOSLOOME_DATABASE_DIRECT_URL must be a Postg"),
        ("EVENTS_PER_PAGE", "0", "KOOSLOOME_EVENTS_PER_PAGE must be from 1 to 100"),
    ],
)
def test_malformed_environment_value_stops_start_up_naming_the_key(
    tmp_path, monkeypatch, key, value, message
):
    monkeypatch.setenv(f"KOOSLOOME_{key}", value)
    with pytest.raises(ConfigError, match=message):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})


def test_behind_pgbouncer_psycopg_prepares_no_statements(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://koosloome@127.0.0.1:6432/koosloome")
    monkeypatch.setenv("KOOSLOOME_DATABASE_POOLER", "pgbouncer")
    monkeypatch.setenv("KOOSLOOME_DATABASE_DIRECT_URL", "postgres://koosloome@127.0.0.1/koosloome")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}
    assert app.config["DATABASE_DIRECT_URL"] == "postgresql+psycopg://koosloome@127.0.0.1/koosloome"
    # Only this app's options: the defaults other apps start from are untouched.
    direct = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                         "DATABASE_POOLER": None})
    assert direct.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_wsgi_module_exposes_the_app_for_gunicorn(tmp_path, monkeypatch):
    monkeypatch.setenv("KOOSLOOME_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("KOOSLOOME_SQLALCHEMY_DATABASE_URI", "sqlite://")
    import runpy

    namespace = runpy.run_path(str(Path(__file__).parent.parent / "wsgi.py"))
    assert namespace["app"].name == "koosloome"


def test_no_secret_key_file_is_tracked_in_the_repository():
    root = Path(__file__).parent.parent
    ignored = (root / ".gitignore").read_text().splitlines()
    assert "instance/" in ignored


def test_trusted_proxies_make_the_app_honour_the_proxys_forwarded_headers(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "TRUSTED_PROXIES": 1})

    @app.get("/who")
    def who():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    seen = app.test_client().get("/who", headers={
        "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "koosloome.example.ee"}).get_json()
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "koosloome.example.ee"}


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/who")
    def who():
        return {"addr": request.remote_addr, "scheme": request.scheme}

    seen = app.test_client().get("/who", headers={
        "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}).get_json()
    assert seen == {"addr": "127.0.0.1", "scheme": "http"}

