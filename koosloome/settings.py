"""Loading and checking configuration: defaults, then the environment, then the caller."""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from sqlalchemy import make_url

from koosloome.private_files import private_file, private_folder

ENV_PREFIX = "KOOSLOOME"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.py"
_CONFIG_MODULE = "koosloome_config"


class ConfigError(RuntimeError):
    """A configuration value is malformed; start-up stops with a message naming the key."""


def load_config(app: Flask, config: Mapping[str, Any] | type | None) -> None:
    """Fill ``app.config`` from config.py, the environment and an explicit mapping/class."""
    app.config.from_object(_defaults_class())
    defaults = dict(app.config)
    _load_environment(app)
    if isinstance(config, Mapping):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _check_types(app, defaults)
    if app.config.get("INSTANCE_PATH"):
        app.instance_path = str(app.config["INSTANCE_PATH"])
    private_folder(Path(app.instance_path))
    _fill_database_uri(app)
    _fill_secret_key(app)
    _check_values(app)
    _apply_pooler(app)
    _make_sqlite_file_private(app.config["SQLALCHEMY_DATABASE_URI"])


def _defaults_class() -> type:
    """The ``Config`` class of the top-level ``config.py``, found by path, not on sys.path."""
    module = sys.modules.get(_CONFIG_MODULE)
    if module is None:
        spec = importlib.util.spec_from_file_location(_CONFIG_MODULE, CONFIG_FILE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_CONFIG_MODULE] = module
        spec.loader.exec_module(module)
    return module.Config


def _load_environment(app: Flask) -> None:
    """Apply ``KOOSLOOME_*`` variables and ``DATABASE_URL``."""
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env(ENV_PREFIX)


def _check_types(app: Flask, defaults: dict[str, Any]) -> None:
    """Refuse values whose type does not match the default (e.g. MAIL_PORT=abc)."""
    for key, default in defaults.items():
        value = app.config.get(key)
        if default is None or value is None or value is default:
            continue
        expected = type(default)
        if expected is tuple and isinstance(value, list):
            app.config[key] = tuple(value)
            continue
        if expected is tuple and isinstance(value, str) and all(
                isinstance(item, str) for item in default):
            # A list of words may be written plainly: KOOSLOOME_LOGO_FILES=a.png,b.png
            app.config[key] = tuple(part.strip() for part in value.split(",") if part.strip())
            continue
        if expected is bool and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                app.config[key] = True
                continue
            if lowered in {"0", "false", "no", "off"}:
                app.config[key] = False
                continue
        if expected is int and isinstance(value, bool):
            raise ConfigError(f"{ENV_PREFIX}_{key} must be a whole number, not {value!r}")
        if not isinstance(value, expected):
            kind = {int: "a whole number", bool: "true or false", dict: "a JSON object"}.get(
                expected, expected.__name__
            )
            raise ConfigError(f"{ENV_PREFIX}_{key} must be {kind}, not {value!r}")


def _fill_database_uri(app: Flask) -> None:
    """Default to SQLite in the instance folder; accept postgres:// URLs from hosting platforms."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "koosloome.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = _with_psycopg(uri)
    if app.config.get("DATABASE_DIRECT_URL"):
        app.config["DATABASE_DIRECT_URL"] = _with_psycopg(app.config["DATABASE_DIRECT_URL"])


def _with_psycopg(uri: str) -> str:
    """postgres:// and postgresql:// URLs get the driver Koosloome uses (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix) :]
    return uri


def _make_sqlite_file_private(uri: str) -> None:
    """Create the SQLite file 0600 before SQLite does (it would follow the umask); its WAL
    and shared-memory files take the database file's mode."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    database = Path(url.database)
    if database.parent.is_dir():
        private_file(database)


def _fill_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated once into ``instance/secret_key``."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    app.config["SECRET_KEY"] = path.read_text().strip()


def _check_values(app: Flask) -> None:
    """Catch values of the right type that still cannot work."""
    try:
        ZoneInfo(app.config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{ENV_PREFIX}_TIMEZONE is not a known time zone: {exc}") from exc
    if app.config["DEFAULT_LOCALE"] not in app.config["LANGUAGES"]:
        raise ConfigError(
            f"{ENV_PREFIX}_DEFAULT_LOCALE must be one of {', '.join(app.config['LANGUAGES'])}"
        )
    base_url = app.config["BASE_URL"]
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{ENV_PREFIX}_BASE_URL must start with http:// or https://")
    app.config["BASE_URL"] = base_url.rstrip("/")
    if not 1 <= app.config["EVENTS_PER_PAGE"] <= 100:
        raise ConfigError(f"{ENV_PREFIX}_EVENTS_PER_PAGE must be from 1 to 100")
    for partner, address in app.config["PARTNER_EMAILS"].items():
        if not isinstance(address, str) or "@" not in address:
            raise ConfigError(
                f"{ENV_PREFIX}_PARTNER_EMAILS: the address of {partner!r} is not an e-mail address")
    _check_sms(app)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith(("sqlite", "postgresql")):
        raise ConfigError(
            f"{ENV_PREFIX}_SQLALCHEMY_DATABASE_URI (or DATABASE_URL) must be an SQLite or "
            f"PostgreSQL URL, not {uri.split(':', 1)[0]!r}"
        )
    _check_pooler(app)


def _check_sms(app: Flask) -> None:
    """An SMS provider is one we know, with its credentials."""
    provider = app.config.get("SMS_PROVIDER")
    if not provider:
        return
    if provider != "messente":
        raise ConfigError(f"{ENV_PREFIX}_SMS_PROVIDER must be 'messente' or unset")
    if not app.config.get("SMS_USERNAME") or not app.config.get("SMS_PASSWORD"):
        raise ConfigError(f"{ENV_PREFIX}_SMS_PROVIDER needs {ENV_PREFIX}_SMS_USERNAME and "
                          f"{ENV_PREFIX}_SMS_PASSWORD")


#: The connection poolers Koosloome knows how to talk through (``DATABASE_POOLER``).
POOLERS = ("pgbouncer",)


def _check_pooler(app: Flask) -> None:
    """A pooler is one we know, in front of PostgreSQL; the direct URL is PostgreSQL's."""
    pooler = app.config.get("DATABASE_POOLER") or None
    direct = app.config.get("DATABASE_DIRECT_URL") or None
    if pooler is not None and pooler not in POOLERS:
        raise ConfigError(f"{ENV_PREFIX}_DATABASE_POOLER must be {' or '.join(POOLERS)}, "
                          f"or unset (a direct connection), not {pooler!r}")
    if pooler is not None and not app.config["SQLALCHEMY_DATABASE_URI"].startswith(
            "postgresql+psycopg"):
        raise ConfigError(f"{ENV_PREFIX}_DATABASE_POOLER={pooler} needs a PostgreSQL "
                          "DATABASE_URL (postgresql+psycopg://…) pointing at the pooler")
    if direct is not None and not direct.startswith("postgresql"):
        raise ConfigError(f"{ENV_PREFIX}_DATABASE_DIRECT_URL must be a PostgreSQL URL")
    app.config["DATABASE_POOLER"] = pooler
    app.config["DATABASE_DIRECT_URL"] = direct


def _apply_pooler(app: Flask) -> None:
    """Behind PgBouncer's transaction pooling, psycopg must not prepare statements.

    psycopg prepares a query on the server after its fifth execution on a connection and
    reuses it by name. PgBouncer 1.18 in transaction mode hands each transaction whichever
    server connection is free: the name is then missing there ("prepared statement "_pg3_0"
    does not exist"), or another client's statement already holds it ("… already exists")."""
    if app.config["DATABASE_POOLER"] is None:
        return
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])  # the class default is shared
    options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
