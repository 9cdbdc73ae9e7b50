"""Download names: ``Content-Disposition`` as RFC 6266 has it.

A name made from data (an event's slug, a title) is never written into the header as it is:
a quote or a semicolon in it would end the parameter and let a second one in
(``filename="x"; filename="evil.html"``). The plain ``filename`` gets a safe ASCII form, and
``filename*`` the exact name, percent-encoded (RFC 5987), which every current browser reads.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_file_name(name: str) -> str:
    """``name`` with accents dropped and anything but letters, digits, ``. _ -`` as ``_``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", plain).strip("._") or "download"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The header's value for a file called ``name``, downloaded (or shown, ``inline``)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_file_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
