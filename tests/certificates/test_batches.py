"""Certificates in bulk: a cohort's or class's certificates issued in one action (only to those who finished,
never twice), one merged PDF and a ZIP of single PDFs, progress, stalled batches resumed, the CLI, who may."""

import io
import threading
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.certificates import batches, services
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.schools.models import ClassMember, SchoolClass
from tests.helpers import record_finished, submit, visible_text

COURSE = "getting-started"
NAMES = ("กมล ใจดี", "ขวัญใจ รักเรียน", "คำปุน ศรีสุข", "งามตา มีสุข", "จันทร์เพ็ญ ทองดี")


@pytest.fixture(autouse=True)
def batch_files(app) -> Path:
    """Each test's batch files, in its own folder (batch ids start again in every test's empty tables)."""
    yield app.config["CERTIFICATE_BATCHES_DIR"]
    for thread in threading.enumerate():  # a background batch must end before the tables are emptied
        if thread.name.startswith("certificate-batch-"):
            thread.join(timeout=60)


def add_people(app, names=NAMES) -> list[int]:
    """Learners, added straight to the database (no PIN to hash: none of them signs in)."""
    with app.app_context():
        people = [User(display_name=name, learner_code=codes.new_code()) for name in names]
        db.session.add_all(people)
        db.session.commit()
        return [person.id for person in people]


def held_certificates(app) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted(db.session.execute(select(Certificate.person_id, Certificate.code)).all())


def the_batch(app, batch_id: int | None = None) -> CertificateBatch:
    with app.app_context():
        query = select(CertificateBatch).order_by(CertificateBatch.id.desc())
        return db.session.scalar(query.where(CertificateBatch.id == batch_id) if batch_id else query.limit(1))


def in_english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def cohort(app, sample, make_centre, make_cohort, enrol):
    """A cohort of five: three finished the sample course, one is half way, one has not started."""
    centre = make_centre()
    cohort_id = make_cohort(centre)
    people = add_people(app)
    for person in people:
        enrol(person, cohort_id)
    for person in people[:3]:
        record_finished(app, person, sample.modules)
    record_finished(app, people[3], sample.modules[:1])
    return {"centre": centre, "id": cohort_id, "finished": people[:3], "half": people[3], "new": people[4]}


@pytest.fixture
def trainer_client(app, make_staff, staff_sign_in, cohort):
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=cohort["centre"]), on=browser)
    in_english(browser)
    return browser


def issue(client, page: str):
    """Choose the sample course on the page and press the issue button."""
    return submit(client, f"{page}?course={COURSE}", {}, form_id="issue-form")


def merged_pages(client, batch_id: int) -> PdfReader:
    with client.get(f"/certificate-batches/{batch_id}/certificates.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Cache-Control"] == "no-store"
        return PdfReader(io.BytesIO(response.data))


def zipped(client, batch_id: int) -> dict[str, bytes]:
    with client.get(f"/certificate-batches/{batch_id}/certificates.zip") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert response.headers["Cache-Control"] == "no-store"
        assert "attachment" in response.headers["Content-Disposition"]
        data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# A cohort, through the pages

def test_a_cohort_batch_issues_only_to_those_who_finished_and_prints_them(app, trainer_client, cohort):
    page = f"/cohorts/{cohort['id']}/certificates"
    text = visible_text(trainer_client.get(f"{page}?course={COURSE}").get_data(as_text=True))
    assert "Finished every module, so they get a certificate: 3 of 5. Not yet: 2." in text
    assert f"{NAMES[3]} 1 of 2 modules finished" in text and f"{NAMES[4]} 0 of 2 modules finished" in text
    assert "Issue and print 3 certificates" in text

    response = issue(trainer_client, page)
    assert response.status_code == 303
    batch = the_batch(app)
    assert response.headers["Location"] == f"/certificate-batches/{batch.id}"
    assert (batch.status, batch.done, batch.total, batch.cohort_id) == ("done", 3, 3, cohort["id"])

    held = held_certificates(app)
    assert [person for person, _code in held] == sorted(cohort["finished"])  # nobody else

    result = trainer_client.get(f"/certificate-batches/{batch.id}")
    assert "Refresh" not in result.headers
    text = visible_text(result.get_data(as_text=True))
    assert "3 certificates are ready." in text and "Open the PDF to print" in text

    merged = merged_pages(trainer_client, batch.id)
    assert len(merged.pages) == 3  # one page per certificate
    by_code = {code: person for person, code in held}
    assert sorted(item.title for item in merged.outline) == sorted(
        f"{NAMES[cohort['finished'].index(person)]} {codes.display(code)}" for code, person in by_code.items())

    singles = zipped(trainer_client, batch.id)
    assert sorted(singles) == sorted(f"{NAMES[cohort['finished'].index(person)]} {codes.display(code)}.pdf"
                                     for code, person in by_code.items())
    for pdf in singles.values():
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1 and len(pdf) < 60 * 1024

    earlier = visible_text(trainer_client.get(page).get_data(as_text=True))
    assert "Printed before" in earlier and "3 certificates" in earlier  # the files stay downloadable


def test_running_again_issues_nobody_a_second_certificate(app, trainer_client, cohort, sample):
    page = f"/cohorts/{cohort['id']}/certificates"
    with app.test_request_context():  # one finisher got theirs on completion, before any batch
        early = services.issue_if_course_complete(db.session.get(User, cohort["finished"][0]), sample).code
        db.session.commit()
    issue(trainer_client, page)
    first = held_certificates(app)
    assert len(first) == 3 and (cohort["finished"][0], early) in first

    record_finished(app, cohort["half"], sample.modules[1:])  # finishes meanwhile
    assert issue(trainer_client, page).status_code == 303
    second = held_certificates(app)
    assert len(second) == 4 and set(first) <= set(second)
    batch = the_batch(app)
    assert (batch.status, batch.total) == ("done", 4)
    assert len(merged_pages(trainer_client, batch.id).pages) == 4
    assert f"{NAMES[0]} {codes.display(early)}.pdf" in zipped(trainer_client, batch.id)


def test_a_batchs_files_are_deleted_after_30_days_and_the_page_says_so(app, trainer_client, cohort, sample):
    page = f"/cohorts/{cohort['id']}/certificates"
    issue(trainer_client, page)
    old = the_batch(app)
    with app.app_context():
        db.session.get(CertificateBatch, old.id).finished_at = utcnow() - batches.KEEP_FILES_FOR - timedelta(hours=1)
        db.session.commit()
    record_finished(app, cohort["half"], sample.modules[1:])
    issue(trainer_client, page)  # any new batch forgets the old files
    assert the_batch(app).id != old.id
    assert trainer_client.get(f"/certificate-batches/{old.id}/certificates.pdf").status_code == 404
    assert trainer_client.get(f"/certificate-batches/{old.id}/certificates.zip").status_code == 404
    text = visible_text(trainer_client.get(f"/certificate-batches/{old.id}").get_data(as_text=True))
    assert "deleted 30 days after they were made" in text
    assert len(merged_pages(trainer_client, the_batch(app).id).pages) == 4  # the new batch's files are there


def test_a_revoked_certificate_is_neither_printed_nor_issued_again(app, trainer_client, cohort, sample):
    with app.test_request_context():
        revoked = services.issue_if_course_complete(db.session.get(User, cohort["finished"][0]), sample)
        services.revoke(None, revoked, "issued by mistake")
        db.session.commit()
    page = f"/cohorts/{cohort['id']}/certificates"
    assert f"{NAMES[0]} Their certificate was revoked" in visible_text(
        trainer_client.get(page).get_data(as_text=True))
    issue(trainer_client, page)
    assert the_batch(app).total == 2
    assert len(held_certificates(app)) == 3  # the revoked one and two new ones


def test_nobody_qualifying_makes_no_batch(app, make_staff, staff_sign_in, sample, make_centre, make_cohort, enrol):
    centre = make_centre()
    cohort_id = make_cohort(centre)
    [person] = add_people(app, NAMES[:1])
    enrol(person, cohort_id)
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=browser)
    in_english(browser)
    page = f"/cohorts/{cohort_id}/certificates"
    assert "Issue and print" not in browser.get(page).get_data(as_text=True)
    response = browser.post(page, data={"course": COURSE, "csrf_token": _token(browser, page)})
    assert response.status_code == 303 and the_batch(app) is None
    assert browser.post(page, data={"course": "no-such-course", "csrf_token": _token(browser, page)}).status_code == 400


def _token(client, page: str) -> str:
    from tests.helpers import csrf_token
    return csrf_token(client.get(page).get_data(as_text=True))


# Running, stalling, resuming

def test_a_stalled_batch_is_shown_so_and_resumes_without_duplicates(app, trainer_client, cohort, sample):
    with app.test_request_context():
        cohort_row = db.session.get(batches.Cohort, cohort["id"])
        batch = batches.create(None, cohort_row, sample)
        # What a process that died half way leaves: one certificate issued, the batch "running", silent.
        already = services.issue_if_course_complete(db.session.get(User, cohort["finished"][1]), sample).code
        batch.status, batch.heartbeat_at = "running", utcnow() - timedelta(seconds=30)
        db.session.commit()
        batch_id = batch.id
    page = f"/certificate-batches/{batch_id}"

    running = trainer_client.get(page)  # silent for 30 s: still alive as far as anyone can tell
    assert running.headers["Refresh"] == "5"
    assert "0 of 3 certificates ready" in visible_text(running.get_data(as_text=True))
    with app.test_request_context():
        assert batches.run(batch_id) is None  # a live batch is not run twice
    assert trainer_client.get(f"{page}?refresh=off").headers.get("Refresh") is None

    with app.app_context():
        db.session.get(CertificateBatch, batch_id).heartbeat_at = utcnow() - batches.STALE_AFTER - timedelta(seconds=1)
        db.session.commit()
    stalled = trainer_client.get(page)
    assert "Refresh" not in stalled.headers
    assert "stopped before the end" in visible_text(stalled.get_data(as_text=True))
    assert trainer_client.get(f"{page}/certificates.pdf").status_code == 404  # no half-made files

    resumed = submit(trainer_client, page, {}, action=f"{page}/resume")
    assert resumed.status_code == 303 and resumed.headers["Location"] == page
    held = held_certificates(app)
    assert len(held) == 3 and (cohort["finished"][1], already) in held
    assert (the_batch(app, batch_id).status, the_batch(app, batch_id).done) == ("done", 3)
    assert len(merged_pages(trainer_client, batch_id).pages) == 3


def test_a_failed_batch_says_so_leaves_no_files_and_can_be_tried_again(app, trainer_client, cohort, sample, batch_files):
    from civiclearn.courses.store import retire_course
    with app.test_request_context():
        batch = batches.create(None, db.session.get(batches.Cohort, cohort["id"]), sample)
        db.session.commit()
        retire_course(COURSE)  # its course is no longer served when the batch runs
        db.session.commit()
        app.extensions["civiclearn.catalogue"].invalidate()
        failed = batches.run(batch.id)
        assert failed.status == "failed" and "not served" in failed.error
        batch_id = failed.id
    text = visible_text(trainer_client.get(f"/certificate-batches/{batch_id}").get_data(as_text=True))
    assert "Making these certificates failed" in text and "Go on" in text
    assert not any(path.is_file() for path in batch_files.rglob("*"))


def test_a_large_batch_runs_in_the_background_with_a_process_pool(app, trainer_client, cohort, sample,
                                                                   monkeypatch):
    monkeypatch.setattr(batches, "SMALL_BATCH", 1)  # three certificates count as a large batch here
    page = f"/cohorts/{cohort['id']}/certificates"
    assert "you may leave it and come back" in trainer_client.get(f"{page}?course={COURSE}").get_data(as_text=True)
    response = issue(trainer_client, page)
    assert response.status_code == 303
    progress = trainer_client.get(response.headers["Location"])  # the pool's processes are still starting
    assert progress.headers["Refresh"] == "5"
    assert "<progress" in progress.get_data(as_text=True)
    batch_id = the_batch(app).id
    deadline = time.monotonic() + 60
    while the_batch(app, batch_id).status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (the_batch(app, batch_id).status, the_batch(app, batch_id).done) == ("done", 3)
    pooled = merged_pages(trainer_client, batch_id)
    assert len(pooled.pages) == 3 and len(zipped(trainer_client, batch_id)) == 3

    with app.test_request_context():  # the worker processes render what this process renders
        again = batches.create(None, db.session.get(batches.Cohort, cohort["id"]), sample)
        db.session.commit()
        here = PdfReader(batches.merged_file(batches.run(again.id, processes=1)))
    assert [page.extract_text() for page in here.pages] == [page.extract_text() for page in pooled.pages]


# Who may

@pytest.mark.parametrize("who, expected", [
    ("anonymous", 302), ("learner", 404), ("other trainer", 404), ("teacher", 404), ("admin elsewhere", 404),
    ("trainer", 200), ("admin", 200),
])
def test_who_may_issue_and_see_a_cohorts_certificates(app, cohort, sample, make_staff, make_learner, sign_in,
                                                      staff_sign_in, make_centre, make_school, who, expected):
    with app.test_request_context():
        batch = batches.create(None, db.session.get(batches.Cohort, cohort["id"]), sample)
        db.session.commit()
        batches.run(batch.id)
        batch_id = batch.id
    browser = app.test_client()
    if who == "learner":
        learner = make_learner()
        sign_in(learner, on=browser)
    elif who != "anonymous":
        staff = {"trainer": lambda: make_staff("trainer", centre_id=cohort["centre"]),
                 "other trainer": lambda: make_staff("trainer", centre_id=make_centre(name="ศูนย์อื่น")),
                 "teacher": lambda: make_staff("teacher", school_id=make_school()),
                 "admin": lambda: make_staff("admin", province="เชียงใหม่"),
                 "admin elsewhere": lambda: make_staff("admin", province="ลำปาง")}[who]()
        staff_sign_in(staff, on=browser)
    pages = [f"/cohorts/{cohort['id']}/certificates", f"/certificate-batches/{batch_id}",
             f"/certificate-batches/{batch_id}/certificates.pdf", f"/certificate-batches/{batch_id}/certificates.zip"]
    for page in pages:
        with browser.get(page) as response:
            assert response.status_code == expected, page
            if expected == 302:
                assert "/staff/sign-in" in response.headers["Location"]
    if expected == 404:
        token = _token(browser, "/") if who != "anonymous" else ""
        assert browser.post(pages[0], data={"course": COURSE, "csrf_token": token}).status_code == 404
        assert browser.post(f"{pages[1]}/resume", data={"csrf_token": token}).status_code == 404
        assert the_batch(app).id == batch_id  # no batch made


def test_the_centre_page_links_each_cohorts_certificates(app, trainer_client, cohort):
    html = trainer_client.get(f"/centres/{cohort['centre']}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort["id"]}/certificates"' in html


def safe_and_simple(app, load_courses):
    """A second course served after the sample: safe-and-simple."""
    load_courses(ROOT / "courses" / "safe-and-simple")
    with app.test_request_context():
        return catalogue().course("safe-and-simple")


def test_the_page_opens_on_the_course_the_cohort_studied_last(app, trainer_client, cohort, load_courses):
    """Not on the first course served, where "0 of 8" told a trainer at the ceremony that nobody had finished."""
    safe = safe_and_simple(app, load_courses)
    record_finished(app, cohort["new"], safe.modules)  # after the others' sample course
    page = f"/cohorts/{cohort['id']}/certificates"
    html = trainer_client.get(page).get_data(as_text=True)
    assert 'value="safe-and-simple" checked' in html
    assert f"{safe.title.en} Finished every module, so they get a certificate: 1 of 5. Not yet: 4." in visible_text(
        html)
    text = visible_text(trainer_client.get(f"{page}?course={COURSE}").get_data(as_text=True))  # asked for: it wins
    assert "they get a certificate: 3 of 5. Not yet: 2." in text
    assert trainer_client.get(f"{page}?course=no-such-course").status_code == 200


# A class, for its teacher

def test_a_teacher_prints_a_classs_certificates(app, sample, make_school, make_staff, staff_sign_in, load_courses):
    school = make_school()
    people = add_people(app, NAMES[:3])
    with app.app_context():
        school_class = SchoolClass(school_id=school, name="ม.2/1", grade="ม.2", year=2569, join_code="KEMABC")
        db.session.add(school_class)
        db.session.flush()
        db.session.add_all(ClassMember(class_id=school_class.id, person_id=person) for person in people)
        db.session.commit()
        class_id = school_class.id
    for person in people[:2]:
        record_finished(app, person, sample.modules)
    teacher = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=school), on=teacher)
    in_english(teacher)
    assert f'href="/classes/{class_id}/certificates"' in teacher.get(f"/classes/{class_id}").get_data(as_text=True)

    page = f"/classes/{class_id}/certificates"
    text = visible_text(teacher.get(f"{page}?course={COURSE}").get_data(as_text=True))
    assert "they get a certificate: 2 of 3. Not yet: 1." in text
    assert issue(teacher, page).status_code == 303
    batch = the_batch(app)
    assert (batch.class_id, batch.cohort_id, batch.status, batch.total) == (class_id, None, "done", 2)
    assert [person for person, _code in held_certificates(app)] == sorted(people[:2])
    assert len(merged_pages(teacher, batch.id).pages) == 2

    safe = safe_and_simple(app, load_courses)  # the class moves on: its page opens on the course studied last
    record_finished(app, people[2], safe.modules)
    assert f"{safe.title.en} Finished every module, so they get a certificate: 1 of 3." in visible_text(
        teacher.get(page).get_data(as_text=True))

    other_teacher = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=make_school(name="โรงเรียนอื่น")), on=other_teacher)
    assert other_teacher.get(page).status_code == 404
    assert other_teacher.get(f"/certificate-batches/{batch.id}/certificates.pdf").status_code == 404


# The command line

def test_the_cli_issues_a_cohorts_certificates_with_a_progress_bar(app, cohort, batch_files):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "issue", "--cohort", str(cohort["id"]), "--course", COURSE])
    assert result.exit_code == 0, result.output
    assert "3 of 5 learner(s)" in result.output and f"Not yet: {NAMES[3]}, {NAMES[4]}" in result.output
    assert "Rendering certificates" in result.output
    batch = the_batch(app)
    merged, archive = batch_files / str(batch.id) / "certificates.pdf", batch_files / str(batch.id) / "certificates.zip"
    assert str(merged) in result.output and str(archive) in result.output
    assert len(PdfReader(merged).pages) == 3 and len(zipfile.ZipFile(archive).namelist()) == 3

    again = runner.invoke(args=["certificates", "issue", "--cohort", str(cohort["id"]), "--course", COURSE])
    assert again.exit_code == 0 and len(held_certificates(app)) == 3  # nothing issued twice
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CertificateBatch)) == 2


def test_the_cli_says_what_is_wrong(app, cohort):
    runner = app.test_cli_runner()
    for args, message in [(["--course", COURSE], "either --cohort or --class"),
                          (["--cohort", "1", "--class", "1", "--course", COURSE], "either --cohort or --class"),
                          (["--cohort", str(cohort["id"]), "--course", "nope"], "served: getting-started"),
                          (["--class", "999", "--course", COURSE], "no class 999")]:
        result = runner.invoke(args=["certificates", "issue", *args])
        assert result.exit_code == 2 and message in result.output, result.output
