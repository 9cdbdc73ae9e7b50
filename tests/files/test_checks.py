"""The type of an upload comes from its bytes, never from its name or the browser's word;
sizes and names are checked before anything is stored."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from koosloome.files.checks import FORMATS, FileRefused, check_size, check_type, clean_name
from tests.files import samples


@pytest.mark.parametrize(("data", "allowed", "code"), [
    (samples.pdf_bytes(), {"pdf"}, "pdf"),
    (samples.image_bytes("PNG"), {"image"}, "png"),
    (samples.image_bytes("JPEG"), {"image"}, "jpeg"),
    (samples.image_bytes("WEBP"), {"image"}, "webp"),
    (samples.xlsx_bytes(), {"office"}, "xlsx"),
    (samples.odp_bytes(), {"office"}, "odp"),
])
def test_accepted_types_are_recognised_by_their_content(app, data, allowed, code):
    assert check_type(data, allowed).code == code


@pytest.mark.parametrize(("data", "found"), [
    (samples.HTML, "HTML"), (samples.SVG, "SVG"), (samples.plain_zip_bytes(), "ZIP"),
])
def test_scriptable_and_unknown_containers_are_refused_by_name(app, data, found):
    with force_locale("en"), pytest.raises(FileRefused) as refused:
        check_type(data, {"pdf", "image", "office"})
    assert refused.value.status == 415
    assert f"This file is a {found} file" in refused.value.message


def test_a_png_is_not_a_pdf_whatever_its_name(app):
    with force_locale("en"), pytest.raises(FileRefused) as refused:
        check_type(samples.image_bytes("PNG"), {"pdf"})
    assert refused.value.message == "This file is a PNG file; only PDF files are accepted."


def test_the_message_lists_what_is_accepted_in_estonian(app):
    with force_locale("et"), pytest.raises(FileRefused) as refused:
        check_type(b"just some words", {"pdf", "image"})
    assert "PDF, JPEG, PNG või WebP" in refused.value.message


def test_size_is_said_with_a_decimal_comma_in_estonian(app):
    with force_locale("et"), pytest.raises(FileRefused) as refused:
        check_size(int(14.2 * 1024 * 1024), 10)
    assert refused.value.status == 413
    assert "14,2 MB" in refused.value.message and "10 MB" in refused.value.message
    with force_locale("en"), pytest.raises(FileRefused, match="The file is empty"):
        check_size(0, 10)


@pytest.mark.parametrize(("name", "code", "cleaned"), [
    ("../../etc/Ülevaade.pdf", "pdf", "Ülevaade.pdf"),
    ("C:\\Users\\mari\\pilt.JPEG", "jpeg", "pilt.JPEG"),
    ("slaidid", "pdf", "slaidid.pdf"),
    ("photo.pdf", "png", "photo.pdf.png"),
    ("bad\x00name\n.pdf", "pdf", "badname.pdf"),
    ("", "pdf", "file.pdf"),
])
def test_names_lose_folders_and_control_characters_and_get_their_real_extension(
        name, code, cleaned):
    assert clean_name(name, FORMATS[code]) == cleaned
