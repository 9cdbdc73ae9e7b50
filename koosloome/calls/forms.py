"""The outcome of a call."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from koosloome.form_fields import text_field
from koosloome.messaging.models import CallOutcome

OUTCOME_LABELS = {
    CallOutcome.OPEN: _l("To call"),
    CallOutcome.REACHED: _l("Reached: told them"),
    CallOutcome.NO_ANSWER: _l("No answer: try again"),
    CallOutcome.MESSAGE_LEFT: _l("Left a message"),
    CallOutcome.WRONG_NUMBER: _l("Wrong number"),
}


class OutcomeForm(FlaskForm):
    """What came of one call."""

    outcome = RadioField(_l("What came of the call?"),
                         choices=[SelectChoice(o.value, label) for o, label
                                  in OUTCOME_LABELS.items() if o is not CallOutcome.OPEN],
                         validators=[InputRequired(_l("Choose what came of the call"))])
    note = text_field(_l("Note"), 500)
