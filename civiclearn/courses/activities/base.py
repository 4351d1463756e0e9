"""What every activity type provides, what its review of a learner's work looks like, and the parts that
activities of items decided one way or the other (spot the scam, check before you pay) share."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from civiclearn.courses.fields import FieldReader
from civiclearn.courses.yamlfile import LineMap


@dataclass(frozen=True)
class Check:
    """One thing the review looked at: passed or not, and what to tell the learner. A failing check's message
    says what to change, in the learner's language, without giving the answer away (that is `Answer`'s job)."""

    passed: bool
    message: str


@dataclass
class Review:
    """An activity type's verdict on one go: done well or not, and what to tell the learner."""

    done: bool  # the learner did what the activity asks: the lesson counts as finished
    checks: list[Check] = field(default_factory=list)  # what the template shows, in order


@dataclass(frozen=True)
class Answer:
    """One part of the right answer, shown when a learner who tried twice asks to see it."""

    question: str  # which item: the step, the message
    answer: str  # what is right
    why: str = ""  # why it is right
    quote: str = ""  # the item's own text, when the learner needs it to follow (a message's words)


@dataclass(frozen=True)
class ActivityType:
    """One kind of practice: how to read its block in a lesson, its form, and its review."""

    key: str
    fields: frozenset[str]  # allowed in the `activity:` block, besides `type`
    read: Callable[[FieldReader, str, LineMap], object | None]  # the block -> a spec, or None with problems
    form: Callable[[object, str, MultiDict | None], FlaskForm]  # spec, language, form data
    review: Callable[[object, FlaskForm, str], Review]  # spec, a validated form, language
    answer: Callable[[object, str], list[Answer]]  # spec, language -> the right answer, part by part
    template: str
    labels: Mapping = field(default_factory=dict)  # UI words the template needs, by key


def decision(label: str, choices: list[SelectChoice]) -> RadioField:
    """The learner's answer for one item: one of `choices`, required. A missing or made-up value is asked for
    again in the learner's language (WTForms' own "Not a valid choice" is not translated)."""
    values = {choice.value for choice in choices}

    def chosen(form, field) -> None:
        if field.data not in values:
            raise ValidationError(_("Choose an answer."))
    return RadioField(label, choices=choices, validators=[chosen], validate_choice=False)


def review_decisions(items: Iterable, form: FlaskForm, language: str, right_answer: Callable[[object], str],
                     clue: Callable[[object, str], str]) -> Review:
    """Each item (with a `field`, and a `why` in two languages): decided right, it shows its reason; decided
    wrongly, a clue to look for instead of the answer, so that the next go is the learner's own. Done when all
    are right."""
    checks = []
    for item in items:
        right = form[item.field].data == right_answer(item)
        checks.append(Check(right, item.why.in_language(language) if right else clue(item, language)))
    return Review(done=all(check.passed for check in checks), checks=checks)
