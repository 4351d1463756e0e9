"""Downloads that hold personal data: every one is sent with `Cache-Control: no-store` (the next person at a
kiosk cannot open it from the cache) and written to the audit log with who took which file about whom, because
they all go through `civiclearn.downloads.personal_file`. Public files (open data, handouts, the example roster)
stay cacheable and unrecorded.

The download routes come from the app's URL map (every address ending in a file name), so a download added
without a line in PERSONAL, POSTED or PUBLIC fails `test_every_download_route_is_listed_here`.
"""

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from civiclearn.accounts.models import RoleAssignment
from civiclearn.audit.models import AuditEvent
from civiclearn.badges.services import issuer_profile
from civiclearn.extensions import db
from tests.helpers import find_form, submit

FEEDBACK = "/staff/feedback/getting-started/how-it-works"
QUIZ = "/centres/{centre}/courses/getting-started/take-part/quiz"

# (address, who downloads it, the audit action, the subject's type and its id in the world's ids or None)
PERSONAL = [
    ("/centres/{centre}/dashboard.csv", "trainer", "report.export", "centre", "centre"),
    ("/centres/{centre}/dashboard.xlsx", "trainer", "report.export", "centre", "centre"),
    (f"{QUIZ}.csv", "trainer", "report.export", "centre", "centre"),
    (f"{QUIZ}.xlsx", "trainer", "report.export", "centre", "centre"),
    ("/centres/{centre}/activity.csv", "trainer", "report.export", "centre", "centre"),
    ("/centres/{centre}/activity.xlsx", "trainer", "report.export", "centre", "centre"),
    ("/centres/{centre}/actions.csv", "trainer", "report.export", "centre", "centre"),
    ("/centres/{centre}/actions.xlsx", "admin", "report.export", "centre", "centre"),
    ("/classes/{class_}/report.csv", "teacher", "report.export", "class", "class_"),
    ("/classes/{class_}/report.xlsx", "teacher", "report.export", "class", "class_"),
    ("/classes/{class_}/report.pdf", "teacher", "report.export", "class", "class_"),
    (f"{FEEDBACK}.csv", "trainer", "report.export", "module", "module"),
    (f"{FEEDBACK}.xlsx", "admin", "report.export", "module", "module"),
    ("/overview.csv", "admin", "report.export", "overview", None),
    ("/overview.xlsx?by=month", "admin", "report.export", "overview", None),
    ("/overview/reach.csv", "admin", "report.export", "overview", None),
    ("/overview/reach.xlsx", "admin", "report.export", "overview", None),
    ("/overview/actions.csv", "admin", "report.export", "overview", None),
    ("/overview/schools.csv", "admin", "report.export", "overview", None),
    ("/overview/schools.xlsx", "admin", "report.export", "overview", None),
    ("/centres/{centre}/cards.pdf", "trainer", "cards.print", "centre", "centre"),
    ("/certificate-batches/{batch}/certificates.pdf", "trainer", "batch.download", "cohort", "cohort"),
    ("/certificate-batches/{batch}/certificates.zip", "admin", "batch.download", "cohort", "cohort"),
    ("/certificates/{certificate}.pdf", "learner", "certificate.download", "person", "learner"),
    ("/certificates/{certificate}.pdf", "trainer", "certificate.download", "person", "learner"),
    ("/credentials/{certificate}.jwt", "learner", "credential.download", "person", "learner"),
    ("/credentials/{certificate}.jwt", "admin", "credential.download", "person", "learner"),
    ("/me/data.json", "learner", "data.export", "person", "learner"),
    ("/learners/{learner}/data.json", "teacher", "data.export", "person", "learner"),
]
# Sent by a form rather than opened at an address: starting-PIN slips, made from the PINs sealed in the page that
# shows the learners just added (civiclearn/centres/slips.py).
POSTED = [
    ("/centres/{centre}/pin-slips.pdf", "trainer", "pin_slips.print", "centre", "centre"),
]
# Files without anybody's data: the teacher guide's handout, the open data set, the example roster to fill in,
# the LTI tool configuration for Canvas.
PUBLIC = [
    ("/lti/config.json", "anonymous"),
    ("/lti/courses/getting-started/cartridge.imscc", "trainer"),
    ("/courses/getting-started/take-part/handout.pdf", "anonymous"),
    ("/open-data/learning-by-district-month.csv", "anonymous"),
    ("/open-data/learning-by-district-month.json", "anonymous"),
    ("/open-data/civic-actions-by-district-month.csv", "anonymous"),
    ("/centres/{centre}/roster/example.csv", "trainer"),
    ("/issuer/jwks.json", "anonymous"),  # the programme's public keys
    ("/issuer/logo.png", "anonymous"),  # its logo (given to the world below)
]


def download_rules(app) -> set[str]:
    """Every route whose address ends in a file name (a dot in its last part)."""
    return {rule.rule for rule in app.url_map.iter_rules() if "." in rule.rule.rsplit("/", 1)[-1]}


def test_every_download_route_is_listed_here(app):
    adapter = app.url_map.bind("localhost")
    listed = {adapter.match(re.sub(r"\{\w+\}", "1", address.split("?")[0]), method, return_rule=True)[0].rule
              for method, files in (("GET", PERSONAL + PUBLIC), ("POST", POSTED)) for address, *_rest in files}
    assert sorted(download_rules(app) - listed) == []


def actors(app, ids) -> dict[str, int]:
    """The id of the person behind each browser of the world."""
    with app.app_context():
        def holder(*where):
            return db.session.scalar(select(RoleAssignment.person_id).where(*where))
        return {"learner": ids["learner"], "teacher": ids["teacher"],
                "trainer": holder(RoleAssignment.role == "trainer", RoleAssignment.centre_id == ids["centre"]),
                "admin": holder(RoleAssignment.role == "admin")}


def last_event(app) -> AuditEvent | None:
    with app.app_context():
        return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def download(browser, url: str, ids: dict):
    """Open a download's address, or send the form that asks for it (the slips: from the page of a learner just
    added)."""
    if url.endswith("/pin-slips.pdf"):
        page = submit(browser, f"/centres/{ids['centre']}/learners/new",
                      {"display_name": "Anan Rakdee", "cohort": str(ids["cohort"]), "consent": "y"})
        form = find_form(page.get_data(as_text=True), action=url)
        return browser.post(url, data=MultiDict(form["fields"]))
    return browser.get(url)


def test_every_personal_download_is_never_cached_and_is_audited(app, world, sample):
    ids = world.ids | {"module": sample.modules[0].id}
    people = actors(app, ids)
    wrong = []
    for address, visitor, action, subject_type, subject in PERSONAL + POSTED:
        url = address.format(**ids)
        before = last_event(app)
        with download(world.browsers[visitor], url, ids) as response:
            assert response.status_code == 200, url
            filename = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)
            if response.headers.get("Cache-Control") != "no-store":
                wrong.append(f"{url}: Cache-Control {response.headers.get('Cache-Control')}")
        event = last_event(app)
        if event is None or (before is not None and event.id == before.id):
            wrong.append(f"{url}: not in the audit log")
            continue
        got = (event.actor_id, event.action, event.subject_type, event.subject_id, event.detail.get("file"))
        expected = (people[visitor], action, subject_type, ids[subject] if subject else None, filename)
        if got != expected:
            wrong.append(f"{url}: audited as {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)



def test_public_files_stay_cacheable_and_refused_downloads_are_not_recorded(app, world):
    """Public files are not recorded and may be cached; a refused download (404) leaves nothing in the log."""
    with app.app_context():  # the programme's logo, as an admin uploads it (tests/badges/test_admin.py)
        issuer_profile().logo_png = b"\x89PNG\r\n\x1a\n"
        db.session.commit()
    before = last_event(app).id
    for address, visitor in PUBLIC:
        with world.browsers[visitor].get(address.format(**world.ids)) as response:
            assert response.status_code == 200, address
            assert "no-store" not in response.headers.get("Cache-Control", ""), address
    assert world.browsers["other trainer"].get(f"/centres/{world.ids['centre']}/dashboard.csv").status_code == 404
    assert world.browsers["trainer"].get(f"/centres/{world.ids['centre']}/dashboard.pdf").status_code == 404
    assert last_event(app).id == before
