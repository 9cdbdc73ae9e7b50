"""Forms of the idea boards. Rules live in the services; these check shape and length."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from koosloome.boards.models import BoardPhase
from koosloome.boards.services import IDEA_MAX_LENGTH, MAX_VOTES_PER_PARTICIPANT, NAME_MAX_LENGTH
from koosloome.honeypot import HoneypotMixin

IDEA_TOO_LONG = _l("An idea can be at most %(max)d characters long", max=IDEA_MAX_LENGTH)


def choice(value: int | str | None, label: str, group: str | None = None) -> SelectChoice:
    """One option of a select or radio group (``None`` is the empty choice)."""
    return SelectChoice("" if value is None else value, label, optgroup=group)  # type: ignore[arg-type]


def _coerce_optional_int(value: object) -> int | None:
    """Select values: '' means none."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[call-overload]


class JoinCodeForm(FlaskForm):
    """Type the code shown by the facilitator."""

    code = StringField(
        _l("Board code"),
        validators=[InputRequired(_l("Enter the board code")), Length(max=20)],
    )


class JoinForm(HoneypotMixin, FlaskForm):
    """A display name, or none on boards that allow anonymous participants."""

    display_name = StringField(
        _l("Your name"),
        validators=[Length(max=NAME_MAX_LENGTH,
                           message=_l("A name can be at most %(max)d characters long",
                                      max=NAME_MAX_LENGTH))],
    )
    updates = BooleanField(_l("Tell me by e-mail what comes of the ideas"))
    updates_email = EmailField(_l("E-mail address for the news"), validators=[
        Optional(), Length(max=254),
        Email(_l("Enter an e-mail address in the right format, like name@example.ee"))])
    r = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        """The address is needed, and kept, only with the box ticked (checked here: the
        field's ``Optional`` ends its own checks when it is empty)."""
        valid = super().validate(extra_validators)
        if self.updates.data and not (self.updates_email.data or "").strip():
            self.updates_email.errors = [*self.updates_email.errors, _l(
                "Enter the e-mail address for the news, or untick the box")]
            return False
        return valid


class IdeaForm(FlaskForm):
    """The text of an idea."""

    text = TextAreaField(
        _l("Your idea"),
        validators=[InputRequired(_l("Write your idea")),
                    Length(max=IDEA_MAX_LENGTH, message=IDEA_TOO_LONG)],
    )


class PostIdeaForm(HoneypotMixin, IdeaForm):
    """Post an idea into a column."""

    column = SelectField(_l("Column"), coerce=int, validate_choice=True)
    anonymous = BooleanField(_l("Post without my name"))


class CommentForm(FlaskForm):
    """Build on an idea."""

    text = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(_l("Write your comment")),
                    Length(max=IDEA_MAX_LENGTH, message=_l(
                        "A comment can be at most %(max)d characters long", max=IDEA_MAX_LENGTH
                    ))],
    )


class BoardForm(FlaskForm):
    """Create a board or change its settings."""

    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Enter a title")), Length(max=200)]
    )
    question = StringField(
        _l("Guiding question"),
        validators=[InputRequired(_l("Enter the guiding question")), Length(max=300)],
    )
    intro_et = TextAreaField(_l("Introduction in Estonian"), validators=[Length(max=2000)])
    intro_en = TextAreaField(_l("Introduction in English"), validators=[Length(max=2000)])
    event = SelectField(_l("Event"), coerce=_coerce_optional_int, validate_choice=True)
    columns = TextAreaField(_l("Columns"), validators=[Length(max=2000)])
    allow_anonymous = BooleanField(_l("Participants may take part without a name"),
                                   default=True)
    votes_per_participant = IntegerField(
        _l("Votes per participant"),
        default=3,
        validators=[
            InputRequired(_l("Enter how many votes each participant has")),
            NumberRange(min=0, max=MAX_VOTES_PER_PARTICIPANT, message=_l(
                "Enter a number from 0 to %(max)d", max=MAX_VOTES_PER_PARTICIPANT
            )),
        ],
    )
    multiple_votes_per_idea = BooleanField(_l("A participant may give several votes to one idea"))
    hide_others_while_collecting = BooleanField(
        _l("Hide others' ideas while collecting")
    )
    results_only_when_closed = BooleanField(_l("Show vote counts only when the board is closed"))


class PhaseForm(FlaskForm):
    """Collecting, voting or closed."""

    phase = RadioField(
        _l("Phase"),
        choices=[
            choice(BoardPhase.COLLECTING.value, _l("Collecting ideas")),
            choice(BoardPhase.VOTING.value, _l("Voting")),
            choice(BoardPhase.CLOSED.value, _l("Closed: results only")),
        ],
        validators=[InputRequired(_l("Choose a phase"))],
    )


class HideForm(FlaskForm):
    """Hide an idea from participants, with a reason."""

    reason = StringField(
        _l("Reason for hiding"),
        validators=[InputRequired(_l("Give a reason for hiding the idea")), Length(max=300)],
    )


class MoveForm(FlaskForm):
    """Move an idea to another column."""

    column = SelectField(_l("Move to column"), coerce=int, validate_choice=True)


class ThemeChoiceForm(FlaskForm):
    """Group an idea under a theme."""

    theme = SelectField(_l("Theme"), coerce=_coerce_optional_int, validate_choice=True)


class MergeForm(FlaskForm):
    """Merge an idea into another."""

    into = SelectField(_l("Merge into"), coerce=_coerce_optional_int, validate_choice=True,
                       validators=[InputRequired(_l("Choose the idea to merge into"))])


class PaperVotesForm(FlaskForm):
    """Dot votes counted from paper."""

    count = IntegerField(
        _l("Votes from paper"),
        validators=[InputRequired(_l("Enter the number of votes from paper")),
                    NumberRange(min=0, max=500, message=_l("Enter a number from 0 to 500"))],
    )


class NameForm(FlaskForm):
    """A column's title or a theme's name."""

    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Enter a name")), Length(max=100)]
    )


class PinForm(FlaskForm):
    """Pin or unpin (the value says which)."""

    pinned = HiddenField()


class Empty(FlaskForm):
    """A button alone (CSRF only)."""

