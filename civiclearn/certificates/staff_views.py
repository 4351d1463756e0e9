"""A certificate as the staff who manage it see it: revoke it (with a reason) or reissue it (name corrected)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, codes, loaders
from civiclearn.certificates import services
from civiclearn.certificates.forms import RevokeForm
from civiclearn.certificates.models import Certificate
from civiclearn.extensions import db
from civiclearn.forms import ask_first, confirmed

bp = Blueprint("certificates_staff", __name__)
bp.before_request(access.require_staff)


def find_managed(code: str) -> Certificate:
    return loaders.find_certificate(code, access.may_manage_certificate)


@bp.get("/certificates/<code>")
def manage(code: str):
    """A certificate as staff see it: what it says, its state, and forms to revoke or reissue it."""
    found = find_managed(code)
    return certificate_page(found, RevokeForm())


def certificate_page(certificate: Certificate, form: RevokeForm, status: int = 200):
    replacement = db.session.get(Certificate, certificate.replaced_by_id) if certificate.replaced_by_id else None
    return render_template("certificates/manage.html", certificate=certificate, state=services.status(certificate),
                           form=form, replacement=replacement), status


@bp.post("/certificates/<code>/revoke")
def revoke(code: str):
    """Revoke a certificate, with the reason its check page gives, once confirmed."""
    found = find_managed(code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return certificate_page(found, form, 400)
    if not confirmed():
        return ask_first(
            _("Revoke certificate %(code)s of %(name)s?", code=codes.display(found.code), name=found.holder_name),
            _("Its check page says at once that it is revoked, with your reason: “%(reason)s”. This cannot be "
              "undone: this code never becomes valid again (you can only reissue the certificate, with a new code).",
              reason=form.reason.data),
            yes=_("Yes, revoke it"), back=url_for("certificates_staff.manage", code=found.code),
            carry={"reason": form.reason.data})
    try:
        services.revoke(current_user, found, form.reason.data)
    except services.NotCurrent:
        flash(_("This certificate was replaced: revoke its replacement instead."), "error")
        return redirect(url_for("certificates_staff.manage", code=found.code), code=303)
    db.session.commit()
    flash(_("The certificate is revoked. Its verification page now says so, with the reason."), "success")
    return redirect(url_for("certificates_staff.manage", code=found.code), code=303)


@bp.post("/certificates/<code>/reissue")
def reissue(code: str):
    """A new certificate with the learner's name as it is now; the old code then says "replaced"."""
    found = find_managed(code)  # (its form carries only the CSRF token, which CSRFProtect checks)
    try:
        new = services.reissue(current_user, found)
    except services.NotCurrent:
        flash(_("This certificate was already replaced."), "error")
        return redirect(url_for("certificates_staff.manage", code=found.code), code=303)
    db.session.commit()
    flash(_("A new certificate is issued, with the code %(code)s.", code=codes.display(new.code)), "success")
    return redirect(url_for("certificates_staff.manage", code=new.code), code=303)
