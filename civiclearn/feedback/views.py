"""Feedback on modules: a learner rates a module and comments on it; staff read what their learners said,
with the figures, and answer. The learner finds the answer on the module page."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.exports import local_time, table_response
from civiclearn.extensions import db, login_manager
from civiclearn.feedback import services
from civiclearn.feedback.forms import AnswerForm, FeedbackForm
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.forms import bind
from civiclearn.i18n import language, take_draft
from civiclearn.learning.views import find_module

bp = Blueprint("feedback", __name__)


@bp.before_request
def guard():
    """Giving feedback needs a signed-in person; every other page here is for staff."""
    if request.endpoint == "feedback.give":
        return None if current_user.is_authenticated else login_manager.unauthorized()
    return access.require_staff()


# -- The learner's side, also shown on the module's pages --------------------------------------------

@dataclass
class Panel:
    """What a module's pages show a learner who may give feedback on it."""

    own: ModuleFeedback | None
    form: FeedbackForm
    answered_by: str | None


@bp.app_template_global("module_feedback")
def module_feedback(module: Module) -> Panel | None:
    """The learner's feedback on the module (with the answer, if any) and the form to give or change it;
    None for anyone who may not give feedback on it."""
    if not access.may_give_feedback(current_user, module):
        return None
    own = services.feedback_of(current_user, module)
    return Panel(own, FeedbackForm(formdata=None, obj=own),
                 services.answered_by(own) if own and own.reply else None)


@bp.route("/me/feedback/<course_key>/<module_key>", methods=["GET", "POST"])
def give(course_key: str, module_key: str):
    """Save the learner's rating and comment. The module's pages hold the form; this page shows it again
    with its errors, or with what was typed after a language switch."""
    module = find_module(course_key, module_key)
    access.authorise(access.may_give_feedback(current_user, module))
    draft = take_draft() if request.method == "GET" else None
    if request.method == "GET" and draft is None:
        form = FeedbackForm(obj=services.feedback_of(current_user, module))
    else:
        form = bind(FeedbackForm, draft)
    if form.validate_on_submit():
        services.give(current_user, module, form.rating.data, form.comment.data, language())
        db.session.commit()
        flash(_("Thank you! What you said is saved. You can change it here at any time."), "success")
        return redirect(url_for("learning.module", course_key=course_key, module_key=module_key,
                                _anchor="feedback"), code=303)
    return render_template("feedback/give.html", module=module, form=form), 400 if form.errors else 200


# -- The staff's side ---------------------------------------------------------------------------------

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
    return feedback_page(find_module(course_key, module_key))


@bp.get("/staff/feedback/<course_key>/<module_key>.<file_format>")
def export_module(course_key: str, module_key: str, file_format: str):
    """The module's feedback the viewer may see, as CSV or XLSX: rating, comment, answer."""
    found = find_module(course_key, module_key)
    header = [_("Written on"), _("Learner"), _("Rating"), _("Comment"), _("Answer"), _("Answered on")]
    rows = [[local_time(said.feedback.updated_at), said.learner.display_name, said.feedback.rating,
             said.feedback.comment, said.feedback.reply, local_time(said.feedback.replied_at)]
            for said in services.feedback_on(current_user, found)]
    return table_response(file_format, f"feedback-{found.key}", header, rows, title=found.key,
                          subject=("module", found.id), detail={"report": "feedback", "rows": len(rows)})


@bp.post("/staff/feedback/<course_key>/<module_key>/<int:feedback_id>/answer")
def answer(course_key: str, module_key: str, feedback_id: int):
    """Answer one feedback, or change the answer; reached through its own module, like the page that holds it."""
    found = find_module(course_key, module_key)
    feedback = db.session.get(ModuleFeedback, feedback_id)
    access.authorise(feedback is not None and feedback.module_id == found.id
                     and access.may_answer_feedback(current_user, feedback))
    form = answer_form(feedback)
    if not form.validate_on_submit():
        return feedback_page(found, (feedback.id, form))
    services.answer(current_user, feedback, form.reply.data)
    db.session.commit()
    flash(_("Your answer is saved. The learner sees it on the module page."), "success")
    return redirect(url_for("feedback.module", course_key=course_key, module_key=module_key,
                            _anchor=f"feedback-{feedback.id}"), code=303)
