"""Small real files of each kind, made on the spot (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from fpdf import FPDF
from openpyxl import Workbook
from PIL import Image


def pdf_bytes(text: str = "Slaidid") -> bytes:
    """A one-page PDF."""
    pdf = FPDF()
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))  # the same bytes each time
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(40, 10, text)
    return bytes(pdf.output())


def image_bytes(kind: str = "PNG") -> bytes:
    """A tiny PNG, JPEG or WEBP picture."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    """A workbook (Office Open XML)."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odp_bytes() -> bytes:
    """An OpenDocument presentation's outline: its ``mimetype`` entry first, uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    """A ZIP that is no office document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")
