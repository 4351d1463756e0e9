"""The quiz form, built from a quiz's questions; every error is translated and shown by its question."""

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from civiclearn.courses.schema import Question, Quiz
from civiclearn.forms import Form, FormTokenField, bind


class CheckboxesField(SelectMultipleField):
    """Several choices, one checkbox each."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_name(question: Question) -> str:
    return "q_" + question.key.replace("-", "_")


def choice_label(choice, language: str) -> str:
    if choice.text is None:  # true/false questions
        return _("True") if choice.key == "true" else _("False")
    return choice.text.in_language(language)


def _answered(question: Question):
    """Require an answer, and only one of the question's own choices (a tampered form gets the same message)."""
    keys = {choice.key for choice in question.choices}

    def check(form, field) -> None:
        given = field.data if isinstance(field.data, list) else ([field.data] if field.data else [])
        if not given:
            raise ValidationError(_("Choose at least one answer.") if question.kind == "multiple"
                                  else _("Choose an answer."))
        if not set(given) <= keys:
            raise ValidationError(_("Choose from the answers shown."))
    return check


class QuizFormBase(Form):
    token = FormTokenField()

    def answers(self, quiz: Quiz) -> dict[str, frozenset[str]]:
        """The chosen choice keys by question key."""
        result = {}
        for question in quiz.questions:
            data = self[field_name(question)].data
            result[question.key] = frozenset(data if isinstance(data, list) else [data])
        return result


def quiz_form(quiz: Quiz, language: str, formdata: MultiDict | None = None) -> QuizFormBase:
    """A form with one field per question; a new form gets a fresh token (one token = one attempt)."""
    fields = {}
    for question in quiz.questions:
        field_class = CheckboxesField if question.kind == "multiple" else RadioField
        fields[field_name(question)] = field_class(
            question.prompt.in_language(language),
            choices=[SelectChoice(choice.key, choice_label(choice, language)) for choice in question.choices],
            validators=[_answered(question)],
            validate_choice=False,
        )
    return bind(type("QuizForm", (QuizFormBase,), fields), formdata)
