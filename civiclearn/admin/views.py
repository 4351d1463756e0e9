"""Admin pages, each limited to the admin's scope (everything, a province, or a district)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.accounts.forms import StaffAccountForm
from civiclearn.accounts.models import User
from civiclearn.admin import services
from civiclearn.admin.forms import ROLE_FORMS, CentreForm, SchoolForm
from civiclearn.centres.forms import CohortForm
from civiclearn.centres.models import Centre
from civiclearn.extensions import db
from civiclearn.forms import query_id
from civiclearn.i18n import language
from civiclearn.schools import services as schools_services
from civiclearn.schools.models import School

bp = Blueprint("admin", __name__, url_prefix="/admin")


bp.before_request(access.require_admin)
bp.context_processor(access.admin_context)  # the admin's own scopes, which every admin page names


def outside_scope_message() -> str:
    return _("This is outside the area you administer.")


def listing() -> tuple[str, int]:
    """The search and page asked for in the query string."""
    return request.args.get("q", ""), query_id("page") or 1


def saved(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


# Centres and cohorts

def centres_page(form: CentreForm):
    search, number = listing()
    return render_template("admin/centres.html", centres=services.centres_page(current_user, search, number),
                           search=search, form=form)


@bp.get("/centres")
def centres():
    """The centres in the admin's scope, searchable, and a form to add one."""
    return centres_page(CentreForm(data=services.home_area(current_user)))


@bp.post("/centres")
def create_centre():
    form = CentreForm()
    if form.validate_on_submit():
        try:
            centre = services.create_centre(current_user, **form.fields())
        except services.OutOfScope as error:
            form[error.field].errors.append(outside_scope_message())
        else:
            return saved(_("Centre %(name)s added.", name=centre.name(language())), "admin.centre", centre_id=centre.id)
    return centres_page(form), 400


def centre_page(centre: Centre, form: CentreForm, cohort_form: CohortForm):
    return render_template("admin/centre.html", centre=centre, form=form, cohort_form=cohort_form)


@bp.route("/centres/<int:centre_id>", methods=["GET", "POST"])
def centre(centre_id: int):
    """A centre's details to correct, and its cohorts."""
    found = loaders.find_centre(centre_id)
    form = CentreForm(obj=found)
    if form.validate_on_submit():
        try:
            services.update_centre(current_user, found, **form.fields())
        except services.OutOfScope as error:
            form[error.field].errors.append(outside_scope_message())
        else:
            return saved(_("The centre's details are saved."), "admin.centre", centre_id=found.id)
    status = 400 if form.errors else 200
    return centre_page(found, form, CohortForm(prefix="cohort", formdata=None)), status


@bp.post("/centres/<int:centre_id>/cohorts")
def add_cohort(centre_id: int):
    found = loaders.find_centre(centre_id)
    form = CohortForm(prefix="cohort")
    if form.validate_on_submit():
        try:
            services.add_cohort(current_user, found, form.name.data, form.starts_on.data, form.ends_on.data)
        except services.CohortNameTaken:
            form.name.errors.append(_("This centre already has a cohort with this name."))
        else:
            return saved(_("Cohort %(name)s added.", name=form.name.data), "admin.centre", centre_id=found.id)
    return centre_page(found, CentreForm(obj=found, formdata=None), form), 400


# Schools and their classes

def schools_page(form: SchoolForm):
    search, number = listing()
    return render_template("admin/schools.html", schools=services.schools_page(current_user, search, number),
                           search=search, form=form)


@bp.get("/schools")
def schools():
    """The schools in the admin's scope, searchable, and a form to add one."""
    return schools_page(SchoolForm(data=services.home_area(current_user)))


@bp.post("/schools")
def create_school():
    form = SchoolForm()
    if form.validate_on_submit():
        try:
            school = services.create_school(current_user, **form.fields())
        except services.OutOfScope as error:
            form[error.field].errors.append(outside_scope_message())
        else:
            return saved(_("School %(name)s added.", name=school.name(language())), "admin.school", school_id=school.id)
    return schools_page(form), 400


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
def school(school_id: int):
    """A school's details to correct, and its classes."""
    found = loaders.find_school(school_id)
    form = SchoolForm(obj=found)
    if form.validate_on_submit():
        try:
            services.update_school(current_user, found, **form.fields())
        except services.OutOfScope as error:
            form[error.field].errors.append(outside_scope_message())
        else:
            return saved(_("The school's details are saved."), "admin.school", school_id=found.id)
    return render_template("admin/school.html", school=found, form=form,
                           classes=schools_services.classes_of(found)), 400 if form.errors else 200


# Staff accounts and their roles

def staff_page(form: StaffAccountForm):
    search, number = listing()
    return render_template("admin/staff.html", people=services.staff_page(current_user, search, number),
                           search=search, form=form)


@bp.get("/staff")
def staff():
    """Staff accounts in the admin's scope, searchable, and a form to create one."""
    return staff_page(StaffAccountForm())


@bp.post("/staff")
def create_staff():
    form = StaffAccountForm()
    if form.validate_on_submit():
        try:
            person = services.create_staff(current_user, form.display_name.data, form.username.data,
                                           form.email.data, form.password.data)
        except services.AccountTaken as error:
            form[error.field].errors.append(
                _("Another account already uses this username.") if error.field == "username"
                else _("Another account already uses this email address."))
        else:
            return saved(_("Account %(username)s created. Now give it a role.", username=person.username),
                         "admin.person", person_id=person.id)
    return staff_page(form), 400


def role_forms(submitted: str | None = None) -> dict:
    """The three ways to give a role, each offering only what lies in the admin's scope; the `submitted`
    one reads the request, the others start blank (an admin role suggests the admin's own area)."""
    suggested = {"admin": services.home_area(current_user)}
    forms = {role: form_class(prefix=role) if role == submitted
             else form_class(prefix=role, formdata=None, data=suggested.get(role))
             for role, form_class in ROLE_FORMS.items()}
    name = language()
    forms["trainer"].centre.choices = [("", _("Choose a centre"))] + [
        (centre.id, centre.name(name)) for centre in
        db.session.scalars(access.centres_managed(current_user).order_by(Centre.name_th))]
    forms["teacher"].school.choices = [("", _("Choose a school"))] + [
        (school.id, school.name(name)) for school in
        db.session.scalars(access.schools_managed(current_user).order_by(School.name_th))]
    return forms


def person_page(person: User, forms: dict):
    roles, hidden = services.roles_of(current_user, person)
    return render_template("admin/person.html", person=person, roles=roles, hidden_roles=hidden, forms=forms,
                           may_revoke=lambda assignment: access.may_revoke(current_user, assignment))


@bp.get("/staff/<int:person_id>")
def person(person_id: int):
    """A staff member: their account, the roles they hold in the admin's scope, and roles to give."""
    return person_page(loaders.find_staff(person_id), role_forms())


@bp.post("/staff/<int:person_id>/roles/<any(trainer, teacher, admin):role>")
def grant_role(person_id: int, role: str):
    found = loaders.find_staff(person_id)
    forms = role_forms(submitted=role)
    form = forms[role]
    if form.validate_on_submit():
        try:
            services.grant(current_user, found, role, **form.scope())
        except services.OutOfScope as error:
            form[error.field].errors.append(outside_scope_message())
        else:
            return saved(_("Role given."), "admin.person", person_id=found.id)
    return person_page(found, forms), 400


@bp.post("/staff/<int:person_id>/roles/<int:assignment_id>/revoke")
def revoke_role(person_id: int, assignment_id: int):
    found = loaders.find_staff(person_id)
    assignment = loaders.find_role(found, assignment_id)
    services.revoke(current_user, assignment)
    if db.session.scalar(access.staff_managed(current_user).where(User.id == found.id)):
        return saved(_("Role taken away."), "admin.person", person_id=found.id)
    return saved(_("Role taken away."), "admin.staff")  # their other roles are outside this admin's scope
