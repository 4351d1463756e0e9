"""The civic action forms: what the learner did (kind, channel, day, case number, note), what came of it, and who
a leader logs it for with that person's consent. Every message is translated; a tampered choice gets the same
message as a missing one."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from civiclearn import codes
from civiclearn.civic.models import CASE_NUMBER_LENGTH, NOTE_LENGTH
from civiclearn.civic.services import (
    CHANNEL_LABELS,
    CONSENT_LABELS,
    FIRST_DAY,
    KIND_LABELS,
    OUTCOME_LABELS,
    Details,
)
from civiclearn.forms import Form, FormTokenField, ThaiDayField
from civiclearn.leaders.services import today

# A ticket or case number as Traffy Fondue, 1111 or an LGO writes it: letters, digits, and - / # . between them.
CASE_NUMBER = re.compile(r"[A-Za-z0-9ก-ฮ][A-Za-z0-9ก-ฮ /#.-]*")


def _trimmed(typed):
    """Without spaces around it, and a line break counted once, as the browser's maxlength counts it."""
    return typed.replace("\r\n", "\n").strip() if isinstance(typed, str) else typed


def _case_number(typed):
    """Thai digits as digits, spaces collapsed."""
    return " ".join(typed.translate(codes.THAI_DIGITS).split()) if isinstance(typed, str) else typed


def _chosen(message):
    def check(form, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)
    return check


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class ActionForm(Form):
    """The action itself, as the learner (or a leader for them) tells it."""

    token = FormTokenField()
    kind = RadioField(_l("What did you do?"), choices=_choices(KIND_LABELS), validate_choice=False,
                      validators=[_chosen(_l("Choose what you did."))])
    channel = RadioField(_l("How did you do it?"), choices=_choices(CHANNEL_LABELS), validate_choice=False,
                         validators=[_chosen(_l("Choose how you did it."))])
    done_on = ThaiDayField(_l("When?"), description=_l("For example 25/11/2569. A year in the Buddhist Era is fine."),
                           render_kw={"autocomplete": "off"})
    case_number = StringField(
        _l("Case or ticket number (if you have one)"),
        description=_l("Traffy Fondue and 1111 give one, for example 2569-ABCD12. You may leave this empty."),
        filters=[_case_number],
        validators=[Length(max=CASE_NUMBER_LENGTH,
                           message=_l("Use at most %(most)s characters.", most=CASE_NUMBER_LENGTH))],
        render_kw={"maxlength": CASE_NUMBER_LENGTH, "autocomplete": "off", "spellcheck": "false"})
    note = TextAreaField(
        _l("A short note (you may leave this empty)"),
        description=_l("For example: the street light in front of the temple. Please write no one's name or phone "
                       "number."),
        filters=[_trimmed],
        validators=[Length(max=NOTE_LENGTH, message=_l("Use at most %(most)s characters.", most=NOTE_LENGTH))],
        render_kw={"maxlength": NOTE_LENGTH, "rows": 3})

    def validate_done_on(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose the day you did it."))
        if field.data > today():
            raise ValidationError(_l("The day cannot be after today."))
        if field.data < FIRST_DAY:
            raise ValidationError(_l("Choose a day from 2020 (2563) on."))

    def validate_case_number(self, field) -> None:
        if field.data and not CASE_NUMBER.fullmatch(field.data):
            raise ValidationError(_l("Write the number as it was given: letters, digits, and - / # . only."))

    def details(self) -> Details:
        return Details(self.kind.data, self.channel.data, self.done_on.data, self.case_number.data or "",
                       self.note.data or "")


class ChangeForm(ActionForm):
    """The learner's own action again, with what came of it."""

    outcome = RadioField(_l("What happened?"),
                         choices=[SelectChoice("", _l("Not known yet")), *_choices(OUTCOME_LABELS)],
                         validate_choice=False, validators=[_chosen(_l("Choose what happened."))], default="")

    def outcome_chosen(self) -> str | None:
        return self.outcome.data or None


class OutcomeForm(Form):
    """The answer to the one-time question "what happened?"; "Answer later" sends no outcome."""

    outcome = RadioField(_l("What happened?"), choices=_choices(OUTCOME_LABELS), validate_choice=False,
                         validators=[_chosen(_l("Choose what happened."))])


class ForSomeoneForm(ActionForm):
    """A leader logs an action for a person they helped: who, and that the person agreed."""

    helped = RadioField(_l("Who did you help?"), validate_choice=False, default="code")
    person_code = StringField(
        _l("Their learner code"),
        description=_l("Only if they are not in the list above: it is on their learner card, like CAT-347."),
        filters=[lambda value: codes.normalise(value) if isinstance(value, str) else value],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "maxlength": 12})
    consent = BooleanField(_l("The person agreed that I record this for them"))
    consent_how = RadioField(_l("How did they agree?"), choices=_choices(CONSENT_LABELS), validate_choice=False,
                             validators=[_chosen(_l("Choose how the person agreed."))])

    def validate_helped(self, field) -> None:
        if field.data not in {str(value) for value, _label in field.choices}:
            raise ValidationError(_l("Choose the person you helped."))

    def validate_person_code(self, field) -> None:
        if self.helped.data == "code" and not field.data:
            raise ValidationError(_l("Write the learner code of the person you helped."))

    def validate_consent(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Ask the person first: record it only if they agree."))

    def mentee_id(self) -> int | None:
        return int(self.helped.data) if self.helped.data != "code" else None
