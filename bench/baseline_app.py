"""The baseline: a bare Flask + Flask-SQLAlchemy endpoint that inserts one row per request.

What the stack itself can do, measured under the same gunicorn settings as Koosloome. SQLite
gets the durability settings Koosloome uses (WAL, synchronous=NORMAL, a busy timeout), so the
comparison is about the application's work, not about fsync.

    DATABASE_URL=sqlite:////tmp/b.sqlite3 gunicorn --pythonpath bench baseline_app:app
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the one table."""


db = SQLAlchemy(model_class=Base)


class Row(db.Model):  # type: ignore[name-defined]
    """One inserted row: a name, an e-mail and a time, like a minimal registration."""

    __tablename__ = "baseline_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(200))
    email: Mapped[str] = mapped_column(db.String(254))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))


def _configure_sqlite(engine: Any) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def create_app() -> Flask:
    """The baseline app on ``DATABASE_URL``; creates its table when missing."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
        # The bench creates the table before gunicorn starts (``python baseline_app.py``):
        # two workers creating it at once would race.
        if os.environ.get("BASELINE_CREATE_SCHEMA") == "1":
            db.create_all()

    @app.post("/insert")
    def insert() -> Any:
        """Insert one row from a JSON body and answer 201 with its id."""
        body = request.get_json(silent=True) or {}
        row = Row(name=str(body.get("name", ""))[:200], email=str(body.get("email", ""))[:254],
                  created_at=datetime.now(UTC))
        db.session.add(row)
        db.session.flush()
        row_id = row.id  # read before the commit expires the row (no second round trip)
        db.session.commit()
        return jsonify(id=row_id), 201

    @app.get("/healthz")
    def healthz() -> Any:
        """Ready once the app is imported."""
        return jsonify(status="ok")

    return app


if __name__ == "__main__":
    os.environ["BASELINE_CREATE_SCHEMA"] = "1"
    create_app()
else:
    app = create_app()
