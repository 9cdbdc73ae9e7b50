"""The calendar builders, without a database: time zones, folding, escaping, links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from koosloome.messaging import ical
from tests.mail.helpers import parse_invite

TALLINN = "Europe/Tallinn"
STAMP = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)


def _entry(**fields) -> ical.CalendarEntry:
    values = {
        "uid": "koosloome-registration-7@koosloome.test",
        "sequence": 0,
        "summary": "Kaasav planeerimine",
        "starts_at": datetime(2025, 3, 5, 12, 0, tzinfo=UTC),
        "ends_at": datetime(2025, 3, 5, 16, 0, tzinfo=UTC),
        "location": "Võru Kultuurimaja Kannel, Liiva 13, Võru",
        "organizer": ical.Person("Võrumaa Partnerluskogu", "vpk@koosloome.example"),
        "attendee": ical.Person("Mari Maasikas", "mari@example.ee"),
    }
    values.update(fields)
    return ical.CalendarEntry(**values)


def _zones_from(data: bytes) -> tuple:
    """The VTIMEZONE as a tzinfo, once per parser."""
    return (
        icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0].to_tz(),
        vobject.readOne(data.decode()).vtimezone.gettzinfo(),
    )


def _calendar_with_zone(tzid: str, first: int, last: int) -> bytes:
    zone = ical.vtimezone(tzid, first, last).to_ical()
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + zone + b"END:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("tzid", "first", "last"),
    [
        (TALLINN, 2024, 2027),
        (TALLINN, 1998, 2003),  # Estonia skipped summer time in 2000-2001
        ("America/New_York", 2006, 2008),  # the US rules changed in 2007
        ("Asia/Tokyo", 2025, 2025),  # no summer time at all
    ],
)
def test_vtimezone_agrees_with_tzdata_every_hour(tzid, first, last):
    reference = ZoneInfo(tzid)
    parsed = _zones_from(_calendar_with_zone(tzid, first, last))
    moment = datetime(first, 1, 1, tzinfo=UTC)
    wrong = []
    while moment < datetime(last + 1, 1, 1, tzinfo=UTC):
        expected = moment.astimezone(reference).utcoffset()
        for zone in parsed:
            if moment.astimezone(zone).utcoffset() != expected:
                wrong.append((moment, zone))
        moment += timedelta(hours=1)
    assert wrong == []


@pytest.mark.parametrize(
    ("before", "after", "offset_before", "offset_after"),
    [
        # 30 March 2025: clocks go from 03:00 EET to 04:00 EEST at 01:00 UTC.
        (datetime(2025, 3, 30, 0, 59, tzinfo=UTC), datetime(2025, 3, 30, 1, 0, tzinfo=UTC), 2, 3),
        # 26 October 2025: clocks go from 04:00 EEST back to 03:00 EET at 01:00 UTC.
        (datetime(2025, 10, 26, 0, 59, tzinfo=UTC), datetime(2025, 10, 26, 1, 0, tzinfo=UTC), 3, 2),
    ],
)
def test_tallinn_changes_happen_at_the_right_minute(before, after, offset_before, offset_after):
    for zone in _zones_from(_calendar_with_zone(TALLINN, 2024, 2026)):
        assert before.astimezone(zone).utcoffset() == timedelta(hours=offset_before)
        assert after.astimezone(zone).utcoffset() == timedelta(hours=offset_after)


def test_invite_times_read_back_as_the_same_instants_in_both_parsers():
    # One event just before and one just after the March change.
    march_29, march_31 = (datetime(2025, 3, day, 8, 0, tzinfo=UTC) for day in (29, 31))
    for starts_at in (march_29, march_31):
        data = ical.invite(_entry(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)),
                           TALLINN, STAMP)
        invite = parse_invite(data)
        assert b"DTSTART;TZID=Europe/Tallinn:" in data
        vobject_start = invite.vobject.vevent.dtstart.value
        # vobject resolves TZID through the VTIMEZONE in the file.
        assert vobject_start.astimezone(UTC) == starts_at
        assert invite.event.decoded("DTSTART").astimezone(UTC) == starts_at


def test_invite_has_the_required_properties():
    data = ical.invite(_entry(sequence=3, url="http://koosloome.test/events/x"), TALLINN, STAMP)
    invite = parse_invite(data)
    event = invite.vobject.vevent
    assert invite.method == "REQUEST"
    assert invite.vobject.version.value == "2.0"
    assert invite.vobject.prodid.value == ical.PRODID
    assert invite.uid == "koosloome-registration-7@koosloome.test"
    assert invite.sequence == 3
    assert event.dtstamp.value == STAMP
    assert event.status.value == "CONFIRMED"
    assert event.organizer.value == "mailto:vpk@koosloome.example"
    assert event.organizer.params["CN"] == ["Võrumaa Partnerluskogu"]
    assert event.attendee.value == "mailto:mari@example.ee"
    assert event.attendee.params["PARTSTAT"] == ["ACCEPTED"]
    assert event.attendee.params["RSVP"] == ["FALSE"]
    assert event.url.value == "http://koosloome.test/events/x"
    assert event.location.value == "Võru Kultuurimaja Kannel, Liiva 13, Võru"


def test_cancellation_keeps_the_uid_and_says_cancelled():
    request = parse_invite(ical.invite(_entry(sequence=1), TALLINN, STAMP))
    cancel = parse_invite(ical.cancellation(_entry(sequence=2), TALLINN, STAMP))
    assert cancel.method == "CANCEL"
    assert cancel.uid == request.uid
    assert cancel.sequence > request.sequence
    assert cancel.vobject.vevent.status.value == "CANCELLED"


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_characters():
    title = "Ligipääsetavuse ja kaasamise õpituba – ÕÄÖÜ šž " * 6
    description = "Rida üks\nRida kaks; koma, semikoolon ja \\ kaldkriips " * 5
    data = ical.invite(_entry(summary=title, description=description), TALLINN, STAMP)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # something was folded
    for line in physical:
        line.decode("utf-8")  # raises if a fold split a multi-byte character
    invite = parse_invite(data)
    assert invite.vobject.vevent.summary.value == title
    assert str(invite.event["SUMMARY"]) == title
    assert invite.vobject.vevent.description.value == description


def test_special_characters_are_escaped_and_survive():
    title = 'Töötuba: "Kuidas?", plaan; samm \\ 2\nteine rida'
    data = ical.invite(_entry(summary=title), TALLINN, STAMP)
    expected = 'SUMMARY:Töötuba: "Kuidas?"\\, plaan\\; samm \\\\ 2\\nteine rida'
    assert expected.encode() in data
    invite = parse_invite(data)
    assert invite.vobject.vevent.summary.value == title
    assert str(invite.event["SUMMARY"]) == title


def test_names_with_quotes_commas_and_line_breaks_stay_inside_cn():
    name = 'Mari "Mummu" Tamm, Võru\r\nvald'
    data = ical.invite(_entry(attendee=ical.Person(name, "mari@example.ee")), TALLINN, STAMP)
    invite = parse_invite(data)
    attendee = invite.vobject.vevent.attendee
    assert attendee.value == "mailto:mari@example.ee"
    # DQUOTE is not allowed in a parameter (RFC 5545), so quotes become apostrophes.
    assert attendee.params["CN"] == ["Mari 'Mummu' Tamm, Võru vald"]
    assert str(invite.event["ATTENDEE"]) == "mailto:mari@example.ee"


def test_published_feed_has_calendar_name_refresh_and_no_attendee():
    data = ical.published([_entry(attendee=None)], TALLINN, STAMP, name="Koosloome sündmused")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in data
    assert b"ATTENDEE" not in data
    calendar = parse_invite(data)
    assert calendar.method == "PUBLISH"
    assert str(calendar.icalendar["NAME"]) == "Koosloome sündmused"
    assert str(calendar.icalendar["X-WR-CALNAME"]) == "Koosloome sündmused"
    assert str(calendar.icalendar["X-WR-TIMEZONE"]) == TALLINN


def test_web_calendar_links_carry_the_event_in_utc():
    entry = _entry(description="Info")
    google = parse_qs(urlsplit(ical.google_calendar_url(entry, TALLINN)).query)
    assert google["action"] == ["TEMPLATE"]
    assert google["text"] == ["Kaasav planeerimine"]
    assert google["dates"] == ["20250305T120000Z/20250305T160000Z"]
    assert google["location"] == ["Võru Kultuurimaja Kannel, Liiva 13, Võru"]
    outlook_url = ical.outlook_calendar_url(entry)
    assert outlook_url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    outlook = parse_qs(urlsplit(outlook_url).query)
    assert outlook["startdt"] == ["2025-03-05T12:00:00Z"]
    assert outlook["subject"] == ["Kaasav planeerimine"]
