"""The home page's list of upcoming events: a page at a time, narrowed by kind, county,
partner and month with a plain GET form, and never an error for what the address holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from koosloome.db import utcnow
from koosloome.events.listing import EventPage, parse_month, parse_page
from koosloome.events.models import EventKind
from tests.factories import organisation
from tests.test_query_counts import add_events


@pytest.fixture
def per_page(app):
    """Three events a page: paging shows with a handful of events."""
    app.config["EVENTS_PER_PAGE"] = 3
    return 3


def _page(client, path="/", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.get_data(as_text=True))


def _titles(page) -> list[str]:
    return [title.text_content().replace("\u00ad", "")
            for title in page.xpath("//ul[@class='event-list']//h3")]


def _days_ahead(days: int, hour: int = 9) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                     microsecond=0)


def _events(make_event, how_many: int, **fields):
    return [make_event(title_et=f"Sündmus {number:02d}", starts_at=_days_ahead(number + 1),
                       **fields) for number in range(how_many)]


def test_the_first_page_holds_the_soonest_events_and_links_onwards(client, make_event, per_page):
    _events(make_event, 7)
    page = _page(client)
    assert _titles(page) == ["Sündmus 00", "Sündmus 01", "Sündmus 02"]
    assert page.xpath("string(//h2[@id='results'])") == \
        "7 tulevast sündmust – lehekülg 1 / 3"
    nav = page.xpath("//nav[@class='pagination']")[0]
    assert nav.get("aria-label") == "Sündmuste leheküljed"
    assert not nav.xpath(".//a[@rel='prev']")
    (onwards,) = nav.xpath(".//a[@rel='next']")
    assert onwards.text == "Järgmine lehekülg"
    assert onwards.get("href") == "/?page=2#results"
    (current,) = nav.xpath(".//a[@aria-current='page']")
    assert current.text == "1"
    assert current.get("aria-label") == "Lehekülg 1 / 3, praegune lehekülg"


def test_a_middle_page_links_back_and_on_and_names_itself_in_the_title(client, make_event,
                                                                     per_page):
    _events(make_event, 7)
    page = _page(client, "/?page=2")
    assert _titles(page) == ["Sündmus 03", "Sündmus 04", "Sündmus 05"]
    assert page.xpath("string(//title)").startswith("Tulevased sündmused – lehekülg 2 / 3")
    assert page.xpath("//a[@rel='prev']/@href") == ["/#results"]
    assert page.xpath("//a[@rel='next']/@href") == ["/?page=3#results"]
    assert page.xpath("//nav[@class='pagination']//a[@aria-current='page']/text()") == ["2"]


def test_the_last_page_has_no_next_link(client, make_event, per_page):
    _events(make_event, 7)
    page = _page(client, "/?page=3")
    assert _titles(page) == ["Sündmus 06"]
    assert not page.xpath("//a[@rel='next']")


def test_far_pages_are_left_out_of_the_numbers(client, make_event, per_page):
    _events(make_event, 30)  # ten pages
    page = _page(client, "/?page=5")
    items = [item.text_content() for item in page.xpath("//nav[@class='pagination']//li")]
    assert items == ["Eelmine lehekülg", "1", "…", "4", "5", "6", "…", "10",
                     "Järgmine lehekülg"]


def test_one_page_needs_no_page_links(client, make_event, per_page):
    _events(make_event, 3)
    page = _page(client)
    assert not page.xpath("//nav[@class='pagination']")
    assert page.xpath("string(//h2[@id='results'])") == "3 tulevast sündmust"


@pytest.mark.parametrize(("asked", "shown"), [
    ("abc", 1), ("0", 1), ("-1", 1), ("2.5", 1), ("", 1), ("%20", 1),
    ("99999", 3), ("123456789012345678901234567890", 3),
])
def test_a_page_number_that_is_no_page_gives_the_first_or_the_last(client, make_event, per_page,
                                                                    asked, shown):
    _events(make_event, 7)
    page = _page(client, f"/?page={asked}")
    assert page.xpath("//nav[@class='pagination']//a[@aria-current='page']/text()") == \
        [str(shown)]


def test_kind_narrows_the_list_and_the_page_links_keep_it(client, make_event, per_page):
    _events(make_event, 4, kind=EventKind.WORKSHOP)
    _events(make_event, 4, kind=EventKind.SEMINAR)
    page = _page(client, "/?kind=workshop")
    assert len(_titles(page)) == 3
    assert set(page.xpath("//ul[@class='event-list']//p[@class='event-kind']/text()")) == \
        {"Koosloome töötuba"}
    assert page.xpath("string(//h2[@id='results'])") == \
        "Sinu valikutele vastab 4 sündmust – lehekülg 1 / 2"
    assert page.xpath("//a[@rel='next']/@href") == ["/?page=2&kind=workshop#results"]
    assert page.xpath("//select[@id='kind']/option[@selected]/@value") == ["workshop"]
    second = _page(client, "/?page=2&kind=workshop")
    assert len(_titles(second)) == 1
    assert second.xpath("//a[@rel='prev']/@href") == ["/?kind=workshop#results"]


def test_county_is_the_venues_and_only_counties_with_events_are_offered(client, make_event):
    make_event(title_et="Võrus", county="voru")
    make_event(title_et="Tartus", county="tartu")
    make_event(title_et="Kusagil")  # a venue whose county nobody stated
    page = _page(client, "/?county=tartu")
    assert _titles(page) == ["Tartus"]
    assert page.xpath("//select[@id='county']/option/@value") == ["", "tartu", "voru"]
    assert page.xpath("//select[@id='county']/option/text()") == \
        ["Kõik maakonnad", "Tartumaa", "Võrumaa"]
    assert page.xpath("//select[@id='county']/option[@selected]/@value") == ["tartu"]
    assert page.xpath("//label[@for='county']/text()") == ["Maakond"]


def test_without_a_county_on_any_venue_there_is_no_county_choice(client, make_event):
    make_event()
    assert not _page(client).xpath("//select[@id='county']")


def test_partner_finds_what_it_organises_and_co_organises(client, make_event):
    make_event(title_et="VPK oma", organisation=organisation("vpk"))
    make_event(title_et="TAS oma", organisation=organisation("tas"))
    make_event(title_et="Koos", organisation=organisation("vpk"),
               co_organiser=organisation("tas"))
    assert sorted(_titles(_page(client, "/?partner=tas"))) == ["Koos", "TAS oma"]
    assert sorted(_titles(_page(client, "/?partner=vpk"))) == ["Koos", "VPK oma"]


def test_month_is_read_in_estonian_time_and_takes_events_on_during_it(client, make_event):
    # 31 March 2031 22:30 UTC is already 1 April in Tallinn (summer time, UTC+3).
    make_event(title_et="Aprillis", starts_at=datetime(2031, 3, 31, 22, 30, tzinfo=UTC))
    make_event(title_et="Märtsis", starts_at=datetime(2031, 3, 31, 12, 0, tzinfo=UTC))
    make_event(title_et="Üle kuu piiri", starts_at=datetime(2031, 2, 27, 8, tzinfo=UTC),
               ends_at=datetime(2031, 3, 2, 18, tzinfo=UTC))
    assert _titles(_page(client, "/?month=2031-03")) == ["Üle kuu piiri", "Märtsis"]
    assert _titles(_page(client, "/?month=2031-04")) == ["Aprillis"]
    assert _titles(_page(client, "/?month=2031-02")) == ["Üle kuu piiri"]


def test_months_are_offered_from_now_to_the_last_event_in_the_readers_language(client,
                                                                            make_event):
    make_event(starts_at=_days_ahead(70))
    months = _page(client).xpath("//select[@id='month']/option")
    assert months[0].text == "Kõik kuud"
    now = utcnow()
    assert months[1].get("value") == now.strftime("%Y-%m")
    assert 3 <= len(months) - 1 <= 4
    english = _page(client, "/", **{"Accept-Language": "en"})
    label = english.xpath("//select[@id='month']/option[2]/text()")[0]
    assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", label)


def test_filters_combine(client, make_event):
    make_event(title_et="Õige", kind=EventKind.WORKSHOP, county="voru",
               organisation=organisation("tas"), starts_at=datetime(2031, 5, 5, 8, tzinfo=UTC))
    make_event(title_et="Vale liik", kind=EventKind.SEMINAR, county="voru",
               organisation=organisation("tas"), starts_at=datetime(2031, 5, 6, 8, tzinfo=UTC))
    make_event(title_et="Vale kuu", kind=EventKind.WORKSHOP, county="voru",
               organisation=organisation("tas"), starts_at=datetime(2031, 6, 6, 8, tzinfo=UTC))
    make_event(title_et="Vale partner", kind=EventKind.WORKSHOP, county="voru",
               organisation=organisation("vpk"), starts_at=datetime(2031, 5, 7, 8, tzinfo=UTC))
    page = _page(client, "/?kind=workshop&county=voru&partner=tas&month=2031-05")
    assert _titles(page) == ["Õige"]
    assert page.xpath("//select[@id='month']/option[@selected]/@value") == ["2031-05"]


def test_nothing_found_says_so_and_offers_to_clear_the_choices(client, make_event):
    make_event(kind=EventKind.SEMINAR)
    page = _page(client, "/?kind=study_trip")
    assert not page.xpath("//ul[@class='event-list']")
    assert page.xpath("string(//div[@id='results']/h2)") == \
        "Sinu valikutele ei vasta ühtegi tulevast sündmust"
    links = page.xpath("//div[@id='results']//a")
    assert [(a.get("href"), a.text) for a in links] == \
        [("/", "Tühista valikud ja näita kõiki tulevasi sündmusi")]


def test_no_events_at_all_is_not_called_a_filter_result(client):
    page = _page(client)
    assert "Praegu ei ole tulemas ühtegi sündmust" in page.text_content()
    assert not page.xpath("//div[@id='results']")
    assert not page.xpath("//form[@role='search']//a")  # nothing to clear


@pytest.mark.parametrize("query", [
    "month=2026-13", "month=2026-00", "month=march", "month=0999-01", "month=9999-12",
    "kind=picnic", "county=lapimaa", "partner=nobody", "kind=", "page=&kind=&month=",
    "kind=seminar&kind=workshop", "month=%00", "county=%F0%9F%98%80",
])
def test_choices_that_name_nothing_are_ignored(client, make_event, query):
    make_event(title_et="Ikka näha")
    page = _page(client, f"/?{query}")
    assert _titles(page) == ["Ikka näha"]


def test_the_form_is_a_labelled_get_form_with_a_submit_button(client, make_event):
    make_event()
    (form,) = _page(client).xpath("//form[@role='search']")
    assert form.get("method") == "get"
    assert form.get("action") == "/"
    assert form.xpath("string(.//h2)") == "Otsi sündmusi"
    for select in form.xpath(".//select"):
        assert form.xpath(f".//label[@for='{select.get('id')}']"), select.get("id")
        assert select.xpath("./option[1]/@value") == [""]
    assert form.xpath(".//button[@type='submit']/text()") == ["Näita sündmusi"]
    assert form.xpath(".//select[@id='kind']/option/@value") == \
        ["", "seminar", "workshop", "study_trip"]
    assert form.xpath(".//select[@id='partner']/option/@value") == ["", "tas", "vpk"]


def test_the_list_is_in_english_for_english_readers(client, make_event, per_page):
    _events(make_event, 4)
    page = _page(client, "/?page=2", **{"Accept-Language": "en"})
    assert page.xpath("string(//h2[@id='results'])") == "4 upcoming events – page 2 of 2"
    assert page.xpath("//a[@rel='prev']/text()") == ["Previous page"]
    assert page.xpath("string(//form//h2)") == "Find events"
    empty = _page(client, "/?kind=study_trip", **{"Accept-Language": "en"})
    assert "No upcoming events match your choices" in empty.text_content()


def test_parsing_the_address_values():
    assert parse_page("12") == 12
    assert parse_page("٣") is None  # digits of another script are no page number
    assert parse_page("1" * 30) == 10**9
    assert parse_month("2026-03").isoformat() == "2026-03-01"
    assert parse_month("2026-3") is None


#: The budget of every public page (bench/page_weight.py): HTML, CSS and JS as served.
BUDGET = 30 * 1024


def test_the_home_page_with_1000_events_stays_within_its_budget(client):
    # Summaries as long as the bench's (160 characters; the demo's are 50–135).
    add_events(1000, summary="Arutame, kuidas kogukonnamaja aasta läbi kasutada. " * 3)
    month = (utcnow() + timedelta(days=40)).strftime("%Y-%m")
    for path in ("/", "/?page=50", "/?page=100", "/?kind=workshop&county=voru&page=3",
                 f"/?partner=tas&month={month}", "/?kind=study_trip&page=99999",
                 "/?page=abc&month=2026-13"):
        html = client.get(path).get_data()
        page = lxml.html.fromstring(html)
        assert page.xpath("//ul[@class='event-list']/li"), path
        files = page.xpath("//link[@rel='stylesheet']/@href | //script/@src")
        weight = len(html) + sum(len(client.get(url).get_data()) for url in files)
        assert len(files) == 2
        assert weight <= BUDGET, f"{path}: {weight} bytes"


@pytest.mark.parametrize(("number", "pages", "shown"), [
    (1, 1, [1]),
    (1, 10, [1, 2, None, 10]),
    (4, 10, [1, 2, 3, 4, 5, None, 10]),  # "…" never hides a single number
    (5, 10, [1, None, 4, 5, 6, None, 10]),
    (10, 10, [1, None, 9, 10]),
])
def test_the_page_numbers_linked(number, pages, shown):
    assert EventPage([], number, pages, pages * 10, 10).numbers == shown
