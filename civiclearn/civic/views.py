"""Civic actions, the learner's side: log something they did for real, list, change and delete their actions, and
answer "what happened?" once, 30 days on; a leader logs an action for a person they helped, with that person's
consent. What other features' pages show of it (the offer on a module's "finished" page, the question on the home
page, the help given on the leader's page) are template globals here."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.accounts.models import User
from civiclearn.civic import services
from civiclearn.civic.forms import ActionForm, ChangeForm, ForSomeoneForm, OutcomeForm
from civiclearn.civic.models import CivicAction
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.forms import ask_first, bind, confirmed
from civiclearn.i18n import format_date, take_draft

bp = Blueprint("civic", __name__)
bp.before_request(access.require_signed_in)


# -- Shown on other features' pages ----------------------------------------------------------------

@bp.app_template_global("civic_offer")
def civic_offer(module: Module) -> str | None:
    """Where to log an action from a module's "finished" page: for modules about a channel to the local government."""
    if not services.offers_logging(module):
        return None
    return url_for("civic.log_action", module=f"{module.course.key}/{module.key}")


@dataclass
class Question:
    action: CivicAction
    form: OutcomeForm


@bp.app_template_global("civic_question")
def civic_question(person: User) -> Question | None:
    """The one-time "what happened?" about the person's oldest action logged 30 days ago or more, for their home."""
    if not getattr(person, "is_authenticated", False):
        return None
    action = services.question_for(person)
    return Question(action, OutcomeForm(formdata=None)) if action else None


@bp.app_template_global("civic_help_given")
def civic_help_given(person: User) -> list[services.HelpGiven]:
    """The actions a leader logged for the people they helped, for their pathway page."""
    return services.logged_by(person)


@bp.app_template_filter("civic_kind")
def civic_kind(kind: str) -> str:
    return str(services.KIND_LABELS[kind])


@bp.app_template_filter("civic_channel")
def civic_channel(channel: str) -> str:
    return str(services.CHANNEL_LABELS[channel])


@bp.app_template_filter("civic_outcome")
def civic_outcome(outcome: str) -> str:
    return str(services.OUTCOME_LABELS[outcome])


# -- The learner's own actions ---------------------------------------------------------------------

def module_from_query() -> Module | None:
    """The served module `?module=<course>/<module>` names (the page the learner came from), else None."""
    course_key, _slash, module_key = request.args.get("module", "").partition("/")
    course = catalogue().course(course_key) if course_key else None
    return course.module(module_key) if course and module_key else None


@bp.route("/me/actions/new", methods=["GET", "POST"])
def log_action():
    """Log something the learner did for real. Sent twice, the form makes one row."""
    module = module_from_query()
    form = bind(ActionForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        services.log(current_user, form.details(), form.token.data, module)
        db.session.commit()
        flash(_("Thank you! What you did is saved in your list."), "success")
        return redirect(url_for("civic.mine"), code=303)
    if request.method == "POST" and form.token.errors:
        abort(400)  # a tampered form: the token is hidden
    return render_template("civic/log.html", form=form, module=module), 400 if form.errors else 200


@bp.get("/me/actions")
def mine():
    """The learner's actions, and, for a leader, what they logged for others."""
    return render_template("civic/mine.html", logged=services.actions_of(current_user),
                           help_given=services.logged_by(current_user), leader=services.is_leader(current_user))


@bp.route("/me/actions/<int:action_id>", methods=["GET", "POST"])
def edit(action_id: int):
    """Correct an action, or say what came of it."""
    action = loaders.find_own_civic_action(action_id)
    draft = take_draft() if request.method == "GET" else None
    if request.method == "GET" and draft is None:
        form = ChangeForm(obj=action)
        form.outcome.data = action.outcome or ""
    else:
        form = bind(ChangeForm, draft)
    if form.validate_on_submit():
        services.change(action, form.details(), form.outcome_chosen())
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("civic.mine", _anchor=f"action-{action.id}"), code=303)
    return render_template("civic/edit.html", form=form, action=action), 400 if form.errors else 200


@bp.post("/me/actions/<int:action_id>/delete")
def delete(action_id: int):
    """Delete an action, once confirmed."""
    action = loaders.find_own_civic_action(action_id)
    if not confirmed():
        return ask_first(
            _("Delete this action from your list?"),
            _("%(kind)s, on %(day)s. It is deleted at once and cannot be brought back.",
              kind=services.KIND_LABELS[action.kind], day=format_date(action.done_on)),
            yes=_("Yes, delete it"), back=url_for("civic.mine"))
    services.remove(action)
    db.session.commit()
    flash(_("Deleted from your list."), "success")
    return redirect(url_for("civic.mine"), code=303)


@bp.post("/me/actions/<int:action_id>/outcome")
def answer(action_id: int):
    """The answer to "what happened?" on the home page; "Answer later" only stops the question. (CSRF is checked
    for every POST by the app.)"""
    action = loaders.find_own_civic_action(action_id)
    form = OutcomeForm()
    later = request.form.get("later") == "yes"
    if not later and not form.validate_on_submit():
        flash(_("Choose what happened, or press \"Answer later\"."), "error")
        return redirect(url_for("learning.home", _anchor="what-happened"), code=303)
    services.answer_question(action, None if later else form.outcome.data)
    db.session.commit()
    flash(_("Thank you. You can change it at any time in your list of actions.") if not later
          else _("All right. You can say what happened at any time in your list of actions."), "success")
    return redirect(url_for("learning.home"), code=303)


# -- A leader logs for a person they helped ------------------------------------------------------------

@bp.route("/me/actions/for-someone", methods=["GET", "POST"])
def log_for_someone():
    """A leader logs an action for a person they helped, who agreed to it: it counts for that person, and shows on
    the leader's pathway page as help given. Not a leader: 404."""
    access.authorise(services.is_leader(current_user))
    helped = services.people_helped(current_user)
    form = bind(ForSomeoneForm, take_draft() if request.method == "GET" else None)
    form.helped.choices = [(str(person.id), person.display_name) for person in helped] \
        + [("code", _("Someone else: I type their learner code"))]
    if form.validate_on_submit():
        try:
            person = services.person_to_log_for(current_user, form.mentee_id(), form.person_code.data or "")
        except services.UnknownLearner:
            form.person_code.errors.append(_("No learner of your centre has this code. Check it on their card."))
        else:
            services.log(person, form.details(), form.token.data, logged_by=current_user,
                         consent_how=form.consent_how.data)
            db.session.commit()
            flash(_("Thank you! It is saved for the person you helped, and as help you gave."), "success")
            return redirect(url_for("civic.mine", _anchor="help-given"), code=303)
    if request.method == "POST" and form.token.errors:
        abort(400)
    return render_template("civic/for_someone.html", form=form), 400 if form.errors else 200
