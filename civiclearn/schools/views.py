"""Schools and classes, the learner's side: joining a class with its code, and one's assignments (shown on
the learner's home page)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db, limiter
from civiclearn.forms import bind
from civiclearn.i18n import take_draft
from civiclearn.learning.services import CourseStatuses
from civiclearn.schools import services
from civiclearn.schools.forms import JoinForm

bp = Blueprint("schools", __name__)
bp.before_request(access.require_signed_in)


@bp.app_template_global("my_assignments")
def my_assignments(statuses: CourseStatuses | None = None) -> list[services.LearnerAssignment]:
    """The signed-in learner's assignments in their classes, for their home page (`statuses`: the page's own read
    of the learner's progress)."""
    return services.learner_assignments(current_user, catalogue(), statuses=statuses)


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["JOIN_LIMIT"], key_func=lambda: f"join:{getattr(current_user, 'id', None)}", methods=["POST"])
def join():
    """A learner joins a class with the code their teacher gave them."""
    form = bind(JoinForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            school_class = services.join(current_user, form.code.data)
        except services.UnknownJoinCode:
            form.code.errors.append(_("No class has this code. Check it with your teacher and type it again."))
        else:
            db.session.commit()
            flash(_("You are in class %(name)s. Your assignments are at the top of this page.",
                    name=school_class.name), "success")
            return redirect(url_for("learning.home"), code=303)
    return render_template("schools/join.html", form=form), 400 if form.errors else 200
