"""Catalogues are complete, and Estonian formats follow DOMAIN.md."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from koosloome.i18n import format_date, format_long_date, format_money, format_number, format_time
from koosloome.translation_tools import catalogue_problems, languages


def test_estonian_and_english_catalogues_exist():
    assert {"et", "en"} <= set(languages())


@pytest.mark.parametrize("language", ["et", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_message(language):
    assert catalogue_problems(language) == []


def test_every_message_in_code_and_templates_is_in_the_catalogue(tmp_path):
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    from koosloome.translation_tools import PROJECT_ROOT, catalogue_path

    pot = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), "-k", "_l",
        "-o", str(pot), str(PROJECT_ROOT / "koosloome"), str(PROJECT_ROOT / "templates"),
    ])
    with pot.open("rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    for language in ("et", "en"):
        with catalogue_path(language).open("rb") as handle:
            known = {message.id for message in read_po(handle) if message.id}
        missing = {str(m) for m in extracted - known}
        assert not missing, f"{language}: run 'flask --app koosloome translate update': {missing}"


WINTER = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)  # 14:00 in Tallinn
SUMMER = datetime(2025, 7, 1, 6, 30, tzinfo=UTC)  # 09:30 in Tallinn


def test_estonian_dates_times_and_money(app):
    with app.test_request_context(), force_locale("et"):
        assert format_date(WINTER) == "05.03.2025"
        assert format_time(WINTER) == "14:00"
        assert format_time(SUMMER) == "09:30"
        assert format_long_date(WINTER) == "kolmapäev, 5. märts 2025"
        assert format_money(Decimal("12.5")) == "12,50\u00a0€"
        assert format_money(Decimal("12743.68")) == "12\u00a0743,68\u00a0€"
        assert format_number(1000) == "1000"
        assert format_number(10000) == "10\u00a0000"


def test_english_dates_and_money(app):
    with app.test_request_context(), force_locale("en"):
        assert format_date(WINTER) == "5 Mar 2025"
        assert format_time(WINTER) == "14:00"
        assert format_money(Decimal("12.5")) == "€12.50"


def test_shared_form_macros_are_translated(client, make_event):
    """templates/_macros is extracted too (pybabel skips "_" folders unless told)."""
    event = make_event()
    html = client.post(f"/events/{event.slug}/register", data={"name": ""}).get_data(
        as_text=True)
    assert "Midagi on puudu või valesti" in html and "There is a problem" not in html
    assert "(vabatahtlik)" in html


#: Issue 16.10's wording table: what a newcomer stumbled on, and the words that replaced it.
WORDING = {
    "Open: first come, first served": "Avatud: kohad täituvad registreerumise järjekorras",
    "Needs to arrange": "Korraldamist vajavad erivajadused",
    "Evidence pack with its parts (ZIP)": "Tõendite pakett koos lisadega (ZIP)",
    "The person was told about the privacy notice": "Inimest teavitati privaatsusteatest",
    "You have no votes left.": "Sul ei ole enam hääli.",
    "Move the board to": "Muuda tahvli etappi",
    "Apply": "Esita taotlus",
    "Send application": "Esita taotlus",
    "Cancel your registration": "Tühista registreering",
}


def test_the_newcomers_wording_is_in_the_estonian_catalogue(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("et"):
        for english, estonian in WORDING.items():
            assert gettext(english) == estonian
        assert "kuni 400%." in gettext(
            "At the bottom of every page you can switch to larger text and to high contrast; "
            "the site remembers your choice on this device. Your browser's zoom works up to "
            "four times the normal size.").replace("%%", "%")
