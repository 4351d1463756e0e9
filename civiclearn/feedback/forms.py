"""The feedback forms: a learner's rating and comment, and a staff member's answer. Every message is
translated; a tampered value gets the same message as a missing one."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from civiclearn.feedback.services import COMMENT_LENGTH, RATINGS, REPLY_LENGTH
from civiclearn.forms import Form


def _whole_number(value):
    """The number sent, or None for anything else (WTForms' own "could not coerce" is not translated)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _a_rating(form, field) -> None:
    if field.data not in RATINGS:
        raise ValidationError(_l("Choose how useful the module was, from 1 to 5."))


def _trimmed(typed):
    """Without spaces around it, and a line break counted once, as the browser's maxlength counts it."""
    return typed.replace("\r\n", "\n").strip() if isinstance(typed, str) else typed


class FeedbackForm(Form):
    rating = RadioField(
        _l("How useful was this module for you?"),
        choices=[SelectChoice(1, _l("1 - not useful")), SelectChoice(2, _l("2 - a little useful")),
                 SelectChoice(3, _l("3 - quite useful")), SelectChoice(4, _l("4 - useful")),
                 SelectChoice(5, _l("5 - very useful"))],
        coerce=_whole_number, validate_choice=False, validators=[_a_rating])
    comment = TextAreaField(
        _l("Anything to tell us? (you may leave this empty)"),
        description=_l("In Thai or English. The trainers and teachers who help you read it, and may answer here."),
        filters=[_trimmed],
        validators=[Length(max=COMMENT_LENGTH, message=_l("Use at most %(most)s characters.", most=COMMENT_LENGTH))],
        render_kw={"maxlength": COMMENT_LENGTH})


class AnswerForm(Form):
    reply = TextAreaField(
        _l("Your answer"),
        description=_l("The learner sees it on the module page, under what they said."),
        filters=[_trimmed],
        validators=[DataRequired(_l("Write your answer.")),
                    Length(max=REPLY_LENGTH, message=_l("Use at most %(most)s characters.", most=REPLY_LENGTH))],
        render_kw={"maxlength": REPLY_LENGTH})
