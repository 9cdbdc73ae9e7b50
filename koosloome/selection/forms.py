"""The selection's forms: a criterion, the partners' shares, and one application's review
(a score field per criterion, so the review form is made per event)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import Optional

from koosloome.accounts.models import Organisation
from koosloome.bilingual import localised
from koosloome.form_fields import (
    TriStateField,
    chosen_id,
    count_field,
    long_text_field,
    text_field,
)
from koosloome.selection.models import SelectionCriterion


class CriterionForm(FlaskForm):
    """One thing the applications are scored on."""

    name_et = text_field(_l("Criterion, in Estonian"), 200, required=True)
    name_en = text_field(_l("Criterion, in English"), 200)
    description_et = text_field(_l("What earns points, in Estonian"), 500)
    description_en = text_field(_l("What earns points, in English"), 500)
    max_score = SelectField(_l("Most points"), default="5",
                            choices=[SelectChoice(str(n), str(n)) for n in range(1, 11)])
    weight = SelectField(_l("Weight against the other criteria"), default="1",
                         choices=[SelectChoice(str(n), f"×{n}") for n in range(1, 6)])

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}


class QuotaForm(FlaskForm):
    """The partners' shares of the seats; ``quota_form`` adds a field per partner."""

    def shares(self) -> dict[int, int | None]:
        """Organisation id → seats (None: no share agreed)."""
        return {organisation_id: self[f"quota_{organisation_id}"].data
                for organisation_id in getattr(self, "organisation_ids", ())}


def quota_form(organisations: list[Organisation], capacity: int, **kwargs: Any) -> QuotaForm:
    """A shares form with a seats field per partner (``quota_<id>``)."""
    attributes: dict[str, Any] = {"organisation_ids": [o.id for o in organisations]}
    for organisation in organisations:
        attributes[f"quota_{organisation.id}"] = count_field(
            _l("Seats for %(partner)s", partner=organisation.name), maximum=capacity)
    return type("PartnerQuotaForm", (QuotaForm,), attributes)(**kwargs)


class ReviewForm(FlaskForm):
    """The organisers' review of one application; ``review_form`` adds the score fields."""

    partner_id = SelectField(_l("Counts for the share of"), validators=[Optional()])
    target_group_org = TriStateField(
        _l("Does their organisation work with older or disabled people?"))
    shortlisted = BooleanField(_l("Chosen: offer this applicant a place"))
    note = long_text_field(_l("Note (the applicant can ask to see it)"), 5000)

    def values(self) -> dict[str, Any]:
        """What the service stores: the reviewer's scores and the review."""
        values: dict[str, Any] = {
            "scores": {criterion_id: chosen_id(self[f"score_{criterion_id}"].data)
                       for criterion_id in getattr(self, "criterion_ids", ())},
            "partner_id": chosen_id(self.partner_id.data),
            "target_group_org": self.target_group_org.as_bool(),
            "note": self.note.data or "",
        }
        if "shortlisted" in self._fields:  # only while the application is still to decide
            values["shortlisted"] = self.shortlisted.data
        return values


def review_form(criteria: list[SelectionCriterion], organisations: list[Organisation],
                language: str, *, can_shortlist: bool, **kwargs: Any) -> ReviewForm:
    """A review form with a score field per criterion (``score_<id>``, "" for no score)."""
    attributes: dict[str, Any] = {"criterion_ids": [c.id for c in criteria]}
    for criterion in criteria:
        attributes[f"score_{criterion.id}"] = SelectField(
            localised(criterion, "name", language),
            description=localised(criterion, "description", language),
            choices=[SelectChoice("", _l("Not scored"))]
            + [SelectChoice(str(n), str(n)) for n in range(criterion.max_score + 1)],
            validators=[Optional()])
    form = type("CriteriaReviewForm", (ReviewForm,), attributes)(**kwargs)
    form.partner_id.choices = [SelectChoice("", _l("By their county"))] + [
        SelectChoice(str(o.id), o.name) for o in organisations]
    if not can_shortlist:
        del form.shortlisted
    return form
