"""Certificates: the public verification page, a learner's own certificates and downloads. Staff revoke,
reissue and print them in bulk on their own pages (staff_views.py, batch_views.py)."""

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from civiclearn import codes, loaders
from civiclearn.certificates import services
from civiclearn.certificates.document import certificate_pdf
from civiclearn.certificates.models import Certificate
from civiclearn.courses.schema import Course
from civiclearn.downloads import personal_file
from civiclearn.extensions import limiter

bp = Blueprint("certificates", __name__)


@bp.app_template_global("course_certificate")
def course_certificate(course: Course) -> Certificate | None:
    """The signed-in learner's certificate of a course, for the link on the module's completion page."""
    if not current_user.is_authenticated:
        return None
    return services.current_certificate(current_user.id, services.course_award(course).key)


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


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    """The certificate as a PDF, for its holder and the staff who manage it.

    A revoked or replaced certificate is not given to its holder: a copy of it would still look valid to
    whoever they show it to, and a mark across it can be cut off or hidden. They get a page that says why,
    with its check page, or with the certificate that replaced it. Staff who manage it get it with a mark
    across it (`document.py`), for their records."""
    found = loaders.find_certificate(code)
    state = services.status(found)
    if state in ("revoked", "replaced") and found.person_id == current_user.id:
        replacement = services.current_certificate(found.person_id, found.award) if state == "replaced" else None
        return render_template("certificates/unavailable.html", certificate=found, state=state,
                               replacement=replacement), 410
    return personal_file(certificate_pdf(found), f"certificate-{codes.display(found.code)}.pdf", "application/pdf",
                         inline=True, action="certificate.download", subject=("person", found.person_id),
                         detail={"certificate": found.code, "state": state})
