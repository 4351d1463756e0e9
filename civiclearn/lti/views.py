"""The LTI 1.3 endpoints an LMS talks to (public: the LMS vouches for its people). Their addresses are stable:
LMS administrators type them in once (docs/lms.md).

    /lti/login        OIDC login initiation (GET or POST from the LMS)
    /lti/launch       the launch (the LMS's form POST): resource links and deep linking
    /lti/arrive       where a launch lands: on to the module, or "open in a new window" when cookies are refused
    /lti/choose       deep linking: a teacher picks modules for their LMS course
    /lti/jwks         our public keys
    /lti/config.json  our tool configuration (Canvas's JSON format; every value on the admin page too)
    /lti/register     LTI Dynamic Registration (the LMS administrator pastes this one address)
"""

import logging
import secrets

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update

from civiclearn import signals
from civiclearn.accounts.models import User
from civiclearn.accounts.sessions import start_session
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import csrf, db, limiter
from civiclearn.i18n import language
from civiclearn.lti import configuration, keys, platforms, services
from civiclearn.lti.embedding import FRAMED, frame_ancestors, origin_of
from civiclearn.lti.forms import ChooseModulesForm, modules_of
from civiclearn.lti.messages import BadLaunch, RegistrationFailed
from civiclearn.lti.models import LtiLaunchState, LtiPlatform

log = logging.getLogger(__name__)

bp = Blueprint("lti", __name__, url_prefix="/lti")
bp.after_app_request(frame_ancestors)

HANDOVER_SECONDS = 300  # the "open in a new window" link of a launch whose cookie the frame refused

BAD_LAUNCH_MESSAGES = {
    "unknown_platform": _l("This learning platform is not registered with CivicLearn, or its registration is "
                           "not approved yet."),
    "unknown_deployment": _l("CivicLearn is not set up for this part of your learning platform."),
    "expired": _l("The launch took too long, or the clocks of your learning platform and CivicLearn disagree."),
    "replayed": _l("This launch was already used. Each launch works once."),
    "missing_claims": _l("Your learning platform did not send everything CivicLearn needs to open the activity."),
    "bad_token": _l("CivicLearn could not check that this launch really comes from your learning platform."),
    "teachers_choose": _l("Only a teacher of the course chooses CivicLearn's modules for it."),
}
DEEP_LINKING = "lti_choosing"  # the session key: the login (LtiLaunchState id) whose deep-linking request is open


def launch_url() -> str:
    """Where platforms send launches: the address registered with them, so from the public URL, never the Host
    header a request came with."""
    return current_app.config["PUBLIC_URL"] + url_for("lti.launch")


def bad_launch(error: BadLaunch):
    reference = secrets.token_hex(4)
    log.warning("LTI launch refused (%s, ref %s): %s", error.reason, reference, error.detail)
    return render_template("lti/bad_launch.html", message=BAD_LAUNCH_MESSAGES[error.reason],
                           reference=reference), 400


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # a login initiation comes from the LMS's page; it only sends the browser back to the LMS
def login():
    from civiclearn.lti import adapter  # the protocol library, loaded by the first LMS to knock
    try:
        url = adapter.login_redirect(launch_url())
    except BadLaunch as error:
        return bad_launch(error)
    db.session.commit()
    return redirect(url, code=302)


@bp.post("/launch")
@csrf.exempt  # the LMS's own form: its signed token and our one-time state stand in for the CSRF token
def launch():
    from civiclearn.lti import adapter
    try:
        checked = adapter.checked_launch()
    except BadLaunch as error:
        db.session.commit()  # the state stays used: a refused launch cannot be tried again with it
        return bad_launch(error)
    choosing = checked.message_type == "LtiDeepLinkingRequest"
    if choosing and not checked.teaches:
        db.session.commit()
        return bad_launch(BadLaunch("teachers_choose", f"a deep-linking request for {checked.subject}"))
    arrival = services.arrive(checked)
    db.session.get(LtiLaunchState, checked.state_id).person_id = arrival.person.id
    sign_in(arrival.person, arrival.language, checked.platform.id)
    if arrival.module is not None and not arrival.teaches:
        signals.launched.send(arrival.person, module=arrival.module)
    if choosing:
        services.keep_deep_linking(checked)
        session[DEEP_LINKING] = checked.state_id
    db.session.commit()
    to = url_for("lti.choose") if choosing else destination(arrival)
    ticket = _serializer().dumps({"state": checked.state_id, "to": to, "lang": arrival.language})
    return redirect(url_for("lti.arrive", ticket=ticket), code=303)


def sign_in(person: User, language: str | None, platform_id: int | None) -> None:
    """A fresh session for the launched person; in the LMS's frame (`platform_id`), with a frame's cookie."""
    start_session(person)
    if language:
        session["lang"] = language
    if platform_id:
        session[FRAMED] = platform_id


def destination(arrival: services.Arrival) -> str:
    """A teacher goes to their class (its report and assignments), a learner straight into the module."""
    if arrival.teaches and arrival.school_class is not None:
        return url_for("schools_staff.class_page", class_id=arrival.school_class.id)
    if arrival.module is not None:
        return url_for("learning.module", course_key=arrival.module.course.key, module_key=arrival.module.key)
    return url_for("learning.catalogue")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="lti-arrive")


@bp.get("/arrive/<ticket>")
def arrive(ticket: str):
    """The launch's first page: signed in (the cookie came back), on to the destination; else the frame refused
    the cookie, and the person may open CivicLearn in a window of its own, where this ticket signs them in once."""
    try:
        found = _serializer().loads(ticket, max_age=HANDOVER_SECONDS)
    except BadSignature:
        abort(404)
    state = db.session.get(LtiLaunchState, found["state"])
    if state is None or state.person_id is None:
        abort(404)
    g.lti_platform = state.platform_id
    if current_user.is_authenticated and current_user.id == state.person_id:
        _hand_over(state)
        db.session.commit()
        return redirect(found["to"], code=303)
    return render_template("lti/open_in_window.html", window_url=url_for("lti.take_over", ticket=ticket))


@bp.get("/window/<ticket>")
def take_over(ticket: str):
    """A window of its own for a launch whose frame refused our cookie: signs the person in, once."""
    try:
        found = _serializer().loads(ticket, max_age=HANDOVER_SECONDS)
    except BadSignature:
        abort(404)
    state = db.session.get(LtiLaunchState, found["state"])
    if state is None or state.person_id is None or not _hand_over(state):
        return render_template("lti/bad_launch.html", message=BAD_LAUNCH_MESSAGES["replayed"], reference=None), 400
    sign_in(db.session.get(User, state.person_id), found["lang"], None)
    db.session.commit()
    return redirect(found["to"], code=303)


def _hand_over(state: LtiLaunchState) -> bool:
    """Mark the launch's ticket used; False when it already was. Flushes."""
    taken = db.session.execute(update(LtiLaunchState).where(
        LtiLaunchState.id == state.id, LtiLaunchState.handed_over_at.is_(None)).values(handed_over_at=utcnow())
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


@bp.get("/jwks")
def jwks():
    published = keys.published_keys()
    db.session.commit()  # the first key, made on first use
    response = jsonify({"keys": published})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/config.json")
def config_json():
    return jsonify(configuration.canvas_configuration())


@bp.get("/register")
@limiter.limit(lambda: current_app.config["LTI_REGISTER_LIMIT"])
def register():
    """LTI Dynamic Registration: the LMS opens this with its configuration's address and a one-time token; we
    register with it and keep the registration pending for an admin of ours."""
    configuration_url = request.args.get("openid_configuration", "")
    g.lti_frame_origins = origin_of(configuration_url) or ""  # the LMS shows this page in its own frame
    if not configuration_url:
        return render_template("lti/registered.html", platform=None, reference=None, problem=_(
            "This address is for an LMS administrator: paste it into your LMS's tool registration (LTI Advantage "
            "dynamic registration), which opens it with what CivicLearn needs.")), 400
    from civiclearn.lti import adapter
    try:
        found, answer = adapter.register_with(
            configuration_url, request.args.get("registration_token"),
            configuration.registration_request(url_for("static", filename="img/favicon.svg", _external=True)),
            allow_plain_http=current_app.config["LTI_ALLOW_PLAIN_HTTP"])
    except RegistrationFailed as error:
        reference = secrets.token_hex(4)
        log.warning("LTI dynamic registration failed (ref %s): %s", reference, error)
        return render_template("lti/registered.html", platform=None, reference=reference, problem=_(
            "CivicLearn could not register with your LMS. Check that the LMS can be reached from CivicLearn's "
            "server over https, then start the registration again.")), 400
    platform = platforms.record_dynamic_registration(found, answer)
    db.session.commit()
    return render_template("lti/registered.html", platform=platform)


def open_deep_linking() -> LtiLaunchState:
    """The deep-linking request the signed-in teacher launched in this session, or 404."""
    state = db.session.get(LtiLaunchState, session.get(DEEP_LINKING) or 0)
    if state is None or state.deep_linking is None or not current_user.is_authenticated \
            or state.person_id != current_user.id:
        abort(404)
    return state


@bp.route("/choose", methods=["GET", "POST"])
def choose():
    """Deep linking: the teacher picks modules, which go back to the LMS as activities with gradebook columns."""
    state = open_deep_linking()
    g.lti_platform = state.platform_id
    courses = catalogue().courses
    several = state.deep_linking.get("accept_multiple", True) not in (False, "false")
    form = ChooseModulesForm(modules_of(courses), several)
    if form.validate_on_submit():
        platform = db.session.get(LtiPlatform, state.platform_id)
        return_url = state.deep_linking["deep_link_return_url"]
        from civiclearn.lti import adapter
        answer = adapter.deep_linking_response(platform, state.deployment_id, state.deep_linking,
                                               services.chosen_items(form.chosen(), language()))
        g.lti_form_action = origin_of(return_url)
        return render_template("lti/return.html", return_url=return_url, jwt=answer, count=len(form.chosen()))
    return render_template("lti/choose.html", form=form, courses=courses), 400 if form.errors else 200
