"""The travel-details form a traveller fills in after accepting their place (the API feeds
it its JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from koosloome.form_dates import within_years
from koosloome.form_fields import (
    TriStateField,
    chosen_id,
    finite,
    long_text_field,
    text_field,
)
from koosloome.projects.labels import COST_LABELS
from koosloome.trips.models import DocumentType, RoomChoice

DOCUMENT_LABELS = {DocumentType.PASSPORT: _l("Passport"), DocumentType.ID_CARD: _l("ID card")}
ROOM_LABELS = {RoomChoice.EITHER: _l("Either is fine"), RoomChoice.SHARED: _l("A shared room"),
               RoomChoice.SINGLE: _l("A single room")}


def born_since_1900(_form: Any, field: Any) -> None:
    """A date of birth from 1900 on (older travellers are welcome; earlier is a slip)."""
    if isinstance(field.data, date) and field.data.year < FIRST_BIRTH_YEAR:
        raise ValidationError(_l("Enter a date of birth from %(year)s on",
                                 year=FIRST_BIRTH_YEAR))


FIRST_BIRTH_YEAR = 1900


class TravelForm(FlaskForm):
    """Only what the trip needs: for the tickets, the insurance, the rooms and the road."""

    document_name = text_field(_l("Your name as in your travel document"), 200, required=True)
    date_of_birth = DateField(_l("Date of birth"), validators=[born_since_1900])
    document_type = SelectField(
        _l("Travel document"),
        choices=[SelectChoice(value.value, label) for value, label in DOCUMENT_LABELS.items()])
    document_expiry = DateField(_l("The document is valid until"), validators=[within_years])
    document_number = text_field(_l("Document number"), 40)
    emergency_name = text_field(_l("Whom to call in an emergency"), 200, required=True)
    emergency_phone = text_field(_l("Their phone number"), 40, required=True)
    ehic = TriStateField(_l("Do you have a European Health Insurance Card?"))
    room = SelectField(
        _l("Room"), choices=[SelectChoice(value.value, label)
                             for value, label in ROOM_LABELS.items()])
    room_with = text_field(_l("With whom would you like to share a room?"), 200)
    bus_needs = text_field(_l("Seat or mobility needs on the bus"), 500)
    diet = text_field(_l("Diet or allergies"), 500)

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        values = {name: field.data for name, field in self._fields.items()
                  if name != "csrf_token"}
        values["ehic"] = self.ehic.as_bool()
        return values


class CostForm(FlaskForm):
    """One actual cost of the trip, as on its invoice."""

    category = SelectField(_l("What for"), choices=[SelectChoice(value.value, label)
                                                  for value, label in COST_LABELS.items()])
    amount = DecimalField(_l("Amount (€)"), places=2, validators=[
        InputRequired(_l("Enter the amount")), finite, NumberRange(min=0, max=10_000_000)])
    supplier = text_field(_l("Supplier"), 200)
    note = text_field(_l("Note, e.g. the invoice number"), 500)

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}


class ReportForm(FlaskForm):
    """The trip report's own texts; ``report_form`` adds a pair of fields per stop."""

    summary_et = long_text_field(_l("What we learned, in Estonian"), 20000)
    summary_en = long_text_field(_l("What we learned, in English"), 20000)
    next_steps_et = long_text_field(_l("What the travellers will do next, in Estonian"), 20000)
    next_steps_en = long_text_field(_l("What the travellers will do next, in English"), 20000)
    contacts = long_text_field(_l("Contacts made (not published)"), 20000)
    publish = BooleanField(_l("Publish the “what we learned” page"))

    def values(self) -> dict[str, Any]:
        """The report's own fields."""
        return {name: getattr(self, name).data for name in (
            "summary_et", "summary_en", "next_steps_et", "next_steps_en", "contacts",
            "publish")}

    def learned(self) -> dict[int, tuple[str, str]]:
        """What was learned at each stop: stop id → (Estonian, English)."""
        return {stop_id: (self[f"stop_{stop_id}_et"].data or "",
                          self[f"stop_{stop_id}_en"].data or "")
                for stop_id in getattr(self, "stop_ids", ())}


def report_form(stops: list[Any], **kwargs: Any) -> ReportForm:
    """A report form with a field per stop and language (``stop_<id>_et``, ``…_en``)."""
    attributes: dict[str, Any] = {"stop_ids": [stop.id for stop in stops]}
    for stop in stops:
        attributes[f"stop_{stop.id}_et"] = long_text_field(
            _l("Learned at %(place)s, in Estonian", place=stop.place_et), 10000)
        attributes[f"stop_{stop.id}_en"] = long_text_field(
            _l("Learned at %(place)s, in English", place=stop.place_et), 10000)
    form_class = type("StopReportForm", (ReportForm,), attributes)
    return form_class(**kwargs)


class LeaderForm(FlaskForm):
    """Who leads the trip; ``set_choices`` lists the partners' organisers."""

    leader = SelectField(_l("Trip leader"), validators=[Optional()])

    def set_choices(self, people: list[Any]) -> None:
        """The organisers who may lead the trip, and "nobody yet"."""
        self.leader.choices = [SelectChoice("", _l("Nobody yet"))] + [
            SelectChoice(str(person.id), f"{person.name} ({person.organisation.short_name})")
            for person in people]

    def leader_id(self) -> int | None:
        """The chosen person's id (None: nobody)."""
        return chosen_id(self.leader.data)
