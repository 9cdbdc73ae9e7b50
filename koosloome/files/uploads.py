"""How large a request may be: 1 MB everywhere (``MAX_CONTENT_LENGTH``), more only for the
views that take a file (``accepts_upload``).

Such a view takes up to twice the file limit and a little for the other fields, so that a
file somewhat over the limit still reaches the service, which refuses it with its size and
keeps what else was typed; anything larger is cut off by Werkzeug before it is read (413),
and the view's blueprint answers that with the same kind of message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request

from koosloome.files.lifecycle import init_lifecycle
from koosloome.files.storage import init_storage
from koosloome.settings import ConfigError

F = TypeVar("F", bound=Callable[..., Any])
#: Room for the other fields of an upload's form (title, kind, CSRF token) and the encoding.
FORM_MARGIN = 256 * 1024


def accepts_upload(view: F) -> F:
    """Mark a view whose request may carry a file (up to twice ``MAX_UPLOAD_MB``)."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def upload_request_limit() -> int:
    """The largest request body an upload view reads, in bytes."""
    return 2 * int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024 + FORM_MARGIN


def init_files(app: Flask) -> None:
    """Storage, byte removal with the rows, and the larger request limit of upload views."""
    limit = app.config.get("MAX_UPLOAD_MB")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1024:
        raise ConfigError("KOOSLOOME_MAX_UPLOAD_MB must be a whole number from 1 to 1024")
    init_storage(app)
    init_lifecycle()

    # URL value preprocessors run before every before_request function, so the limit is set
    # before CSRF protection or anything else reads the body.
    @app.url_value_preprocessor
    def _upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
        view = app.view_functions.get(endpoint or "")
        if getattr(view, "accepts_upload", False):
            request.max_content_length = upload_request_limit()
