"""Roster pages of a centre: upload a CSV or Excel list, preview every row and its problems, confirm once."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired

from civiclearn import access, loaders
from civiclearn.accounts.services import CodeSpaceExhausted
from civiclearn.centres import roster, slips
from civiclearn.centres.models import Centre, Cohort, RosterImport
from civiclearn.centres.views import bp
from civiclearn.errors import http_error
from civiclearn.exports import csv_response
from civiclearn.extensions import db
from civiclearn.forms import Form, query_id
from civiclearn.i18n import language

# Room for the form's other fields and the multipart framing around the file.
UPLOAD_LIMIT = roster.MAX_BYTES + 64 * 1024


class RosterForm(Form):
    file = FileField(_l("Roster file"), description=_l("A CSV file or an Excel workbook (.xlsx), at most %(size)s MB.",
                                                         size=roster.MAX_BYTES // 2**20),
                     validators=[FileRequired(_l("Choose the roster file.")),
                                 FileAllowed(["csv", "xlsx", "txt"],
                                             _l("Choose a CSV file or an Excel workbook (.xlsx)."))])
    cohort = SelectField(_l("Cohort for rows that do not name one"), coerce=int)


class ConfirmForm(Form):
    consent = BooleanField(
        _l("Every learner on this list (or, under 18, their parent or guardian) agreed to what CivicLearn keeps."),
        validators=[DataRequired(_l("Ask for agreement first: what we keep is read out to each learner."))],
    )


def file_problem(reason: str) -> str:
    """Why a whole file cannot be used, in words."""
    return {
        "too_large": _("The file is larger than %(size)s MB. Split the list into smaller files.",
                       size=roster.MAX_BYTES // 2**20),
        "too_many_rows": _("The file has more than %(rows)s rows. Split the list into smaller files.",
                           rows=roster.MAX_ROWS),
        "old_excel": _("This is an old Excel file (.xls). In Excel, choose Save As, then Excel Workbook (.xlsx) "
                       "or CSV UTF-8, and upload that file."),
        "unreadable": _("This file cannot be read. In Excel, choose Save As, then Excel Workbook (.xlsx) "
                        "or CSV UTF-8, and upload that file."),
        "no_name_column": _("No name column was found. The first row must hold the column names, "
                            "for example ชื่อ or name."),
        "empty": _("The file has no learners in it."),
    }[reason]


def row_problem(problem: dict) -> str:
    """Why a row cannot be imported, in words."""
    code = problem["code"]
    if code == "unclosed_quote":
        return _("A quotation mark (\") is not closed in “%(value)s”, so this row cannot be read. In the file, remove "
                 "the mark or close it, and upload the file again, or this row is skipped.", value=problem["value"])
    if code == "name_missing":
        return _("The name is missing.")
    if code == "given_name_missing":
        return _("There is a family name (“%(value)s”) but no given name. Write the given name in the name column "
                 "and upload the file again, or this row is skipped.", value=problem["value"])
    if code == "name_too_long":
        return _("The name is longer than %(length)s characters.", length=roster.NAME_LENGTH)
    if code == "birth_year":
        return _("“%(value)s” is not a possible year of birth: write it like 2510 or 1967.", value=problem["value"])
    if code == "gender":
        return _("“%(value)s” is not a gender word we know: write หญิง, ชาย or อื่น ๆ (or female, male, other), "
                 "or leave it empty.", value=problem["value"])
    if code == "cohort_missing":
        return _("No cohort: write it in the cohort column, or choose a cohort for such rows when uploading.")
    if code == "cohort_unknown":
        return _("This centre has no cohort “%(value)s”. Add it on the centre page first, or correct the name.",
                 value=problem["value"])
    if code == "duplicate_in_file":
        return _("The same name and year of birth as row %(line)s.", line=problem["line"])
    return _("Already a learner of this cohort.")


def roster_form(centre: Centre, **options) -> RosterForm:
    form = RosterForm(**options)
    form.cohort.choices = [(0, _("None: the rows name it"))] + [(c.id, c.name) for c in centre.cohorts]
    return form


def upload_page(centre: Centre, form: RosterForm, status: int):
    return render_template("centres/roster.html", centre=centre, form=form, columns=roster.COLUMNS,
                           max_rows=roster.MAX_ROWS, max_megabytes=roster.MAX_BYTES // 2**20), status


@bp.url_value_preprocessor
def limit_upload(endpoint: str | None, values: dict | None) -> None:
    """Cap the roster upload's size before anything reads the request body (CSRF checking does, first)."""
    if endpoint == "centres.roster":
        request.max_content_length = UPLOAD_LIMIT


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """A roster far over the limit: the upload page again, saying why (other pages: the plain error page)."""
    if request.endpoint != "centres.roster":
        return http_error(error)
    found = db.session.get(Centre, request.view_args["centre_id"])
    if found is None or not access.may_manage_centre(current_user, found):  # as find_centre, without raising here
        return http_error(NotFound())
    form = roster_form(found, formdata=None)  # the request's body is not to be read
    form.file.errors = [file_problem("too_large")]
    return upload_page(found, form, 413)


@bp.route("/centres/<int:centre_id>/roster", methods=["GET", "POST"], endpoint="roster")
def roster_upload(centre_id: int):
    """Upload a roster; its rows are checked and shown for a preview, and nobody is registered yet."""
    found = loaders.find_centre(centre_id)
    form = roster_form(found)
    if request.method == "GET":
        form.cohort.data = query_id("cohort")
    if form.validate_on_submit():
        default_cohort = db.session.get(Cohort, form.cohort.data) if form.cohort.data else None
        try:
            upload = roster.upload(current_user, found, form.file.data.filename, form.file.data.read(), default_cohort)
        except roster.RosterError as error:
            form.file.errors.append(file_problem(error.reason))
        else:
            db.session.commit()
            return redirect(url_for("centres.roster_preview", centre_id=found.id, import_id=upload.id), code=303)
    return upload_page(found, form, 400 if form.errors else 200)


@bp.get("/centres/<int:centre_id>/roster/example.csv")
def roster_example(centre_id: int):
    """An example roster in the page's language that Excel opens with Thai intact (UTF-8 with a BOM)."""
    found = loaders.find_centre(centre_id)
    cohort = found.cohorts[0].name if found.cohorts else _("Round 1")
    thai = language() == "th"
    header = ["ชื่อ", "ปีเกิด", "เพศ", "รุ่น"] if thai else ["name", "birth year", "gender", "cohort"]
    return csv_response("roster-example", header, [["สมศรี ใจดี", "2510", "หญิง" if thai else "female", cohort],
                                                   ["Anan Rakdee", "1985", "ชาย" if thai else "male", cohort],
                                                   ["มาลี มีสุข", "", "", cohort]])


def render_preview(centre: Centre, upload: RosterImport, form: ConfirmForm, status: int = 200):
    good = len(roster.good_rows(upload))
    return render_template("centres/roster_preview.html", centre=centre, upload=upload, form=form,
                           upload_form=roster_form(centre, formdata=None), good=good, bad=len(upload.rows) - good,
                           row_problem=row_problem), status


@bp.get("/centres/<int:centre_id>/roster/<int:import_id>")
def roster_preview(centre_id: int, import_id: int):
    """Every row of an uploaded roster, and every problem; or, once imported, what was done."""
    found = loaders.find_centre(centre_id)
    return render_preview(found, loaders.find_roster_import(found, import_id), ConfirmForm())


@bp.post("/centres/<int:centre_id>/roster/<int:import_id>/confirm")
def roster_confirm(centre_id: int, import_id: int):
    """Register every good row in one transaction and show each new learner's code and starting PIN, once."""
    found = loaders.find_centre(centre_id)
    upload = loaders.find_roster_import(found, import_id)
    form = ConfirmForm()
    if upload.confirmed_at is None and not form.validate_on_submit():
        return render_preview(found, upload, form, 400)
    try:
        imported = roster.confirm(current_user, found, upload)
        db.session.commit()
    except roster.AlreadyConfirmed:
        db.session.rollback()
        flash(_("This roster was already imported. Nothing more was added."), "info")
        return redirect(url_for("centres.roster_preview", centre_id=centre_id, import_id=import_id), code=303)
    except (SQLAlchemyError, CodeSpaceExhausted):
        db.session.rollback()
        current_app.logger.exception("roster import %s failed; nothing was written", import_id)
        flash(_("Something went wrong, so nobody was imported. Please try again."), "error")
        return redirect(url_for("centres.roster_preview", centre_id=centre_id, import_id=import_id), code=303)
    used = {row["cohort_id"] for row, _learner, _pin in imported.learners}
    sealed = slips.seal(current_user, found, [(learner, pin) for _row, learner, pin in imported.learners])
    return render_template("centres/roster_done.html", centre=found, upload=upload, imported=imported,
                           cohorts=[cohort for cohort in found.cohorts if cohort.id in used], row_problem=row_problem,
                           slips=sealed, slip_minutes=slips.SLIP_MINUTES)
