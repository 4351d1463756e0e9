"""Feedback on modules, the staff's side: what their learners said of each module, with the figures, and an
answer to each (the learner finds it on the module page)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.exports import table_response
from civiclearn.extensions import db
from civiclearn.feedback import services
from civiclearn.feedback.forms import AnswerForm
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.i18n import format_date

bp = Blueprint("feedback_staff", __name__)
bp.before_request(access.require_staff)


@bp.get("/staff/feedback")
def overview():
    """Every module served, with what the viewer's learners said of it: how many, the average rating, and
    how many still wait for an answer."""
    courses = catalogue().courses
    modules = [module for course in courses for module in course.modules]
    return render_template("feedback/overview.html", courses=courses,
                           figures=services.figures(current_user, modules))


def answer_form(feedback: ModuleFeedback, **kwargs) -> AnswerForm:
    """One form per feedback on the page: the prefix keeps their fields (and ids) apart."""
    return AnswerForm(prefix=f"answer-{feedback.id}", **kwargs)


def feedback_page(module: Module, refused: tuple[int, AnswerForm] | None = None):
    """The module's feedback page; `refused` is an answer form sent with mistakes, shown with its messages (400)."""
    rows = services.feedback_on(current_user, module)
    forms = {said.feedback.id: answer_form(said.feedback, formdata=None, obj=said.feedback) for said in rows}
    if refused:
        forms[refused[0]] = refused[1]
    return render_template("feedback/module.html", module=module, rows=rows, forms=forms,
                           figures=services.figures(current_user, [module])[module.id]), 400 if refused else 200


@bp.get("/staff/feedback/<course_key>/<module_key>", endpoint="module")
def module_page(course_key: str, module_key: str):
    """What the viewer's learners said about one module, each with a form to answer (or change the answer)."""
    return feedback_page(loaders.find_module(course_key, module_key))


@bp.get("/staff/feedback/<course_key>/<module_key>.<file_format>")
def export_module(course_key: str, module_key: str, file_format: str):
    """The module's feedback the viewer may see, as CSV or XLSX: rating, comment, answer (dates as on the page)."""
    found = loaders.find_module(course_key, module_key)
    header = [_("Written on"), _("Learner"), _("Rating"), _("Comment"), _("Answer"), _("Answered on")]
    rows = [[format_date(said.feedback.updated_at), said.learner.display_name, said.feedback.rating,
             said.feedback.comment, said.feedback.reply, format_date(said.feedback.replied_at)]
            for said in services.feedback_on(current_user, found)]
    return table_response(file_format, f"feedback-{found.key}", header, rows, title=found.key,
                          subject=("module", found.id), detail={"report": "feedback", "rows": len(rows)})


@bp.post("/staff/feedback/<course_key>/<module_key>/<int:feedback_id>/answer")
def answer(course_key: str, module_key: str, feedback_id: int):
    """Answer one feedback, or change the answer; reached through its own module, like the page that holds it."""
    found = loaders.find_module(course_key, module_key)
    feedback = loaders.find_feedback(found, feedback_id)
    form = answer_form(feedback)
    if not form.validate_on_submit():
        return feedback_page(found, (feedback.id, form))
    services.answer(current_user, feedback, form.reply.data)
    db.session.commit()
    flash(_("Your answer is saved. The learner sees it on the module page."), "success")
    return redirect(url_for("feedback_staff.module", course_key=course_key, module_key=module_key,
                            _anchor=f"feedback-{feedback.id}"), code=303)
