"""Security headers on every response and the cookie flags that depend on ``BASE_URL``.

The pages need no inline script or style (``static/js/koosloome.js`` is progressive
enhancement loaded from a file), so the Content-Security-Policy allows only our own origin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g
from werkzeug.middleware.proxy_fix import ProxyFix

F = TypeVar("F", bound=Callable[..., Any])

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)
#: Manage links carry a token in the URL: it must never reach another site in a Referer header.
#: "same-origin" (not "no-referrer") because Flask-WTF checks the Referer of forms over HTTPS.
REFERRER_POLICY = "same-origin"
#: No page needs any of these browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def uses_https(app: Flask) -> bool:
    """True when the public address of the app is https (it sits behind a TLS proxy)."""
    return bool(app.config["BASE_URL"].startswith("https://"))


def no_store(view: F) -> F:
    """Mark a view's responses as never to be cached (pages with personal or health data)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.no_store = True
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def security_headers(app: Flask) -> dict[str, str]:
    """The headers every response carries (HSTS only when served over https)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    max_age = app.config["HSTS_MAX_AGE"]
    if uses_https(app) and max_age > 0:
        headers["Strict-Transport-Security"] = f"max-age={max_age}"
    return headers


def init_security(app: Flask) -> None:
    """Trust the configured proxies, set the cookie flags, add headers to every response."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        # The client's own address (for rate limits) and scheme, as the proxy reports them.
        proxied = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    https = uses_https(app)
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config["REMEMBER_COOKIE_SAMESITE"] = app.config["SESSION_COOKIE_SAMESITE"]
    headers = security_headers(app)

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            # setdefault: a view that needs a different policy can set its own header.
            response.headers.setdefault(name, value)
        # Staff pages show personal and health data: keep them out of shared and browser caches.
        if g.get("no_store") or _staff_signed_in():
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


def _staff_signed_in() -> bool:
    """Whether the request was made by a signed-in staff user (without loading one anew)."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)
