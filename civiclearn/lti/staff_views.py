"""Staff's side of the LMS plugin: a course as a Common Cartridge to import, the class list from the LMS,
scores their LMS has not taken and "send again"."""

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civiclearn import access, loaders
from civiclearn.config import LANGUAGES
from civiclearn.downloads import disposition
from civiclearn.extensions import db
from civiclearn.lti import cartridge as cartridges
from civiclearn.lti import grades, roster
from civiclearn.lti.forms import ConfirmForm
from civiclearn.lti.models import LtiContext, LtiGradeSend, LtiResourceLink
from civiclearn.schools.models import SchoolClass

bp = Blueprint("lti_staff", __name__, url_prefix="/lti")
bp.before_request(access.require_staff)


@bp.app_template_global("lms_unsent_grades")
def lms_unsent_grades(school_class: SchoolClass) -> list:
    """For the class page: the scores its LMS has not taken after every try."""
    return grades.unsent_of(school_class)


@bp.app_template_global("lms_course_of")
def lms_course_of(school_class: SchoolClass):
    """For the class page: the LMS course the class is, if it is one."""
    return roster.lms_course_of(school_class)


@bp.post("/classes/<int:class_id>/roster")
def sync_roster(class_id: int):
    """The teacher's "update the class list from the LMS"."""
    school_class = loaders.find_class(class_id)
    if ConfirmForm().validate_on_submit():
        try:
            synced = roster.sync(current_user, school_class)
        except roster.NoRoster as error:
            db.session.rollback()
            flash(_("The LMS did not give the class list (%(reason)s). Try again later.", reason=str(error)), "error")
        else:
            db.session.commit()
            flash(_("Class list updated from the LMS: %(joined)s joined, %(left)s left, %(staying)s still in the "
                    "course.", joined=synced.joined, left=synced.left, staying=synced.staying), "success")
    return redirect(url_for("schools_staff.class_page", class_id=school_class.id, _anchor="lms-course"), code=303)


@bp.post("/grades/<int:grade_id>/send-again")
def send_again(grade_id: int):
    grade = db.session.get(LtiGradeSend, grade_id)
    access.authorise(grade is not None)
    context = db.session.scalar(select_context(grade))
    school_class = loaders.find_class(context.class_id)
    if ConfirmForm().validate_on_submit():
        grades.send_again(current_user, grade)
        db.session.commit()
        flash(_("The score is being sent to the LMS again."), "success")
    return redirect(url_for("schools_staff.class_page", class_id=school_class.id, _anchor="lms-grades"), code=303)


def select_context(grade: LtiGradeSend):
    return select(LtiContext).join(LtiResourceLink, LtiResourceLink.context_row_id == LtiContext.id).where(
        LtiResourceLink.id == grade.link_id)


@bp.app_template_global("may_download_cartridges")
def may_download_cartridges() -> bool:
    """For the course page: the cartridge download is for staff, as this blueprint's guard decides."""
    return access.roles(current_user).staff


@bp.get("/courses/<course_key>/cartridge.imscc")
def course_cartridge(course_key: str):
    """The course as a Common Cartridge of LTI links (one per module), for the staff member's LMS to import."""
    course = loaders.find_course(course_key)
    language, flavour = request.args.get("language", LANGUAGES[0]), request.args.get("flavour", "1.1")
    if language not in LANGUAGES or flavour not in cartridges.FLAVOURS:
        abort(400)
    response = Response(cartridges.cartridge(course, language, flavour), mimetype="application/zip")
    response.headers["Content-Disposition"] = disposition(cartridges.filename(course, language, flavour))
    return response
