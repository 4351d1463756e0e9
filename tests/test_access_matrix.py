"""Who may see what, route by route: every route of the app, requested by each kind of visitor, with the
status code each must get. A route added without a line here fails `test_every_route_is_in_the_matrix`.

Refused visitors get 404 (a guessed id reveals nothing); anonymous visitors are sent to sign in (302).
Sending a form that may not be sent is refused the same way, and changes nothing.
"""

import re

import pytest
from werkzeug.exceptions import NotFound

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.centres.models import Centre, Kiosk
from civiclearn.extensions import db
from tests.helpers import csrf_token

VISITORS = ("anonymous", "learner", "other learner", "trainer", "other trainer", "teacher", "admin")
SIGNED_IN = VISITORS[1:]
STAFF = ("trainer", "other trainer", "teacher", "admin")
MODULE = "/courses/getting-started/take-part"


def everyone(code: int) -> dict[str, int]:
    return dict.fromkeys(VISITORS, code)


def signed_in(code: int, anonymous: int = 302, **others: int) -> dict[str, int]:
    """Any signed-in person gets `code`; `others` (visitor names with _ for spaces) get theirs."""
    return {**everyone(code), "anonymous": anonymous, **{name.replace("_", " "): got for name, got in others.items()}}


def only(*allowed: str, code: int = 200, anonymous: int = 302) -> dict[str, int]:
    """The visitors named get `code`; every other signed-in person 404; anonymous visitors sign in first."""
    return {**everyone(404), "anonymous": anonymous, **dict.fromkeys(allowed, code)}


CENTRE_STAFF = ("trainer", "admin")
LEARNER_STAFF = ("trainer", "teacher", "admin")  # the learner is in the centre's cohort and the school's class
SCHOOL_STAFF = ("teacher", "admin")

# (method, address, expected status by visitor). Addresses name the objects of the `world` fixture.
# Order matters where a request changes things: forms that delete, sign out or make a kiosk come last.
MATRIX = [
    ("GET", "/", everyone(200)),
    ("GET", "/courses", everyone(200)),
    ("GET", "/courses/getting-started", everyone(200)),
    ("GET", MODULE, everyone(200)),
    ("GET", f"{MODULE}/guide", everyone(200)),
    ("GET", f"{MODULE}/handout.pdf", everyone(200)),
    ("GET", "/courses/getting-started/media/images/take-part.svg", everyone(200)),
    ("GET", f"{MODULE}/what-is-an-lgo", signed_in(200)),
    ("GET", f"{MODULE}/quiz", signed_in(200)),
    ("GET", f"{MODULE}/quiz/2", signed_in(200)),
    ("GET", f"{MODULE}/done", signed_in(303)),  # not finished yet: back to the module
    ("GET", "/attempts/{attempt}", only("learner")),
    ("GET", "/card", signed_in(200, **dict.fromkeys(STAFF, 404))),
    ("GET", "/pin", signed_in(200, **dict.fromkeys(STAFF, 404))),
    ("GET", "/me/data", signed_in(200)),
    ("GET", "/me/data.json", signed_in(200)),
    ("GET", "/me/details", signed_in(200)),
    ("GET", "/me/delete", signed_in(200)),
    ("GET", "/register", everyone(200)),
    ("GET", "/sign-in", everyone(200)),
    ("GET", "/staff/sign-in", everyone(200)),
    ("GET", "/staff", only(*STAFF)),
    ("GET", "/staff/password", only(*STAFF)),
    ("GET", "/join", signed_in(200)),
    ("GET", "/kiosk/names", only(code=404, anonymous=404)),  # only a kiosk's browser has names to pick
    ("GET", "/kiosk/names/{learner}", only(code=404, anonymous=404)),
    ("GET", "/kiosk/still-here", signed_in(204, anonymous=401)),  # the idle timer asks; nobody to keep
    ("GET", "/v", everyone(200)),
    ("GET", "/v/{certificate}", everyone(200)),
    ("GET", "/me/certificates", signed_in(200)),
    ("GET", "/certificates/{certificate}.pdf", only("learner", *CENTRE_STAFF)),  # issued by the centre
    ("GET", "/certificates/{certificate}", only(*CENTRE_STAFF)),  # never its holder: staff revoke, reissue
    ("GET", "/credentials/{certificate}", only("learner", *CENTRE_STAFF)),  # as its PDF
    ("GET", "/credentials/{certificate}.jwt", only("learner", *CENTRE_STAFF)),
    ("GET", "/credentials/pick-up/not-a-token", everyone(404)),  # only the holder's fresh QR address opens
    ("GET", "/credentials/check", everyone(200)),
    ("GET", "/credentials/status/1", everyone(200)),
    ("GET", "/issuer", everyone(200)),
    ("GET", "/issuer/jwks.json", everyone(200)),
    ("GET", "/issuer/logo.png", everyone(404)),  # none uploaded
    ("GET", "/contexts/ob-v3p0-context-3.0.3.json", everyone(200)),
    ("GET", "/contexts/credentials-v2.jsonld", everyone(200)),
    ("GET", "/contexts/other.json", everyone(404)),
    ("GET", "/issuer/keys/no-such-key", everyone(404)),
    ("GET", "/issuer/centre/{centre}", everyone(200)),  # its names only
    ("GET", "/issuer/school/999999", everyone(404)),
    ("GET", "/achievements/course:getting-started", everyone(200)),
    ("GET", "/achievements/leader", everyone(200)),
    ("GET", "/achievements/course:no-such-course", everyone(404)),
    ("GET", "/cohorts/{cohort}/certificates", only(*CENTRE_STAFF)),
    ("GET", "/classes/{class_}/certificates", only(*SCHOOL_STAFF)),
    ("GET", "/certificate-batches/{batch}", only(*CENTRE_STAFF)),
    ("GET", "/certificate-batches/{batch}/certificates.pdf", only(*CENTRE_STAFF)),
    ("GET", "/certificate-batches/{batch}/certificates.zip", only(*CENTRE_STAFF)),
    ("GET", "/me/leader", signed_in(200)),
    ("GET", "/me/feedback/getting-started/take-part",
     signed_in(200, **dict.fromkeys(STAFF, 404))),  # lesson opened above
    ("GET", "/centres/{centre}/leaders", only(*CENTRE_STAFF)),
    ("GET", "/me/actions", signed_in(200)),
    ("GET", "/me/actions/new", signed_in(200)),
    ("GET", "/me/actions/new?module=getting-started/take-part", signed_in(200)),
    ("GET", "/me/actions/{civic_action}", only("learner")),  # only the learner it counts for changes it
    ("GET", "/me/actions/for-someone", signed_in(404)),  # nobody here is a leader (no pathway served, no certificate)

    ("GET", "/centres/{centre}", only(*CENTRE_STAFF)),
    ("GET", "/centres/{other_centre}", only("other trainer", "admin")),
    ("GET", "/centres/{centre}/learners/new", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/roster", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/roster/example.csv", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/roster/{roster}", only(*CENTRE_STAFF)),
    ("GET", "/centres/{other_centre}/roster/{roster}", only()),  # a roster is reached through its own centre
    ("GET", "/centres/{centre}/cards.pdf", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/cards.pdf?learner={learner}", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/cards.pdf?roster={roster}", only(*CENTRE_STAFF, code=303)),  # registered nobody yet
    ("GET", "/centres/{other_centre}/cards.pdf?roster={roster}", only()),  # a roster is reached through its centre
    ("GET", "/centres/{centre}/kiosk", only(*CENTRE_STAFF)),
    ("GET", "/centres/99999999999", only(anonymous=404)),  # an id no column holds: not found, for everyone

    ("GET", "/learners/{learner}", only(*LEARNER_STAFF)),
    ("GET", "/learners/{learner}/edit", only(*LEARNER_STAFF)),
    ("GET", "/learners/{learner}/data", only(*LEARNER_STAFF)),
    ("GET", "/learners/{learner}/data.json", only(*LEARNER_STAFF)),
    ("GET", "/learners/{learner}/delete", only(*LEARNER_STAFF)),
    ("GET", "/learners/{other_learner}", only("other trainer", "admin")),

    ("GET", "/schools/{school}", only(*SCHOOL_STAFF)),
    ("GET", "/classes/{class_}", only(*SCHOOL_STAFF)),
    ("GET", "/assignments/{assignment}", only(*SCHOOL_STAFF)),

    ("GET", "/admin/centres", only("admin")),
    ("GET", "/admin/centres/{centre}", only("admin")),
    ("GET", "/admin/schools", only("admin")),
    ("GET", "/admin/schools/{school}", only("admin")),
    ("GET", "/admin/staff", only("admin")),
    ("GET", "/admin/staff/{teacher}", only("admin")),
    ("GET", "/admin/lti", only("admin")),  # an admin of everything: a registration lets a whole LMS in
    ("GET", "/admin/lti/{platform}", only("admin")),
    ("GET", "/admin/badges", only("admin")),  # an admin of everything: the profile speaks for the programme
    ("GET", "/lti/login", everyone(400)),  # no issuer: the page that says the platform is unknown
    ("GET", "/lti/jwks", everyone(200)),
    ("GET", "/lti/config.json", everyone(200)),
    ("GET", "/lti/register", everyone(400)),  # no LMS configuration: the page says what the address is for
    ("GET", "/lti/arrive/not-a-ticket", everyone(404)),
    ("GET", "/lti/window/not-a-ticket", everyone(404)),
    ("GET", "/lti/choose", everyone(404)),
    ("GET", "/lti/courses/getting-started/cartridge.imscc", only(*STAFF)),
    ("GET", "/centres/{centre}/dashboard", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/dashboard.csv", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/dashboard.pdf", only(code=404)),  # CSV and XLSX only
    ("GET", "/centres/{centre}/courses/getting-started/take-part/quiz", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/courses/getting-started/take-part/quiz.xlsx", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/activity.csv", only(*CENTRE_STAFF)),
    ("GET", "/centres/{other_centre}/dashboard", only("other trainer", "admin")),
    ("GET", "/centres/{centre}/actions", only(*CENTRE_STAFF)),  # civic actions: not the school's teacher
    ("GET", "/centres/{centre}/actions.csv", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/actions.xlsx", only(*CENTRE_STAFF)),
    ("GET", "/centres/{centre}/actions.pdf", only(code=404)),  # CSV and XLSX only
    ("GET", "/centres/{other_centre}/actions", only("other trainer", "admin")),
    ("GET", "/classes/{class_}/report", only(*SCHOOL_STAFF)),
    ("GET", "/classes/{class_}/report.pdf", only(*SCHOOL_STAFF)),
    ("GET", "/classes/{class_}/report.xlsx", only(*SCHOOL_STAFF)),
    ("GET", "/overview", only("admin")),
    ("GET", "/overview?by=month", only("admin")),
    ("GET", "/overview.csv?by=centre", only("admin")),
    ("GET", "/overview.xlsx", only("admin")),
    ("GET", "/overview/reach.csv", only("admin")),
    ("GET", "/overview/actions.xlsx", only("admin")),
    ("GET", "/overview/actions.json", only("admin", code=404)),  # CSV and XLSX only
    ("GET", "/overview/reach.pdf", only("admin", code=404)),  # CSV and XLSX only
    ("GET", "/overview/schools.xlsx", only("admin")),
    ("GET", "/healthz", everyone(200)),  # the world fixture loads the courses
    ("GET", "/open-data", everyone(200)),
    ("GET", "/open-data/learning-by-district-month.csv", everyone(200)),
    ("GET", "/open-data/learning-by-district-month.json", everyone(200)),
    ("GET", "/open-data/learning-by-district-month.xml", everyone(404)),
    ("GET", "/open-data/civic-actions-by-district-month.json", everyone(200)),
    ("GET", "/open-data/nobody-by-district-month.csv", everyone(404)),

    ("GET", "/staff/feedback", only(*STAFF)),
    ("GET", "/staff/feedback/getting-started/how-it-works", only(*STAFF)),  # each sees only their learners' feedback
    ("GET", "/staff/feedback/getting-started/how-it-works.csv", only(*STAFF)),
    ("GET", "/staff/themes", only(*STAFF)),  # each over the comments they may read (tests/themes/test_page.py)
    ("GET", "/staff/themes?months=99", only(*STAFF, code=400)),  # a period not offered: said so, no filter

    # Forms sent with a valid token but no fields: allowed visitors get the form back with its errors
    # (200 or 400), or, where every field keeps its value when not sent, the page saved as it was (303).
    # What cannot be undone answers its confirm page first (200): without confirmed=yes, nothing happens.
    ("POST", "/language", everyone(400)),
    ("POST", f"{MODULE}/ways-to-take-part", signed_in(200)),  # its practice activity, not filled in
    ("POST", f"{MODULE}/what-is-an-lgo/complete", signed_in(303)),
    ("POST", f"{MODULE}/quiz", signed_in(200)),
    ("POST", f"{MODULE}/quiz/2", signed_in(303)),  # no answer yet is allowed: on to the next question
    ("POST", "/pin", signed_in(200, **dict.fromkeys(STAFF, 404))),
    ("POST", "/me/details", signed_in(200)),
    ("POST", "/register", everyone(200)),
    ("POST", "/sign-in", everyone(200)),
    ("POST", "/staff/sign-in", everyone(200)),
    ("POST", "/staff/password", only(*STAFF)),  # empty: the form says what is missing
    ("POST", "/join", signed_in(400)),
    ("POST", "/kiosk/names/{learner}", only(code=404, anonymous=404)),
    ("POST", "/learners/{learner}/notes", only(*LEARNER_STAFF, code=303)),  # empty: back to the page, which says so
    ("POST", "/centres/{centre}/cohorts", only(*CENTRE_STAFF, code=400)),
    ("POST", "/centres/{centre}/learners/new", only(*CENTRE_STAFF)),
    ("POST", "/centres/{centre}/roster", only(*CENTRE_STAFF, code=400)),
    ("POST", "/centres/{centre}/roster/{roster}/confirm", only(*CENTRE_STAFF, code=400)),
    ("POST", "/centres/{centre}/pin-slips.pdf", only(*CENTRE_STAFF, code=303)),  # no PINs sealed: the centre says so
    ("POST", "/centres/{centre}/kiosks/{kiosk}/retire", only(*CENTRE_STAFF)),  # not confirmed: the confirm page
    ("POST", "/learners/{learner}/edit", only(*LEARNER_STAFF)),
    ("POST", "/learners/{learner}/pin", only(*LEARNER_STAFF)),
    ("POST", "/schools/{school}", only(*SCHOOL_STAFF, code=400)),
    ("POST", "/classes/{class_}", only(*SCHOOL_STAFF, code=400)),
    ("POST", "/assignments/{assignment}", only(*SCHOOL_STAFF, code=303)),
    ("POST", "/admin/centres", only("admin", code=400)),
    ("POST", "/admin/centres/{centre}", only("admin", code=303)),
    ("POST", "/admin/centres/{centre}/cohorts", only("admin", code=400)),
    ("POST", "/admin/schools", only("admin", code=400)),
    ("POST", "/admin/schools/{school}", only("admin", code=303)),
    ("POST", "/admin/staff", only("admin", code=400)),
    ("POST", "/admin/staff/{teacher}/roles/trainer", only("admin", code=400)),
    ("POST", "/admin/lti", only("admin", code=400)),
    ("POST", "/admin/badges", only("admin", code=400)),  # no names given
    ("POST", "/admin/badges/key", only("admin", code=303)),
    ("POST", "/admin/badges/logo", only("admin", code=400)),  # no file chosen
    ("POST", "/admin/badges/logo/remove", only("admin", code=303)),
    ("POST", "/admin/lti/{platform}", only("admin", code=400)),
    ("POST", "/admin/lti/{platform}/approve", only("admin", code=400)),  # no school chosen
    ("POST", "/admin/lti/key", only("admin", code=303)),
    ("POST", "/lti/login", everyone(400)),
    ("POST", "/lti/launch", everyone(400)),  # no state, no token: refused, with the page that says so
    ("POST", "/lti/grades/{feedback}/send-again", only(code=404)),  # staff only; no such score (sent, in tests/lti)
    ("POST", "/lti/choose", everyone(404)),  # only the teacher whose deep-linking launch is open chooses
    ("POST", "/lti/classes/{class_}/roster", only(*SCHOOL_STAFF, code=303)),  # not an LMS course: it says so
    ("POST", "/admin/staff/{teacher}/roles/{teacher_role}/revoke", only("admin", code=303)),
    ("POST", "/credentials/check", everyone(422)),  # nothing pasted: "not a credential we can read"
    ("POST", "/certificates/{certificate}/revoke", only(*CENTRE_STAFF, code=400)),  # no reason given
    ("POST", "/certificates/{certificate}/reissue", only(*CENTRE_STAFF, code=303)),
    ("POST", "/cohorts/{cohort}/certificates", only(*CENTRE_STAFF, code=400)),  # no course chosen
    ("POST", "/classes/{class_}/certificates", only(*SCHOOL_STAFF, code=400)),
    ("POST", "/certificate-batches/{batch}/resume", only(*CENTRE_STAFF, code=303)),  # done: nothing to go on with
    ("POST", "/staff/themes/run", only(*STAFF, code=303)),  # a run of the comments they may read, then the page
    ("POST", "/me/feedback/getting-started/take-part", signed_in(400, **dict.fromkeys(STAFF, 404))),  # no rating
    ("POST", "/staff/feedback/getting-started/how-it-works/{feedback}/answer", only(*LEARNER_STAFF, code=400)),
    ("POST", "/staff/feedback/getting-started/take-part/{feedback}/answer", only(code=404)),  # not this module's
    ("POST", "/me/leader", signed_in(404)),  # only the sample course is served: no leader pathway to log for
    ("POST", "/centres/{centre}/leaders/sessions/{session}", only(*CENTRE_STAFF, code=400)),  # no decision
    ("POST", "/centres/{centre}/leaders/mentees/{mentee}", only(*CENTRE_STAFF, code=400)),
    ("POST", "/centres/{centre}/leaders/{learner}/endorse", only(code=404)),  # no leader pathway served (before asking)
    ("POST", "/me/mentor-requests/{mentee}", only(code=404)),  # only the mentee answers (not one of the visitors)
    ("POST", "/me/actions/new", signed_in(400)),  # no form token: a tampered form
    ("POST", "/me/actions/{civic_action}", only("learner", code=400)),  # nothing chosen
    ("POST", "/me/actions/{civic_action}/outcome", only("learner", code=303)),  # no answer: back home, asked again
    ("POST", "/me/actions/for-someone", signed_in(404)),
    ("POST", "/me/actions/{civic_action}/delete", only("learner")),  # the confirm page: deleting nothing
    ("POST", "/me/leader/sessions/{session}/withdraw", only("learner", code=303)),  # only the leader who logged it
    ("POST", "/me/leader/mentees/{mentee}/withdraw", only("learner", code=303)),
    ("POST", "/assignments/{assignment}/remove", only(*SCHOOL_STAFF, code=303)),
    ("POST", "/learners/{other_learner}/delete", only("other trainer", "admin")),  # the confirm page, deleting nothing
    ("POST", "/centres/{centre}/kiosk", only(*CENTRE_STAFF)),
    ("POST", "/admin/lti/{platform}/disable", only("admin", code=303)),
    ("POST", "/me/delete", only(*SIGNED_IN)),  # the confirm page: only a POST with confirmed=yes deletes
    ("POST", "/sign-out", everyone(303)),
]


def test_every_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, address, _expected in MATRIX:
        try:
            rule, _arguments = adapter.match(re.sub(r"\{\w+\}", "1", address), method, return_rule=True)
        except NotFound:  # an address that must not be found (an impossible id)
            continue
        covered.add((method, rule.rule))
    every = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert sorted(every - covered) == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_gets_the_expected_status_everywhere(world, visitor):
    browser = world.browsers[visitor]
    wrong = []
    for method, address, expected in MATRIX:
        url = address.format(**world.ids)
        data = {} if method == "GET" else {"csrf_token": csrf_token(browser.get("/courses").get_data(as_text=True))}
        with browser.open(url, method=method, data=data) as response:
            if response.status_code != expected[visitor]:
                wrong.append(f"{method} {url}: {response.status_code}, expected {expected[visitor]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("visitor", "learner"), [("learner", "other_learner"), ("other trainer", "learner"),
                                                  ("teacher", "other_learner")])
def test_refused_forms_change_nothing(app, world, visitor, learner):
    """A trainer's and an admin's forms, sent by others: the learner, the kiosk and the roles stay as they were."""
    browser = world.browsers[visitor]
    token = csrf_token(browser.get("/courses").get_data(as_text=True))
    ids = world.ids
    for url in (f"/centres/{ids['centre']}/kiosks/{ids['kiosk']}/retire", f"/centres/{ids['centre']}/cohorts",
                f"/admin/staff/{ids['teacher']}/roles/{ids['teacher_role']}/revoke", f"/learners/{ids[learner]}/delete",
                f"/learners/{ids[learner]}/edit"):
        response = browser.post(url, data={"csrf_token": token, "name": "รุ่นใหม่", "display_name": "Changed",
                                           "confirmed": "yes"})  # as if "Yes" was pressed on a confirm page
        assert response.status_code == 404, url
    with app.app_context():
        assert db.session.get(Kiosk, ids["kiosk"]).revoked_at is None
        assert db.session.get(User, ids[learner]).anonymised_at is None
        assert db.session.get(User, ids[learner]).display_name != "Changed"
        assert db.session.get(RoleAssignment, ids["teacher_role"]) is not None
        assert len(db.session.get(Centre, ids["centre"]).cohorts) == 1
