"""The quiz form, built from a quiz's questions (all of them, or the one a page asks); every error is translated and
shown by its question."""

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from civiclearn.courses.schema import Question, Quiz
from civiclearn.forms import Form, FormTokenField, bind
from civiclearn.learning.services import choices_in_order


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


def _one_of_the_choices(question: Question):
    """Accept no answer (a question may be skipped until the quiz is checked), or only the question's own choices
    (a tampered form gets this message)."""
    keys = {choice.key for choice in question.choices}

    def check(form, field) -> None:
        if not _chosen(field) <= keys:
            raise ValidationError(_("Choose from the answers shown."))
    return check


def _chosen(field) -> frozenset[str]:
    data = field.data
    return frozenset(data if isinstance(data, list) else ([data] if data else []))


class QuizFormBase(Form):
    token = FormTokenField()
    questions: list[Question]  # those the form asks: a quiz's all, or one

    def answers(self) -> dict[str, frozenset[str]]:
        """The chosen choice keys by question key, for each question of the form (empty if not answered)."""
        return {question.key: _chosen(self[field_name(question)]) for question in self.questions}

    def say_unanswered(self, questions: list[Question]) -> None:
        """Put "choose an answer" by each of `questions` that this form asks (those the check found unanswered)."""
        for question in questions:
            if question in self.questions:
                field = self[field_name(question)]
                field.errors = [*field.errors, _("Choose at least one answer.") if question.kind == "multiple"
                                else _("Choose an answer.")]


def quiz_form(quiz: Quiz, language: str, formdata: MultiDict | None = None,
              questions: list[Question] | None = None) -> QuizFormBase:
    """A form with one field per question (of `questions`, by default the whole quiz); a new form gets a fresh
    token (one token = one attempt), and each question's choices stand in that attempt's order."""
    questions = quiz.questions if questions is None else questions
    fields = {}
    for question in questions:
        field_class = CheckboxesField if question.kind == "multiple" else RadioField
        fields[field_name(question)] = field_class(
            question.prompt.in_language(language), choices=[], validators=[_one_of_the_choices(question)],
            validate_choice=False,
        )
    form = bind(type("QuizForm", (QuizFormBase,), {**fields, "questions": questions}), formdata)
    for question in questions:
        form[field_name(question)].choices = [SelectChoice(choice.key, choice_label(choice, language))
                                              for choice in choices_in_order(question, form.token.data)]
    return form
