"""Certificates of a whole cohort or class: issued in one action, rendered in the background, printed from one PDF."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.centres.models import Cohort
from civiclearn.certificates import batches
from civiclearn.certificates.staff_views import bp
from civiclearn.courses.store import catalogue
from civiclearn.downloads import personal_file
from civiclearn.extensions import db
from civiclearn.learning.services import group_course
from civiclearn.schools.models import SchoolClass

REFRESH_SECONDS = 5


def group_url(group: batches.Group) -> str:
    """The page the group is managed from: the centre's page filtered to the cohort, or the class page."""
    if isinstance(group, Cohort):
        return url_for("centres.centre", centre_id=group.centre_id, cohort=group.id)
    return url_for("schools_staff.class_page", class_id=group.id)


def issue_url(group: batches.Group, **args) -> str:
    if isinstance(group, Cohort):
        return url_for("certificates_staff.cohort_batch", cohort_id=group.id, **args)
    return url_for("certificates_staff.class_batch", class_id=group.id, **args)


@bp.route("/cohorts/<int:cohort_id>/certificates", methods=["GET", "POST"])
def cohort_batch(cohort_id: int):
    """The certificates of a cohort: who qualifies for a chosen course, and issuing and printing them all."""
    return issue_page(loaders.find_group(Cohort, cohort_id))


@bp.route("/classes/<int:class_id>/certificates", methods=["GET", "POST"])
def class_batch(class_id: int):
    """The certificates of a class, as for a cohort."""
    return issue_page(loaders.find_group(SchoolClass, class_id))


def issue_page(group: batches.Group):
    """GET: choose a course, see who qualifies and who does not yet. POST: make the batch (now, or in the background)."""
    courses = catalogue().courses
    if request.method == "POST":
        course = catalogue().course(request.form.get("course", ""))
        if course is None:
            abort(400)  # the form only offers served courses
        running = batches.in_progress(group, course)
        if running is not None:
            flash(_("These certificates are being made already: this page shows how far it is."), "info")
            return redirect(url_for("certificates_staff.batch", batch_id=running.id), code=303)
        try:
            batch = batches.create(current_user, group, course)
        except batches.NobodyQualifies:
            flash(_("Nobody has finished this course yet, so there is no certificate to print."), "error")
            return redirect(issue_url(group, course=course.key), code=303)
        db.session.commit()
        batches.start(batch)
        return redirect(url_for("certificates_staff.batch", batch_id=batch.id), code=303)
    course = group_course(catalogue(), request.args.get("course", ""), batches.member_ids(group))
    standings = batches.standings(group, course) if course else []
    return render_template("certificates/batch_issue.html", group=group, is_cohort=isinstance(group, Cohort),
                           courses=courses, course=course, standings=standings,
                           ready=[standing for standing in standings if standing.qualifies],
                           not_yet=[standing for standing in standings if not standing.qualifies],
                           earlier=batches.batches_of(group), course_titles=course_titles(),
                           small_batch=batches.SMALL_BATCH, back=group_url(group))


def course_titles() -> dict:
    """Served courses' titles by database id, for naming batches."""
    return {course.id: course.title for course in catalogue().courses}


@bp.get("/certificate-batches/<int:batch_id>", endpoint="batch")
def show_batch(batch_id: int):
    """A batch's progress (the page refreshes itself while it runs, no JavaScript needed), then its files."""
    found = loaders.find_batch(batch_id)
    group = batches.group_of(found)
    stalled = batches.is_stalled(found)
    refresh = found.status in ("queued", "running") and not stalled and request.args.get("refresh") != "off"
    merged, archive = batches.merged_file(found), batches.zip_file(found)
    page = render_template(
        "certificates/batch.html", batch=found, group=group, is_cohort=isinstance(group, Cohort),
        course=course_titles().get(found.course_id), stalled=stalled, refresh=refresh,
        refresh_seconds=REFRESH_SECONDS, keep_days=batches.KEEP_FILES_FOR.days,
        merged_size=merged.stat().st_size if merged else None, zip_size=archive.stat().st_size if archive else None,
        back=group_url(group),
        issue_again=issue_url(group, course=course_key(found.course_id)))
    headers = {"Refresh": str(REFRESH_SECONDS)} if refresh else {}
    return page, 200, headers


def course_key(course_id: int) -> str | None:
    return next((course.key for course in catalogue().courses if course.id == course_id), None)


@bp.post("/certificate-batches/<int:batch_id>/resume")
def resume_batch(batch_id: int):
    """Go on with a batch that stalled (its process stopped) or failed: what was issued is found, not issued again."""
    found = loaders.find_batch(batch_id)
    if found.status == "failed" or batches.is_stalled(found):
        batches.start(found)
    return redirect(url_for("certificates_staff.batch", batch_id=found.id), code=303)


def batch_download(batch_id: int, path_of, mimetype: str, extension: str):
    """A finished batch's file (the PDF opens in the browser to print, the ZIP is saved), through the download
    helper: names of people, so never cached, and recorded in the audit log against the cohort or class."""
    found = loaders.find_batch(batch_id)
    path = path_of(found)
    access.authorise(path is not None)
    key = course_key(found.course_id) or "course"
    group = ("cohort", found.cohort_id) if found.cohort_id else ("class", found.class_id)
    return personal_file(path, f"certificates-{key}-{found.id}.{extension}", mimetype, inline=extension == "pdf",
                         action="batch.download", subject=group, detail={"batch": found.id})


@bp.get("/certificate-batches/<int:batch_id>/certificates.pdf")
def batch_pdf(batch_id: int):
    """All the batch's certificates in one PDF, one page each, to print."""
    return batch_download(batch_id, batches.merged_file, "application/pdf", "pdf")


@bp.get("/certificate-batches/<int:batch_id>/certificates.zip")
def batch_zip(batch_id: int):
    """Each certificate as its own PDF, named by holder and code, in one ZIP."""
    return batch_download(batch_id, batches.zip_file, "application/zip", "zip")
