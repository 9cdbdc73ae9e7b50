"""The project's forms: its record, a partner's budget, a budget line, the targets, a cost
and the ledger's filter."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from koosloome.form_dates import within_years
from koosloome.form_fields import chosen_id, finite, long_text_field, text_field
from koosloome.projects.labels import COST_LABELS, INDICATOR_LABELS, KIND_CHOICES
from koosloome.projects.models import Indicator

MOST_EUROS = 10_000_000


def euro_field(label: Any, required: bool = True) -> DecimalField:
    """An amount in euros, to the cent, 0 … 10 million."""
    first = InputRequired(_l("Enter the amount")) if required else Optional()
    return DecimalField(label, places=2,
                        validators=[first, finite, NumberRange(min=0, max=MOST_EUROS)])


def _later_or_same(form: Any, field: Any) -> None:
    if form.starts_on.data and field.data and field.data < form.starts_on.data:
        raise ValidationError(_l("The last day must be the same as or after the first"))


class ProjectForm(FlaskForm):
    """The project's name, the funder's number for it, its period and lead partner."""

    name_et = text_field(_l("Name in Estonian"), 300, required=True)
    name_en = text_field(_l("Name in English"), 300)
    code = text_field(_l("Project number"), 60)
    starts_on = DateField(_l("Starts on"), validators=[
        InputRequired(_l("Enter the first day")), within_years])
    ends_on = DateField(_l("Ends on"), validators=[
        InputRequired(_l("Enter the last day")), within_years, _later_or_same])
    lead_partner_id = SelectField(_l("Lead partner"), validators=[Optional()])
    note_et = long_text_field(_l("A note for the project page, in Estonian"), 2000)
    note_en = long_text_field(_l("A note for the project page, in English"), 2000)

    def set_partners(self, partners: list[Any]) -> None:
        """The organisations that may lead."""
        self.lead_partner_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(o.id), o.name) for o in partners]

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        values = {name: self[name].data for name in ("name_et", "name_en", "code",
                                                     "starts_on", "ends_on", "note_et",
                                                     "note_en")}
        values["lead_partner_id"] = chosen_id(self.lead_partner_id.data)
        return values


class PartnerBudgetForm(FlaskForm):
    """A partner's budget and the LEADER support in it."""

    budget = euro_field(_l("Budget (€)"))
    leader_support = euro_field(_l("Of which LEADER support (€)"), required=False)


class BudgetLineForm(FlaskForm):
    """A line of a partner's budget."""

    name_et = text_field(_l("Name in Estonian"), 200, required=True)
    name_en = text_field(_l("Name in English"), 200)
    planned = euro_field(_l("Planned (€)"))
    event_kind = SelectField(_l("Costs of these events land on it"), choices=KIND_CHOICES,
                             validators=[Optional()])

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        return {name: self[name].data for name in ("name_et", "name_en", "planned",
                                                   "event_kind")}


class TargetsForm(FlaskForm):
    """One optional whole number per indicator."""

    def targets(self) -> dict[Indicator, int | None]:
        """The targets typed (empty: none)."""
        return {indicator: self[indicator.value].data for indicator in Indicator}


for _indicator in Indicator:
    setattr(TargetsForm, _indicator.value, IntegerField(
        INDICATOR_LABELS[_indicator], validators=[Optional(), NumberRange(min=0, max=1_000_000)]))


class CostForm(FlaskForm):
    """One cost as on its invoice or receipt."""

    spent_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date")),
                                                 within_years])
    amount = euro_field(_l("Amount (€)"))
    category = SelectField(_l("What for"), choices=[
        SelectChoice(value.value, label) for value, label in COST_LABELS.items()])
    organisation_id = SelectField(_l("Partner who paid"))
    budget_line_id = SelectField(_l("Budget line"), validators=[Optional()])
    event_id = SelectField(_l("Event or trip"), validators=[Optional()])
    supplier = text_field(_l("Supplier"), 200)
    note = text_field(_l("Note, e.g. the invoice number"), 500)
    document = FileField(_l("Invoice or receipt"))

    def set_choices(self, partners: list[Any], lines: list[Any], events: list[Any],
                    line_label: Any) -> None:
        """The partners the user may enter costs for, their lines and events."""
        self.organisation_id.choices = [SelectChoice(str(p.organisation_id),
                                                     p.organisation.name) for p in partners]
        self.budget_line_id.choices = [SelectChoice("", _l("The usual line for the event"))] + [
            SelectChoice(str(line.id), line_label(line)) for line in lines]
        self.event_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(event.id), label) for event, label in events]

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        values = {name: self[name].data for name in ("spent_on", "amount", "category",
                                                     "supplier", "note")}
        for name in ("organisation_id", "budget_line_id", "event_id"):
            values[name] = chosen_id(self[name].data)
        return values


class CostFilterForm(FlaskForm):
    """Which costs to list and claim (sent with GET)."""

    class Meta:
        csrf = False

    partner = SelectField(_l("Partner"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional(), within_years])
    end = DateField(_l("To"), validators=[Optional(), within_years])

    def validate_end(self, field: Any) -> None:
        """The last day comes on or after the first."""
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The last day must be the same as or after the first"))
