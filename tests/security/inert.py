"""Checks that hostile text came out inert: HTML, e-mails, calendars, spreadsheets."""

from __future__ import annotations

import csv
import email
import email.policy
import io
from collections.abc import Iterable
from email.message import EmailMessage
from html.parser import HTMLParser

import icalendar
from openpyxl import load_workbook

from koosloome.messaging.mime import build_message, header_text, message_bytes
from koosloome.spreadsheet import FORMULA_TRIGGERS
from tests.security.corpus import Payload

#: Elements no page of ours contains: if one shows up, a payload became markup.
FOREIGN_TAGS = frozenset({
    "iframe", "object", "embed", "base", "math", "svg", "style", "frame", "frameset", "applet",
    "mglyph", "mtext",
})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "xlink:href",
                            "background", "poster"})
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
#: Headers our messages carry, each exactly once.
MAIL_HEADERS = frozenset({
    "from", "to", "subject", "date", "message-id", "content-language", "auto-submitted",
    "mime-version", "content-type", "content-transfer-encoding",
})


def flat(text: str) -> str:
    """Whitespace runs as one space: pages wrap and indent text, emails fold it."""
    return " ".join(text.split())


class _Scan(HTMLParser):
    """Collects what a browser would act on (tags, attributes) and what it would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.shown: list[str] = []
        self.bodies = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.shown.append(data)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> {values}")
        if tag in FOREIGN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv> {values}")
        if tag == "body":
            self.bodies += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "autofocus" and tag not in {"input", "textarea", "select", "div"}:
                self.problems.append(f"<{tag} autofocus>")
            cleaned = "".join(ch for ch in value if ch > " ").lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and any(bad in cleaned for bad in ("expression(", "javascript:",
                                                                   "url(")):
                self.problems.append(f"<{tag} style={value!r}>")
            self.shown.append(value)


def scan(html: str) -> _Scan:
    """Parse ``html`` once."""
    parser = _Scan()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert_html(html: str, shows: Iterable[str], where: str) -> int:
    """No payload became markup in ``html``, and each text of ``shows`` is on the page (as
    text or as a form value), so the check cannot pass on a page that omits the field.
    Returns the number of checks made."""
    result = scan(html)
    assert not result.problems, f"{where}: {result.problems[:5]}"
    assert result.bodies <= 1, f"{where}: a payload opened a second <body>"
    shown = flat(" ".join(result.shown))
    checks = 1
    for text in shows:
        assert flat(text) in shown, f"{where}: {text!r} is not shown"
        checks += 1
    return checks


def parse_mail(row: object, sender: str = "Koosloome <koosloome@koosloome.test>") -> (
    EmailMessage
):
    """The outbox row as the recipient's mail program reads it."""
    data = message_bytes(build_message(row, sender))  # type: ignore[arg-type]
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def assert_clean_mail(message: EmailMessage, to_name: str, shows: Iterable[str],
                      subject_shows: Iterable[str] = (), where: str = "") -> int:
    """Headers are ours alone (none split off by a CR/LF in a name or title); the HTML part is
    inert; the texts are in both parts, and the text part is not HTML-escaped."""
    names = [name.lower() for name in message]
    assert set(names) <= MAIL_HEADERS, f"{where}: foreign headers {set(names) - MAIL_HEADERS}"
    assert len(names) == len(set(names)), f"{where}: a header repeats: {names}"
    recipients = message["To"].addresses
    assert len(recipients) == 1, f"{where}: {message['To']!r} names several recipients"
    assert recipients[0].display_name == header_text(to_name, 200)
    subject = str(message["Subject"])
    for text in subject_shows:
        assert header_text(text) in subject, f"{where}: {text!r} not in subject {subject!r}"
    shows = list(shows)
    html = message.get_body(preferencelist=("html",)).get_content()
    checks = 4 + assert_inert_html(html, shows, f"{where} (HTML part)")
    plain = flat(message.get_body(preferencelist=("plain",)).get_content())
    for text in shows:
        assert flat(text) in plain, f"{where}: {text!r} not in the text part"
        checks += 1
    return checks


def calendar_event(data: bytes, where: str) -> icalendar.Event:
    """The single VEVENT of a calendar; no property was smuggled in by a text."""
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1, f"{where}: {len(events)} VEVENTs"
    assert len(calendar.walk("VCALENDAR")) == 1, f"{where}: a second VCALENDAR"
    event = events[0]
    injected = [key for key in event if key.startswith("X-") or isinstance(event[key], list)]
    assert not injected, f"{where}: injected properties {injected}"
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list), f"{where}: several ATTENDEEs"
    return event


def assert_calendar_texts(event: icalendar.Event, expected: dict[str, str], where: str) -> int:
    """SUMMARY, LOCATION and DESCRIPTION hold the texts exactly (round trip; a calendar has
    one kind of line break, so CR LF comes back as LF)."""
    for key, text in expected.items():
        value, text = _lines(str(event.get(key, ""))), _lines(text)
        assert text in value, f"{where}: {key} {value!r} lacks {text!r}"
    return len(expected)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cells(data: str, delimiter: str = ",") -> list[str]:
    """Every cell of a CSV file (after its byte-order mark, if any)."""
    reader = csv.reader(io.StringIO(data.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    return [cell for row in reader for cell in row]


def assert_inert_cells(cells: Iterable[object], payloads: Iterable[Payload], where: str) -> int:
    """CSV: no cell starts like a formula, and each payload's text is in some cell (with the
    apostrophe a formula-looking text gets)."""
    cells = [c for c in cells if c is not None]
    formulas = [c for c in cells if _formula(c)]
    assert not formulas, f"{where}: formula cells {formulas[:3]}"
    return 1 + _assert_texts_in(cells, payloads, where)


def _assert_texts_in(cells: list[object], payloads: Iterable[Payload], where: str) -> int:
    texts = {str(c) for c in cells}
    joined = flat(" ".join(texts))
    checks = 0
    for payload in payloads:
        text = payload.stored
        wanted = {text, text.strip(), "'" + text, "'" + text.strip()}
        assert texts & wanted or flat(text) in joined, f"{where}: {text!r} is in no cell"
        checks += 1
    return checks


def assert_inert_xlsx(data: bytes, payloads: Iterable[Payload], where: str) -> int:
    """XLSX: no cell is a formula (text is written as text cells, shown as typed), and each
    payload's text is in some cell."""
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    book.close()
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert not formulas, f"{where}: formula cells {formulas[:3]}"
    values = [cell.value for cell in cells if cell.value is not None]
    return 1 + _assert_texts_in(values, payloads, where)


