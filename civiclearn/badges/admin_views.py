"""The Open Badges admin page (admins of the whole programme): the issuer's profile that new credentials name, and
the signing key (a new one at any time; every older public key stays published, for what it signed)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civiclearn import access
from civiclearn.audit.services import record
from civiclearn.badges import keys, services
from civiclearn.badges.forms import ConfirmForm, IssuerForm, LogoForm
from civiclearn.badges.models import IssuerKey, IssuerProfile, OpenBadge
from civiclearn.database import utcnow
from civiclearn.extensions import db

bp = Blueprint("badges_admin", __name__, url_prefix="/admin/badges")


bp.before_request(access.require_programme_admin)
bp.context_processor(access.admin_context)



def page(form: IssuerForm, status: int = 200, logo_form: LogoForm | None = None):
    signing = keys.signing_key()
    has_logo = bool(services.issuer_profile().logo_png)
    db.session.commit()  # the profile and the first key may have been made just now
    return render_template("badges/admin.html", form=form, confirm=ConfirmForm(), signing=signing,
                           logo_form=logo_form or LogoForm(), has_logo=has_logo,
                           replaced=db.session.scalars(select(IssuerKey).where(IssuerKey.id != signing.id)
                                                       .order_by(IssuerKey.id.desc())).all(),
                           issued=db.session.scalar(select(db.func.count()).select_from(OpenBadge)),
                           jwks_url=services.address("badges.jwks"), issuer_url=services.address("badges.issuer"),
                           status_url=services.address("badges.status_list")), status


@bp.get("")
def index():
    return page(IssuerForm(obj=services.issuer_profile()))


@bp.post("")
def save_profile():
    form = IssuerForm()
    if not form.validate_on_submit():
        return page(form, 400)
    profile: IssuerProfile = services.issuer_profile()
    for name in ("name_th", "name_en", "description_th", "description_en", "url", "email"):
        setattr(profile, name, (getattr(form, name).data or "").strip())
    profile.updated_at = utcnow()
    record(current_user, "badges.profile", "issuer", profile.id)
    db.session.commit()
    flash(_("Saved. Credentials issued from now on name the programme this way; those issued before keep what they "
            "said when signed."), "success")
    return redirect(url_for("badges_admin.index"), code=303)


@bp.post("/logo")
def upload_logo():
    form = LogoForm()
    if form.validate_on_submit():
        try:
            logo = services.checked_logo(form.logo.data.read(services.LOGO_BYTES + 1))
        except services.BadLogo as problem:
            form.logo.errors = [str(problem)]
        else:
            profile = services.issuer_profile()
            profile.logo_png, profile.updated_at = logo, utcnow()
            record(current_user, "badges.logo", "issuer", profile.id, size=len(logo))
            db.session.commit()
            flash(_("The logo is saved. Credentials issued from now on show it."), "success")
            return redirect(url_for("badges_admin.index", _anchor="logo"), code=303)
    return page(IssuerForm(obj=services.issuer_profile()), 400, form)


@bp.post("/logo/remove")
def remove_logo():
    if ConfirmForm().validate_on_submit():
        profile = services.issuer_profile()
        profile.logo_png, profile.updated_at = None, utcnow()
        record(current_user, "badges.logo.remove", "issuer", profile.id)
        db.session.commit()
        flash(_("The logo is removed."), "success")
    return redirect(url_for("badges_admin.index", _anchor="logo"), code=303)


@bp.post("/key")
def rotate_key():
    if ConfirmForm().validate_on_submit():
        made = keys.rotate()
        record(current_user, "badges.key.rotate", "issuer_key", made.id, kid=made.kid)
        db.session.commit()
        flash(_("A new signing key is in use. The old ones stay published, so every credential already issued still "
                "checks."), "success")
    return redirect(url_for("badges_admin.index", _anchor="key"), code=303)
