"""The action form: what a board's ideas became, and where it stands."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional

from koosloome.form_dates import within_years
from koosloome.form_fields import chosen_id, long_text_field, text_field
from koosloome.outcomes.labels import FUNDING_LABELS, STATUS_LABELS, TARGET_GROUP_LABELS
from koosloome.registrations.forms import MultiCheckboxField


def _choices(labels: dict[Any, Any], empty: Any = None) -> list[SelectChoice]:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(key.value, label) for key, label in labels.items()]


class ActionForm(FlaskForm):
    """One action; ``set_choices`` gives the partners, staff and the board's ideas."""

    title = text_field(_l("What will be done"), 300, required=True)
    description = long_text_field(_l("More about it"), 5000)
    ideas = MultiCheckboxField(_l("The ideas it comes from"), coerce=int,
                               validators=[Optional()])
    owner = text_field(_l("Who answers for it (an organisation or a person)"), 200)
    owner_user_id = SelectField(_l("Or a staff member"), validators=[Optional()])
    partner_id = SelectField(_l("Partner"), validators=[Optional()])
    target_group = SelectField(_l("For whom"), choices=_choices(TARGET_GROUP_LABELS),
                               default="both")
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS), default="planned")
    dropped_reason = text_field(_l("Why it was dropped"), 500)
    next_step = text_field(_l("Next step"), 500)
    next_step_on = DateField(_l("Next step by"), validators=[Optional(), within_years])
    funding = SelectField(_l("Funding"), choices=_choices(FUNDING_LABELS, _l("Not known yet")),
                          validators=[Optional()])

    def set_choices(self, ideas: list[tuple[Any, int]], partners: list[Any],
                    staff: list[Any]) -> None:
        """The board's ideas (with their votes), the partners and their staff."""
        self.ideas.choices = [SelectChoice(idea.id, ngettext(
            "%(text)s (%(num)d vote)", "%(text)s (%(num)d votes)", votes, text=idea.text))
            for idea, votes in ideas]
        self.partner_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(o.id), o.name) for o in partners]
        self.owner_user_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(u.id), u.name) for u in staff]

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        values = {name: self[name].data for name in (
            "title", "description", "owner", "target_group", "status", "dropped_reason",
            "next_step", "next_step_on", "funding")}
        for name in ("owner_user_id", "partner_id"):
            values[name] = chosen_id(self[name].data)
        return values
