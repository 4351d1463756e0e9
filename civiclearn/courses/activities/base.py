"""What every activity type provides, and what its review of a learner's work looks like."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

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
