"""Feedback on modules, the learner's side: a learner rates a module and comments on it, on the module's pages;
they find the staff's answer there too. Staff read and answer on their own pages (staff_views.py)."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.courses.schema import Module
from civiclearn.extensions import db
from civiclearn.feedback import services
from civiclearn.feedback.forms import FeedbackForm
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.forms import bind
from civiclearn.i18n import language, take_draft
from civiclearn.learning.services import ModuleStatus

bp = Blueprint("feedback", __name__)
bp.before_request(access.require_signed_in)


# -- The learner's side, also shown on the module's pages --------------------------------------------

@dataclass
class Panel:
    """What a module's pages show a learner who may give feedback on it."""

    own: ModuleFeedback | None
    form: FeedbackForm
    answered_by: str | None


@bp.app_template_global("module_feedback")
def module_feedback(module: Module, status: ModuleStatus | None = None) -> Panel | None:
    """The learner's feedback on the module (with the answer, if any) and the form to give or change it;
    None for anyone who may not give feedback on it. `status`: the learner's in the module, read by the page."""
    if not access.may_give_feedback(current_user, module, status.opened_lessons if status else None):
        return None
    own = services.feedback_of(current_user, module)
    return Panel(own, FeedbackForm(formdata=None, obj=own),
                 services.answered_by(own) if own and own.reply else None)


@bp.route("/me/feedback/<course_key>/<module_key>", methods=["GET", "POST"])
def give(course_key: str, module_key: str):
    """Save the learner's rating and comment. The module's pages hold the form; this page shows it again
    with its errors, or with what was typed after a language switch."""
    module = loaders.find_module(course_key, module_key)
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
