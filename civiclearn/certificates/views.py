"""Certificates: the public verification page, a learner's own certificates, downloads, and staff
revoking or reissuing one."""

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from civiclearn import access, codes
from civiclearn.certificates import services
from civiclearn.certificates.document import certificate_pdf
from civiclearn.certificates.forms import RevokeForm
from civiclearn.certificates.models import Certificate
from civiclearn.downloads import personal_file
from civiclearn.extensions import db, limiter

bp = Blueprint("certificates", __name__)


def verify_limit() -> str:
    return current_app.config["VERIFY_LIMIT"]


@bp.get("/v")
@limiter.limit(verify_limit)
def check():
    """A form to type a certificate's code (from the paper, when the QR code cannot be scanned)."""
    typed = request.args.get("code")
    if typed is None:
        return render_template("certificates/check.html", typed="", problem=None)
    code = codes.normalise(typed)
    problem = codes.certificate_code_problem(code) if code else "empty"
    if problem:
        return render_template("certificates/check.html", typed=typed, problem=problem), 400
    return redirect(url_for("certificates.verify", code=code), code=303)


@bp.get("/v/<code>")
@limiter.limit(verify_limit)
def verify(code: str):
    """What anyone may know of a certificate: valid, expired, revoked, replaced or unknown; for the first
    three the holder's name, the award, the date and the issuer, nothing else about the person."""
    normalised = codes.normalise(code)
    problem = codes.certificate_code_problem(normalised)
    if problem:
        return render_template("certificates/check.html", typed=code, problem=problem), 404
    found = services.find(normalised)
    state = services.status(found) if found else "unknown"
    response = make_response(render_template("certificates/verify.html", certificate=found, state=state,
                                             code=codes.display(normalised)), 404 if found is None else 200)
    response.headers["X-Robots-Tag"] = "noindex"  # names are for the person checking, not for search engines
    return response


@bp.get("/me/certificates")
@login_required
def mine():
    """The signed-in learner's certificates, to download (also on a kiosk)."""
    return render_template("certificates/mine.html", certificates=services.certificates_of(current_user),
                           status=services.status)


def find_certificate(code: str, may=access.may_download_certificate) -> Certificate:
    """The certificate of a typed or linked code, if `may` lets the signed-in person at it (else 404)."""
    found = services.find(codes.normalise(code))
    access.authorise(found is not None and may(current_user, found))
    return found


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    """The certificate as a PDF, for its holder and the staff who manage it.

    A revoked or replaced certificate is not given to its holder: a copy of it would still look valid to
    whoever they show it to, and a mark across it can be cut off or hidden. They get a page that says why,
    with its check page, or with the certificate that replaced it. Staff who manage it get it with a mark
    across it (`document.py`), for their records."""
    found = find_certificate(code)
    state = services.status(found)
    if state in ("revoked", "replaced") and found.person_id == current_user.id:
        replacement = services.current_certificate(found.person_id, found.award) if state == "replaced" else None
        return render_template("certificates/unavailable.html", certificate=found, state=state,
                               replacement=replacement), 410
    return personal_file(certificate_pdf(found), f"certificate-{codes.display(found.code)}.pdf", "application/pdf",
                         inline=True, action="certificate.download", subject=("person", found.person_id),
                         detail={"certificate": found.code, "state": state})


@bp.get("/certificates/<code>")
@login_required
def manage(code: str):
    """A certificate as staff see it: what it says, its state, and forms to revoke or reissue it."""
    found = find_certificate(code, access.may_manage_certificate)
    return certificate_page(found, RevokeForm())


def certificate_page(certificate: Certificate, form: RevokeForm, status: int = 200):
    replacement = db.session.get(Certificate, certificate.replaced_by_id) if certificate.replaced_by_id else None
    return render_template("certificates/manage.html", certificate=certificate, state=services.status(certificate),
                           form=form, replacement=replacement), status


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke(code: str):
    found = find_certificate(code, access.may_manage_certificate)
    form = RevokeForm()
    if not form.validate_on_submit():
        return certificate_page(found, form, 400)
    try:
        services.revoke(current_user, found, form.reason.data)
    except services.NotCurrent:
        flash(_("This certificate was replaced: revoke its replacement instead."), "error")
        return redirect(url_for("certificates.manage", code=found.code), code=303)
    db.session.commit()
    flash(_("The certificate is revoked. Its verification page now says so, with the reason."), "success")
    return redirect(url_for("certificates.manage", code=found.code), code=303)


@bp.post("/certificates/<code>/reissue")
@login_required
def reissue(code: str):
    """A new certificate with the learner's name as it is now; the old code then says "replaced"."""
    found = find_certificate(code, access.may_manage_certificate)  # (its form carries only the CSRF token, which CSRFProtect checks)
    try:
        new = services.reissue(current_user, found)
    except services.NotCurrent:
        flash(_("This certificate was already replaced."), "error")
        return redirect(url_for("certificates.manage", code=found.code), code=303)
    db.session.commit()
    flash(_("A new certificate is issued, with the code %(code)s.", code=codes.display(new.code)), "success")
    return redirect(url_for("certificates.manage", code=new.code), code=303)
