"""The funder's evidence pack for one event: cover, programme, attendance, figures, feedback,
idea-board outcomes and photo refusals, as one PDF (and a ZIP of the parts).

``gather`` reads the database (a fixed number of queries) into plain data; ``pack_pdf`` and
``pack_zip`` turn that data into bytes. Always in Estonian, the funder's language.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from koosloome.arrangements import services as arrangements
from koosloome.arrangements.kinds import STATUS_LABELS
from koosloome.arrangements.models import ArrangementStatus
from koosloome.bilingual import localised
from koosloome.boards.models import Board
from koosloome.boards.queries import BoardView, load_board
from koosloome.downloads import ascii_file_name
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.feedback import services as feedback
from koosloome.feedback.models import FeedbackKind
from koosloome.files import services as files
from koosloome.files.models import EventFileKind
from koosloome.i18n import format_date, format_span, format_time
from koosloome.outcomes import labels as outcome
from koosloome.outcomes.services import actions_of, count_actions
from koosloome.privacy import tally
from koosloome.privacy.tally import tallies
from koosloome.registrations.choices import ALL_AGE_BANDS, COUNTIES, GENDERS, SECTORS
from koosloome.registrations.models import Registration
from koosloome.reports.attendance import attendance_pdf, sheet_for_event
from koosloome.reports.participants import load as load_registrations
from koosloome.reports.pdf import FONT, PROJECT_NAME, ReportPDF
from koosloome.spreadsheet import neutralise
from koosloome.trips.models import TripReport

#: Smallest group shown as a number in aggregated figures (smaller ones read "<3").
MIN_CELL = 3


@dataclass(frozen=True)
class Figure:
    """One line of an aggregated table: a label and a count (or "<3")."""

    label: str
    value: str


@dataclass(frozen=True)
class PackFile:
    """A file of the event that belongs in the pack: where it goes in the ZIP, what the PDF
    says of it, and its bytes (None when storage has lost them: the PDF says so)."""

    path: str
    line: str
    data: bytes | None


#: The files that are evidence, and their folder in the ZIP.
PACK_FOLDERS = {EventFileKind.ATTENDANCE_SCAN: "allkirjastatud-nimekirjad",
                EventFileKind.MATERIAL: "materjalid"}


@dataclass
class Pack:
    """Everything the evidence pack shows, as text."""

    title: str
    date: str
    place: str
    organisers: str
    programme: list[tuple[str, str, str]] = field(default_factory=list)
    attendees: list[tuple[str, str, str, str]] = field(default_factory=list)
    registered: int = 0
    checked_in: int = 0
    figures: dict[str, list[Figure]] = field(default_factory=dict)
    feedback_total: int | None = None
    feedback_lines: list[str] = field(default_factory=list)
    board_lines: list[str] = field(default_factory=list)
    arrangement_lines: list[str] = field(default_factory=list)
    photo_refusals: list[str] = field(default_factory=list)
    #: A study trip's report: what was learned at each stop, and after.
    trip_report_lines: list[str] = field(default_factory=list)
    attendance_sheet: bytes = b""
    feedback_csv: str = ""
    #: Signed attendance sheets (scans) and materials, in the ZIP and listed in the PDF.
    files: list[PackFile] = field(default_factory=list)


def _count_cell(count: int) -> str:
    return "<3" if 0 < count < MIN_CELL else str(count)


def _figures(people: list[Registration], attribute: str, labels: tuple) -> list[Figure]:
    names = {code: str(label) for code, label in labels}
    counts = Counter(getattr(person, attribute) for person in people)
    rows = [Figure(names.get(code, code), _count_cell(count))
            for code, count in sorted(counts.items(), key=lambda item: -item[1]) if code]
    unknown = counts.get(None, 0)
    if unknown:
        rows.append(Figure(_("Not stated"), _count_cell(unknown)))
    return rows


def _disability_figures(event: Event, people: list[Registration],
                        checked_in_only: bool) -> list[Figure]:
    """Answers still held, plus the counts kept of answers the retention purge deleted."""
    counts = Counter(person.has_disability for person in people
                     if person.health_purged_at is None)
    for kept in tallies([event.id]):
        if kept.dimension == tally.DISABILITY:
            answer = {"yes": True, "no": False}.get(kept.value)
            counts[answer] += kept.checked_in if checked_in_only else kept.count
    return [Figure(_("Yes"), _count_cell(counts.get(True, 0))),
            Figure(_("No"), _count_cell(counts.get(False, 0))),
            Figure(_("Not stated"), _count_cell(counts.get(None, 0)))]


def _feedback_lines(event: Event) -> tuple[int | None, list[str], str]:
    survey = feedback.survey_for_event(event)
    if survey is None:
        return None, [], ""
    total, summaries = feedback.summarise(survey)
    lines = []
    for summary in summaries:
        question = summary.question
        head = f"{question.label_et} ({_('%(num)d answers', num=summary.answered)})"
        if summary.average is not None:
            head += f", {_('average %(value)s', value=str(summary.average).replace('.', ','))}"
        lines.append(head)
        if summary.suppressed:
            lines.append("   " + _("Fewer than 3 answers: not broken down."))
        for value, count in summary.breakdown:
            label = value if question.kind is FeedbackKind.SCALE else \
                feedback.choice_label(question, value, "et")
            lines.append(f"   {label}: {count}")
        lines.extend(f"   – {answer.value}" for answer in summary.texts)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in feedback.summary_rows(survey, "et"):
        writer.writerow([neutralise(cell) for cell in row])
    return total, lines, buffer.getvalue()


def _board_lines(event: Event) -> list[str]:
    boards = db.session.scalars(select(Board).where(Board.event_id == event.id)).all()
    lines: list[str] = []
    for board in boards:
        view: BoardView = load_board(board, facilitator=True, ranked=True, show_counts=True)
        lines.append(f"{board.title}: {board.question}")
        lines.append("   " + _("%(people)d participants, %(ideas)d ideas",
                               people=view.participant_count, ideas=view.idea_count))
        for column in view.columns:
            top = [idea for idea in view.top(column, limit=3) if not idea.hidden]
            if top:
                lines.append(f"   {column.title}:")
                lines.extend(f"      {idea.text} ({idea.votes or 0})" for idea in top)
        for theme in view.themes:
            lines.append("   " + _("Theme: %(name)s (%(count)d ideas)", name=theme.title,
                                   count=len(theme.ideas)))
        lines.extend(_action_lines(board))
    return lines


def _action_lines(board: Board) -> list[str]:
    """What the board's ideas became: each action with its status, target group and funding,
    and the counts by status."""
    actions = actions_of(board)
    if not actions:
        return []
    counts = count_actions(actions)
    lines = ["   " + _("What came of the ideas: %(counts)s", counts=", ".join(
        f"{label} {counts.by_status[status]}"
        for status, label in outcome.STATUS_LABELS.items() if counts.by_status[status]))]
    for action in actions:
        facts = [str(outcome.STATUS_LABELS[action.status]),
                 str(outcome.TARGET_GROUP_LABELS[action.target_group])]
        if action.funding:
            facts.append(str(outcome.FUNDING_LABELS[action.funding]))
        if action.dropped_reason:
            facts.append(_("dropped because: %(reason)s", reason=action.dropped_reason))
        lines.append(f"      {action.title} ({'; '.join(facts)})")
    return lines


def _arrangement_lines(event: Event) -> list[str]:
    """What was asked for and what was arranged: counts and statuses, no names."""
    return [
        f"   {line.label}: "
        + _("asked for by %(people)s; %(status)s", people=_count_cell(line.people),
            status=str(STATUS_LABELS[line.status]).lower())
        + (f" ({line.arrangement.reason})" if line.arrangement and line.arrangement.reason
           and line.status is ArrangementStatus.IMPOSSIBLE else "")
        for line in arrangements.lines(event)
    ]


def gather(event: Event) -> Pack:
    """Read everything the pack needs."""
    with force_locale("et"):
        attending = load_registrations(event, attending_only=True)
        people = attending.registrations
        organisers = [event.organisation.name] + (
            [event.co_organiser.name] if event.co_organiser else [])
        pack = Pack(
            title=event.title_et,
            date=format_span(event.starts_at, event.ends_at, "et"),
            place=", ".join(p for p in (event.venue_name, event.venue_address) if p),
            organisers=", ".join(organisers),
            registered=len(people),
            checked_in=sum(1 for person in people if person.checked_in_at),
        )
        pack.programme = [
            (format_time(item.starts_at) if format_date(item.starts_at, "et")
             == format_date(event.starts_at, "et")
             else f"{format_date(item.starts_at, 'et')} {format_time(item.starts_at)}",
             localised(item, "title", "et"),
             ", ".join(p for p in (item.speaker, item.room_et) if p))
            for item in event.agenda
        ]
        sectors = {code: str(label) for code, label in SECTORS}
        pack.attendees = [
            (person.name, " / ".join(p for p in (person.organisation_name,
                                                  sectors.get(person.sector or "", "")) if p),
             person.municipality or "", format_time(person.checked_in_at))
            for person in people
        ]
        checked_in_only = any(person.checked_in_at for person in people)
        counted = [person for person in people if person.checked_in_at] or people
        pack.figures = {
            _("County"): _figures(counted, "county", COUNTIES),
            _("Municipality"): _figures(counted, "municipality", ()),
            _("Sector"): _figures(counted, "sector", SECTORS),
            _("Gender"): _figures(counted, "gender", GENDERS),
            _("Age"): _figures(counted, "age_band", ALL_AGE_BANDS),
            _("Participants with a disability"): _disability_figures(
                event, counted, checked_in_only),
        }
        pack.feedback_total, pack.feedback_lines, pack.feedback_csv = _feedback_lines(event)
        pack.board_lines = _board_lines(event)
        pack.arrangement_lines = _arrangement_lines(event)
        pack.photo_refusals = [person.name for person in people if not person.consent_photos]
        pack.trip_report_lines = _trip_report_lines(event)
        pack.attendance_sheet = attendance_pdf(sheet_for_event(attending, mark_checked_in=True))
        pack.files = _pack_files(event)
    return pack


def _pack_files(event: Event) -> list[PackFile]:
    """The event's signed attendance sheets, then its materials (photos stay out: they
    show people, and the pack travels)."""
    found: list[PackFile] = []
    for kind, folder in PACK_FOLDERS.items():
        label = _("Signed attendance sheet") if kind is EventFileKind.ATTENDANCE_SCAN \
            else _("Material")
        for number, item in enumerate(files.event_files(event, kind), 1):
            name = f"{folder}/{number:02d}-{ascii_file_name(item.stored.original_name)}"
            try:
                data: bytes | None = files.read_stored_file(item.stored)
            except files.MissingBytes:
                data = None
            line = f"   {label}: {item.title} ({name})"
            if data is None:
                line += " – " + _("the file is missing from storage")
            found.append(PackFile(name, line, data))
    return found


def _trip_report_lines(event: Event) -> list[str]:
    """The trip report in Estonian: each stop's lesson, the whole, next steps, contacts."""
    report = db.session.scalars(select(TripReport).where(TripReport.event_id == event.id)).first()
    if report is None:
        return []
    lines = [f"{stop.place_et}: {' '.join(stop.learned_et.split())}"
             for day in event.itinerary for stop in day.stops if stop.learned_et]
    for label, text in ((_("What we learned"), report.summary_et),
                        (_("What the travellers will do next"), report.next_steps_et),
                        (_("Contacts made"), report.contacts)):
        if text.strip():
            lines.append(f"{label}: {' '.join(text.split())}")
    return lines


class _PackPDF(ReportPDF):
    def footer(self) -> None:
        """Page numbers and the funding statement."""
        self.page_footer(f"{PROJECT_NAME} · {_('Evidence pack')}")


def _heading(pdf: ReportPDF, text: str) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(4)
    pdf.heading(text, size=13)


def _lines(pdf: ReportPDF, lines: list[str]) -> None:
    for line in lines:
        pdf.multi_cell(pdf.content_width, 5.5, line)


def _cover(pdf: ReportPDF, pack: Pack) -> None:
    pdf.add_page()
    pdf.logos(pdf.l_margin, pdf.t_margin)
    pdf.set_y(40)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(pdf.content_width, 10, _("Evidence pack"))
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(pdf.content_width, 7,
                   _("LEADER cooperation project “%(name)s”", name=PROJECT_NAME))
    pdf.multi_cell(pdf.content_width, 7,
                   _("Partners: Võrumaa Partnerluskogu (lead partner), Tartumaa Arendusselts"))
    pdf.ln(6)
    for label, value in ((_("Event"), pack.title), (_("Date"), pack.date),
                         (_("Place"), pack.place), (_("Organiser"), pack.organisers)):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(35, 7, label)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(pdf.content_width - 35, 7, value)


def _attendance(pdf: ReportPDF, pack: Pack) -> None:
    _heading(pdf, _("Attendance"))
    pdf.multi_cell(pdf.content_width, 5.5, _(
        "Registered: %(registered)d. Checked in at the event: %(checked_in)d.",
        registered=pack.registered, checked_in=pack.checked_in))
    if not pack.checked_in:
        pdf.multi_cell(pdf.content_width, 5.5, _(
            "Nobody was checked in at this event: the list shows the confirmed registrations; "
            "the signed attendance sheet is the evidence of attendance."))
    widths = [10, 58, 58, 36, 24]
    pdf.table_row(widths, [_("No."), _("Name"), _("Organisation / sector"), _("Municipality"),
                           _("Arrived")], 7, bold=True, fill=True)
    for number, (name, organisation, municipality, arrived) in enumerate(pack.attendees, 1):
        pdf.table_row(widths, [str(number), name, organisation, municipality, arrived], 7)
    if not pack.attendees:
        pdf.multi_cell(pdf.content_width, 5.5, _("No registrations."))


def pack_pdf(pack: Pack) -> bytes:
    """The evidence pack as one PDF."""
    with force_locale("et"):
        pdf = _PackPDF(funded=True)
        pdf.set_title(f"{_('Evidence pack')}: {pack.title}")
        _cover(pdf, pack)
        _heading(pdf, _("Programme"))
        if pack.programme:
            widths = [30, 100, 56]
            for time_text, title, speaker in pack.programme:
                pdf.table_row(widths, [time_text, title, speaker], 7)
        else:
            pdf.multi_cell(pdf.content_width, 5.5, _("No programme was entered."))
        _attendance(pdf, pack)
        _heading(pdf, _("Participants by county, sector and target group"))
        pdf.multi_cell(pdf.content_width, 5.5, _(
            "Self-declared and counted only in aggregate; groups smaller than 3 are shown "
            "as “<3”."))
        for title, figures in pack.figures.items():
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(pdf.content_width, 6, title)
            pdf.set_font(FONT, "", 10)
            _lines(pdf, [f"   {figure.label}: {figure.value}" for figure in figures] or
                   ["   " + _("No data.")])
        _heading(pdf, _("Participant feedback"))
        if pack.feedback_total is None:
            pdf.multi_cell(pdf.content_width, 5.5, _("No feedback survey was held."))
        else:
            pdf.multi_cell(pdf.content_width, 5.5,
                           _("Responses: %(count)d", count=pack.feedback_total))
            _lines(pdf, pack.feedback_lines)
        _heading(pdf, _("Access needs: what was asked for and what was arranged"))
        _lines(pdf, pack.arrangement_lines or ["   " + _("Nobody asked for anything to be "
                                                          "arranged.")])
        if pack.trip_report_lines:
            _heading(pdf, _("Trip report"))
            for line in pack.trip_report_lines:
                pdf.multi_cell(pdf.content_width, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        if pack.board_lines:
            _heading(pdf, _("Co-creation: idea board"))
            _lines(pdf, pack.board_lines)
        _heading(pdf, _("Files in the pack"))
        _lines(pdf, [item.line for item in pack.files] or [
            "   " + _("No signed attendance sheets or materials were uploaded.")])
        _heading(pdf, _("People who did not agree to the publication of photos"))
        pdf.multi_cell(pdf.content_width, 5.5, _(
            "For checking published photos. For the organisers only."))
        _lines(pdf, [f"   {name}" for name in pack.photo_refusals] or ["   " + _("Nobody.")])
        return bytes(pdf.output())


def pack_zip(pack: Pack) -> bytes:
    """The pack PDF with its parts: the attendance sheet, the feedback summary, the signed
    attendance sheets and the materials."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("toendid.pdf", pack_pdf(pack))
        archive.writestr("osavotjate-nimekiri.pdf", pack.attendance_sheet)
        if pack.feedback_csv:
            archive.writestr("tagasiside.csv", "\ufeff" + pack.feedback_csv)
        if pack.board_lines:
            archive.writestr("ideetahvel.txt", "\n".join(pack.board_lines) + "\n")
        for item in pack.files:
            if item.data is not None:
                archive.writestr(item.path, item.data)
    return buffer.getvalue()
