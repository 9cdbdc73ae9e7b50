"""Checking an upload before anything is stored: its size, and its type read from its bytes.

Neither the file's name nor the browser's Content-Type is believed: a PNG renamed
``slides.pdf`` is a PNG. The type comes from the content (``puremagic``'s signatures), and a
ZIP-based office document is opened to read the type it declares inside
(``[Content_Types].xml`` of Office Open XML, the ``mimetype`` entry of OpenDocument). SVG and
HTML are never accepted: a browser runs the scripts they may hold.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

import puremagic
from babel.lists import format_list
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from koosloome.errors import DomainError


@dataclass(frozen=True)
class FileFormat:
    """A format we accept: its name for people, its MIME type and its usual extension."""

    code: str
    label: str
    content_type: str
    extension: str
    #: Which of the ``allowed`` groups of ``store_upload`` it belongs to.
    group: str
    #: Shown in the browser rather than downloaded (plain images only).
    inline: bool = False


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
FORMATS: dict[str, FileFormat] = {f.code: f for f in (
    FileFormat("pdf", "PDF", "application/pdf", ".pdf", "pdf"),
    FileFormat("jpeg", "JPEG", "image/jpeg", ".jpg", "image", inline=True),
    FileFormat("png", "PNG", "image/png", ".png", "image", inline=True),
    FileFormat("webp", "WebP", "image/webp", ".webp", "image", inline=True),
    FileFormat("docx", "DOCX", _OOXML + "wordprocessingml.document", ".docx", "office"),
    FileFormat("pptx", "PPTX", _OOXML + "presentationml.presentation", ".pptx", "office"),
    FileFormat("xlsx", "XLSX", _OOXML + "spreadsheetml.sheet", ".xlsx", "office"),
    FileFormat("odt", "ODT", _ODF + "text", ".odt", "office"),
    FileFormat("odp", "ODP", _ODF + "presentation", ".odp", "office"),
)}
GROUPS = ("pdf", "image", "office")
#: The part of ``[Content_Types].xml`` that names an Office Open XML document's main part.
_OOXML_MAIN = {
    "docx": _OOXML + "wordprocessingml.document.main+xml",
    "pptx": _OOXML + "presentationml.presentation.main+xml",
    "xlsx": _OOXML + "spreadsheetml.sheet.main+xml",
}
#: Detected types that are refused by name, whatever is allowed: they can carry scripts.
_DANGEROUS = {"image/svg+xml": "SVG", "text/html": "HTML", "application/xhtml+xml": "XHTML"}
#: Bytes enough for every signature (puremagic reads a file's head and tail).
_HEAD = 8192
#: An inner entry of an office file read to learn its type is small; a larger one is suspect.
_MAX_TYPE_ENTRY = 256 * 1024
_NAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


class FileRefused(DomainError):
    """An upload that is not accepted, with a message saying why in the person's language.
    Nothing has been stored when it is raised."""

    status = 422
    code = "file_refused"

    def __init__(self, message: str, *, status: int = 422, code: str = "file_refused") -> None:
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.fields = {"file": [message]}


def _decimal(number: float) -> str:
    """One decimal, in the reader's locale (14,2 in Estonian)."""
    return format_decimal(round(number, 1), format="#,##0.0", locale=get_locale())


def megabytes(size: int) -> str:
    """``size`` bytes as megabytes for people: "14,2"."""
    return _decimal(size / (1024 * 1024))


def check_size(size: int, limit_mb: int) -> None:
    """Refuse an empty file, or one over ``limit_mb`` megabytes."""
    if size == 0:
        raise FileRefused(_("The file is empty. Choose the file again."), code="empty_file")
    if size > limit_mb * 1024 * 1024:
        raise FileRefused(too_large_message(size, limit_mb), status=413, code="too_large")


def too_large_message(size: int, limit_mb: int) -> str:
    """What a person reads about a file over the limit."""
    return _("The file is %(size)s MB; the limit is %(limit)d MB. Make it smaller (a PDF "
             "saved for the screen, a photo at a lower resolution) and try again.",
             size=megabytes(size), limit=limit_mb)


def accepted_formats(allowed: set[str] | frozenset[str]) -> list[FileFormat]:
    """The formats of the ``allowed`` groups ("pdf", "image", "office"), in a fixed order."""
    unknown = set(allowed) - set(GROUPS)
    if unknown or not allowed:
        raise ValueError(f"unknown groups of file types: {sorted(unknown) or 'none'}")
    return [f for f in FORMATS.values() if f.group in allowed]


def accepted_text(allowed: set[str] | frozenset[str]) -> str:
    """"PDF, JPEG or PNG" in the reader's language."""
    labels = [f.label for f in accepted_formats(allowed)]
    return format_list(labels, style="or", locale=get_locale())


def _office_format(data: bytes) -> str | None:
    """The format a ZIP-based office document declares inside, or None (any other ZIP)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return next((f.code for f in FORMATS.values()
                             if f.group == "office" and f.content_type == declared), None)
            entry = "[Content_Types].xml"
            if entry in names and archive.getinfo(entry).file_size <= _MAX_TYPE_ENTRY:
                types = archive.read(entry).decode("utf-8", "replace")
                return next((code for code, main in _OOXML_MAIN.items()
                             if f'ContentType="{main}"' in types), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError,
            NotImplementedError, EOFError):
        return None
    return None


def _signatures(data: bytes) -> list[Any]:
    try:
        return list(puremagic.magic_string(data[:_HEAD] + data[-_HEAD:]))
    except (puremagic.PureError, ValueError):
        return []


def detect_format(data: bytes) -> tuple[str | None, str]:
    """(the accepted format's code or None, a name for what the bytes are) from the content."""
    if data.startswith(b"PK\x03\x04"):
        office = _office_format(data)
        if office is not None:
            return office, FORMATS[office].label
        return None, "ZIP"
    matches = _signatures(data)
    types = {match.mime_type for match in matches}
    for mime, label in _DANGEROUS.items():
        if mime in types:
            return None, label
    if data.startswith(b"%PDF-"):
        return "pdf", "PDF"
    for code in ("png", "jpeg", "webp"):
        if FORMATS[code].content_type in types:
            return code, FORMATS[code].label
    if matches:
        return None, matches[0].extension.lstrip(".").upper() or str(_l("unknown"))
    return None, str(_l("unknown"))


def check_type(data: bytes, allowed: set[str] | frozenset[str]) -> FileFormat:
    """The accepted format of ``data``, or ``FileRefused`` naming what it is and what is
    accepted."""
    code, found = detect_format(data)
    formats = accepted_formats(allowed)
    chosen = FORMATS.get(code or "")
    if chosen is not None and chosen in formats:
        return chosen
    if code is None and found == str(_l("unknown")):
        message = _("The type of this file could not be recognised; only %(accepted)s files "
                    "are accepted.", accepted=accepted_text(allowed))
    else:
        message = _("This file is a %(found)s file; only %(accepted)s files are accepted.",
                    found=found, accepted=accepted_text(allowed))
    raise FileRefused(message, status=415, code="unsupported_type")


def clean_name(name: str | None, file_format: FileFormat) -> str:
    """The uploader's file name without folders or control characters, at most 200
    characters, ending in the extension of the format it really is."""
    base = unicodedata.normalize("NFC", name or "")
    base = re.split(r"[/\\]", base)[-1]
    base = _NAME_UNSAFE.sub("", base).strip().strip(".") or "file"
    stem, dot, extension = base.rpartition(".")
    if dot and stem and "." + extension.lower() in _extensions(file_format):
        return stem[: 199 - len(extension)] + "." + extension
    return base[: 200 - len(file_format.extension)] + file_format.extension


def _extensions(file_format: FileFormat) -> tuple[str, ...]:
    return (".jpg", ".jpeg") if file_format.code == "jpeg" else (file_format.extension,)
