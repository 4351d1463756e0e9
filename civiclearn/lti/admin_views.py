"""Admin pages of the LMS registrations (admins of the whole programme): every value an LMS administrator
types in, the registrations (approve, correct, disable), and our signing key."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access
from civiclearn.extensions import db
from civiclearn.i18n import language
from civiclearn.lti import configuration, platforms
from civiclearn.lti.forms import ApproveForm, ConfirmForm, NewPlatformForm, PlatformForm, lines
from civiclearn.lti.models import LtiPlatform
from civiclearn.schools.models import School

bp = Blueprint("lti_admin", __name__, url_prefix="/admin/lti")


@bp.app_template_global("may_manage_platforms")
def may_manage_platforms() -> bool:
    """For the admin menu: the link to these pages."""
    return access.is_course_owner(current_user)


bp.before_request(access.require_programme_admin)
bp.context_processor(access.admin_context)


def school_choices() -> list[tuple]:
    schools = db.session.scalars(access.schools_managed(current_user)).all()
    return [("", _("Choose a school"))] + sorted(((school.id, school.name(language())) for school in schools),
                                                key=lambda pair: pair[1])


def find_platform(platform_id: int) -> LtiPlatform:
    found = db.session.get(LtiPlatform, platform_id)
    access.authorise(found is not None)
    return found


def index_page(form: NewPlatformForm, status: int = 200):
    return render_template("lti/admin.html", values=configuration.tool_values(), platforms=platforms.all_platforms(),
                           form=form, schools={school.id: school for school in db.session.scalars(
                               access.schools_managed(current_user))},
                           key=platforms.current_key(),
                           confirm=ConfirmForm()), status


@bp.get("")
def index():
    form = NewPlatformForm()
    form.school.choices = school_choices()
    return index_page(form)


@bp.post("")
def add():
    form = NewPlatformForm()
    form.school.choices = school_choices()
    if form.validate_on_submit():
        try:
            platform = platforms.add_platform(current_user, lines(form.deployments.data),
                                              db.session.get(School, form.school.data), **form.settings())
        except platforms.AlreadyRegistered:
            form.client_id.errors.append(_("This issuer and client ID are registered already."))
        else:
            db.session.commit()
            flash(_("%(name)s is registered: its launches are accepted now.", name=platform.name), "success")
            return redirect(url_for("lti_admin.platform", platform_id=platform.id), code=303)
    return index_page(form, 400)


def platform_page(found: LtiPlatform, form: PlatformForm, approve_form: ApproveForm, status: int = 200):
    return render_template("lti/platform.html", platform=found, form=form, approve_form=approve_form,
                           school=db.session.get(School, found.school_id) if found.school_id else None,
                           confirm=ConfirmForm()), status


def forms_for(found: LtiPlatform, **kwargs) -> tuple[PlatformForm, ApproveForm]:
    saved = {name: getattr(found, name) for name in platforms.SETTINGS}
    saved["deployments"] = "\n".join(item.deployment_id for item in found.deployments)
    form = PlatformForm(data=saved, **kwargs)
    approve_form = ApproveForm(school=found.school_id)
    approve_form.school.choices = school_choices()
    return form, approve_form


@bp.route("/<int:platform_id>", methods=["GET", "POST"])
def platform(platform_id: int):
    found = find_platform(platform_id)
    form, approve_form = forms_for(found)
    if form.validate_on_submit():
        try:
            platforms.update_platform(current_user, found, lines(form.deployments.data), **form.settings())
        except platforms.AlreadyRegistered:
            form.client_id.errors.append(_("This issuer and client ID are registered already."))
        else:
            db.session.commit()
            flash(_("The registration is saved."), "success")
            return redirect(url_for("lti_admin.platform", platform_id=found.id), code=303)
    return platform_page(found, form, approve_form, 400 if form.errors else 200)


@bp.post("/<int:platform_id>/approve")
def approve(platform_id: int):
    found = find_platform(platform_id)
    form, approve_form = forms_for(found, formdata=None)
    if approve_form.validate_on_submit():
        platforms.approve(current_user, found, db.session.get(School, approve_form.school.data))
        db.session.commit()
        flash(_("%(name)s is approved: its launches are accepted now.", name=found.name), "success")
        return redirect(url_for("lti_admin.platform", platform_id=found.id), code=303)
    return platform_page(found, form, approve_form, 400)


@bp.post("/<int:platform_id>/disable")
def disable(platform_id: int):
    found = find_platform(platform_id)
    if ConfirmForm().validate_on_submit():
        platforms.disable(current_user, found)
        db.session.commit()
        flash(_("%(name)s is disabled: its launches are refused from now on.", name=found.name), "success")
    return redirect(url_for("lti_admin.platform", platform_id=found.id), code=303)


@bp.post("/key")
def rotate_key():
    if ConfirmForm().validate_on_submit():
        platforms.rotate_key(current_user)
        db.session.commit()
        flash(_("A new signing key is in use. The old one stays published for an hour."), "success")
    return redirect(url_for("lti_admin.index", _anchor="key"), code=303)
