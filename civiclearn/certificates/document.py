"""A certificate as a PDF: A4 landscape, Thai first with English beneath, Sarabun embedded and subset,
and a vector QR code of its verification page. Rendered from the certificate's own record each time,
so a download is always what the certificate says now: a revoked or replaced one (which only the staff
who manage it may still download) carries a large mark across it, "ถูกเพิกถอน / Revoked" or
"ถูกแทนที่แล้ว / Replaced", with the date and the reason or the new code."""

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from civiclearn import codes, signals
from civiclearn.certificates.models import LEADER_AWARD, Certificate
from civiclearn.certificates.services import local_date, status, verification_url
from civiclearn.extensions import db
from civiclearn.i18n import thai_date
from civiclearn.pdf import render_pdf

WORDING = {
    "heading": _l("Certificate"),
    "certifies": _l("This certifies that"),
    "completed": _l("has completed the course"),
    "awarded": _l("has been awarded the title"),
    "code": _l("Verification code"),
}
VOID_WORDS = {"revoked": _l("Revoked"), "replaced": _l("Replaced")}
# A name of up to this many characters prints at full size on one line, even in Sarabun Bold's widest letters
# (ณ, W: 0.88 em of 26 pt, 28 of them in the 239 mm between the margins); a longer one, up to the 60 a name
# may have, prints smaller in a box two lines high (pdf.css, .certificate-holder-long), so that whatever the
# name, the lines beneath it never come down onto the signature or the verification code.
FULL_SIZE_NAME = 28


def long_date(value, language: str) -> str:
    """25 พฤศจิกายน 2569 in Thai (Buddhist Era), 25 November 2026 in English."""
    return thai_date(value, "long") if language == "th" else format_date(value, "d MMMM y", locale="en_GB")


def wording(certificate: Certificate, language: str, check_url: str) -> dict[str, str]:
    """The certificate's words in one language (both are printed, whatever the page's language)."""
    issued = long_date(local_date(certificate.issued_at), language)
    expires = long_date(certificate.expires_on, language) if certificate.expires_on else ""
    with force_locale(language):
        words = {key: str(text) for key, text in WORDING.items()}
        words["issued_on"] = str(_l("Issued on %(date)s", date=issued))
        words["valid_until"] = str(_l("Valid until %(date)s", date=expires)) if expires else ""
        words["check"] = str(_l("To check this certificate, scan the QR code or go to %(url)s and type the code.",
                                url=check_url))
        words |= void_wording(certificate, language)
    words["what"] = words["awarded"] if certificate.award == LEADER_AWARD else words["completed"]
    return words


def void_wording(certificate: Certificate, language: str) -> dict[str, str]:
    """The mark across a certificate that is no longer valid (revoked or replaced): its word, and when and why;
    nothing for a valid or expired one (an expired one says "Valid until" already)."""
    state = status(certificate)
    if state == "revoked":
        why = _l("Revoked on %(date)s. Reason: %(reason)s", date=long_date(local_date(certificate.revoked_at), language),
                 reason=certificate.revoked_reason)
    elif state == "replaced":
        replacement = db.session.get(Certificate, certificate.replaced_by_id)  # set with replaced_at (services.reissue)
        why = _l("Replaced on %(date)s by the certificate %(code)s.",
                 date=long_date(local_date(certificate.replaced_at), language), code=codes.display(replacement.code))
    else:
        return {}
    return {"void": str(VOID_WORDS[state]), "void_why": str(why)}


def qr_code(url: str) -> Markup:
    """A vector QR code (sharp in print) of the verification page's address."""
    import segno  # (imported with the first certificate a process prints)
    return Markup(segno.make_qr(url, error="m").svg_inline(omitsize=True, border=2))


def attachments_of(certificate: Certificate) -> list[dict]:
    """The files a certificate's PDF carries inside it, from the features that add one (signals.certificate_printing:
    the Open Badges credential). Needs the database: a batch's renderers get them with the certificate's fields."""
    return [attached for _receiver, files in signals.certificate_printing.send(certificate) for attached in files or ()]


def certificate_pdf(certificate: Certificate, attachments: list[dict] | None = None) -> bytes:
    """The certificate as a PDF, with `attachments` (by default those of `attachments_of`) embedded in it."""
    url = verification_url(certificate.code)
    check_url = url.rsplit("/", 1)[0]  # the page where a code is typed
    return render_pdf("pdf/certificate.html", attachments=attachments_of(certificate) if attachments is None
                      else attachments, certificate=certificate, qr=qr_code(url), code=codes.display(certificate.code),
                      long_name=len(certificate.holder_name) > FULL_SIZE_NAME,
                      th=wording(certificate, "th", check_url), en=wording(certificate, "en", check_url))
