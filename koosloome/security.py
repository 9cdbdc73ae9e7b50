"""Security headers on every response and the cookie flags that depend on ``BASE_URL``.

The pages need no inline script or style (``static/js/koosloome.js`` is progressive
enhancement loaded from a file), so the Content-Security-Policy allows only our own origin.

Behind nginx (docs/deploy/nginx-koosloome.conf) the app is the one owner of these headers on
everything it answers; nginx adds HSTS, nosniff and Referrer-Policy only to the static files
it serves itself, so no response carries one of them twice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, request
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

#: Methods that carry what a person typed; their answers may echo it back (a form re-shown
#: with its errors holds the access needs and diets just entered).
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: A browser accepts a ``__Host-`` cookie only if it is Secure, for Path=/ and without Domain,
#: set by this very host: a sibling subdomain can neither plant nor overwrite it.
HOST_PREFIX = "__Host-"
#: The cookies that sign a person in (Flask's session, which also holds the CSRF token, and
#: Flask-Login's remember cookie): config key prefix and default name.
SIGN_IN_COOKIES = (("SESSION_COOKIE", "session"), ("REMEMBER_COOKIE", "remember_token"))


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
    hsts = hsts_value(app)
    if hsts:
        headers["Strict-Transport-Security"] = hsts
    return headers


def hsts_value(app: Flask) -> str | None:
    """Strict-Transport-Security for this configuration, or None (plain http, or turned off).

    ``includeSubDomains`` only when HSTS_INCLUDE_SUBDOMAINS says so: it binds every host under
    the domain to https for a year, which only the domain's owner can promise."""
    max_age = app.config["HSTS_MAX_AGE"]
    if not uses_https(app) or max_age <= 0:
        return None
    if app.config["HSTS_INCLUDE_SUBDOMAINS"]:
        return f"max-age={max_age}; includeSubDomains"
    return f"max-age={max_age}"


def use_host_prefix(app: Flask) -> None:
    """Name the sign-in cookies ``__Host-…`` (for https only: the prefix requires Secure).

    A cookie given a Domain on purpose (shared with other hosts) keeps its name: the prefix
    forbids a Domain, and browsers would drop the cookie."""
    for key, default_name in SIGN_IN_COOKIES:
        name = app.config.get(f"{key}_NAME") or default_name
        if name.startswith(HOST_PREFIX) or app.config.get(f"{key}_DOMAIN"):
            continue
        app.config[f"{key}_NAME"] = HOST_PREFIX + name
        app.config[f"{key}_PATH"] = "/"


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
        use_host_prefix(app)
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
        if _holds_personal_data():
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


def _holds_personal_data() -> bool:
    """Whether this response may hold personal or health data, and so must not be cached (not
    by a shared cache, not in the browser's cache or its back/forward history)."""
    return bool(
        g.get("no_store")  # the view said so (@no_store)
        or request.method in UNSAFE_METHODS  # echoes what was sent: a form shown again
        or "Authorization" in request.headers  # an API answer for a token holder
        or _staff_signed_in()  # staff pages list people and their needs
    )


def _staff_signed_in() -> bool:
    """Whether the request was made by a signed-in staff user (without loading one anew)."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)
