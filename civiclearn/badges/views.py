"""Open Badges 3.0 pages: the issuer's public documents (profile, keys, status list, achievements), a holder's
credential downloads, and the public page that checks a credential."""

import json

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup

from civiclearn import codes, loaders
from civiclearn.badges import credential, keys, linked_data, services
from civiclearn.badges.forms import MAX_CHECKED, CheckForm
from civiclearn.centres.models import Centre
from civiclearn.certificates import services as certificates
from civiclearn.certificates.document import qr_code
from civiclearn.certificates.models import LEADER_AWARD
from civiclearn.certificates.services import status
from civiclearn.courses.store import catalogue
from civiclearn.downloads import personal_file
from civiclearn.extensions import db, limiter
from civiclearn.schools.models import School

bp = Blueprint("badges", __name__)

PICKUP_MINUTES = 15
JSON_LD = "application/ld+json"
VC_JWT = "application/vc+jwt"
OUTCOMES = {
    "valid": _l("Valid: signed by the programme, within its dates, and not revoked."),
    "unreadable": _l("This is not a credential we can read. Paste the whole .jwt or .json file."),
    "unknown_key": _l("Not signed with a key of this programme: it was not issued here."),
    "bad_signature": _l("The signature does not match: the credential was changed after it was signed."),
    "not_issued": _l("This credential was never issued here."),
    "changed": _l("The credential was changed after it was issued."),
    "not_yet_valid": _l("Not valid yet: its start date has not come."),
    "expired": _l("Expired: its end date has passed."),
    "revoked": _l("Revoked: the issuer withdrew it. It is no longer valid."),
}


def document(body: dict, mimetype: str = JSON_LD) -> Response:
    """A public JSON document, cacheable for a short while (keys and profiles change rarely)."""
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers read these from other sites
    return response


@bp.get("/issuer")
def issuer():
    """The programme's issuer profile (an Open Badges Profile)."""
    found = credential.profile(services.issuer_party())
    db.session.commit()  # the profile may have been made just now
    return document({"@context": credential.CONTEXTS, **found})


@bp.get("/issuer/logo.png")
def logo():
    """The programme's logo, for wallets that show the issuer (the issuer profile's `image`)."""
    found = services.issuer_profile().logo_png
    if not found:
        abort(404)
    response = Response(found, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/contexts/<name>")
def context(name: str):
    """A JSON-LD context the credentials name, served from the package (for processors kept offline)."""
    if name not in linked_data.SERVED:
        abort(404)
    return document(json.loads(linked_data.context_files()[linked_data.SERVED[name]].read_text(encoding="utf-8")))


@bp.get("/issuer/jwks.json")
def jwks():
    """Every public key the programme signed with (a JWKS): a replaced key stays, for what it signed."""
    keys.signing_key()
    db.session.commit()
    return document({"keys": keys.public_keys()}, "application/jwk-set+json")


@bp.get(f"{services.KEYS_PATH}/<kid>")
def key(kid: str):
    """One public key, as a JWK: what a credential's `kid` names."""
    found = keys.public_jwk(kid)
    if found is None:
        abort(404)
    return document(json.loads(found.export_public()) | {"kid": kid, "alg": keys.ALGORITHM, "use": "sig"},
                    "application/jwk+json")


@bp.get("/issuer/<any(centre, school):kind>/<int:place_id>")
def awarding_body(kind: str, place_id: int):
    """A centre or school that awards certificates, as a Profile: its names, nothing about anyone."""
    place = db.session.get(Centre if kind == "centre" else School, place_id)
    if place is None:
        abort(404)
    return document({"@context": credential.CONTEXTS, **credential.profile(credential.Party(
        services.address("badges.awarding_body", kind=kind, place_id=place_id), place.name_th, place.name_en))})


@bp.get("/achievements/<award>")
def achievement(award: str):
    """What a certificate is for (an Open Badges Achievement): a course served now, or the leader award."""
    if award != LEADER_AWARD and catalogue().course(award.removeprefix("course:")) is None:
        abort(404)
    return document({"@context": credential.CONTEXTS, **services.achievement(award)})


@bp.get("/credentials/status/1")
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"])
def status_list():
    """The revocation status list, signed (a VC-JWT of a BitstringStatusListCredential), as it is now."""
    signed = services.sign(services.status_list(), keys.signing_key())
    db.session.commit()
    response = Response(signed, mimetype=VC_JWT)
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _holders_credential(code: str):
    """The credential of a certificate the signed-in person may download (its holder, or staff who manage it);
    a revoked or replaced one is not given to its holder, as its PDF is not (410)."""
    found = loaders.find_certificate(code)
    state = status(found)
    if state in ("revoked", "replaced") and found.person_id == current_user.id:
        abort(410)
    badge = services.credential_of(found)
    return found, badge


@bp.get("/credentials/<code>")
@login_required
def credential_json(code: str):
    """The credential as JSON (what it says, for reading and for wallets that take JSON); its JWT is the proof."""
    found, badge = _holders_credential(code)
    return personal_file(services.readable_text(badge.jwt),
                         f"credential-{codes.display(found.code)}.json", JSON_LD, action="credential.download",
                         subject=("person", found.person_id), detail={"certificate": found.code, "format": "json"})


@bp.get("/credentials/<code>.jwt")
@login_required
def credential_jwt(code: str):
    """The credential signed, as a VC-JWT: the file a wallet or another learning system checks."""
    found, badge = _holders_credential(code)
    return personal_file(badge.jwt, f"credential-{codes.display(found.code)}.jwt", VC_JWT,
                         action="credential.download", subject=("person", found.person_id),
                         detail={"certificate": found.code, "format": "jwt"})


def _pickups() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="civiclearn credential pick-up")


@bp.app_template_global("credential_pickup")
def credential_pickup(certificate) -> tuple[str, Markup]:
    """For "my certificates": an address a phone wallet can fetch the certificate's credential from for
    PICKUP_MINUTES without signing in, and its QR code. The address is the only key: it is shown only to the
    holder, and stops working soon (a shared kiosk's next learner finds nothing)."""
    url = services.address("badges.pickup", token=_pickups().dumps(certificate.code))
    return url, qr_code(url)


@bp.get("/credentials/pick-up/<token>")
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"])
def pickup(token: str):
    """The credential (VC-JWT) for the wallet that scanned the holder's QR code, while the address is fresh."""
    try:
        code = _pickups().loads(token, max_age=PICKUP_MINUTES * 60)
    except BadData:
        abort(404)
    found = certificates.find(code)
    if found is None or status(found) in ("revoked", "replaced"):
        abort(404)
    signed = services.credential_of(found).jwt
    db.session.commit()
    response = Response(signed, mimetype=VC_JWT)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = f'attachment; filename="credential-{codes.display(code)}.jwt"'
    return response


@bp.route("/credentials/check", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"])
def check():
    """Anyone may paste a credential (or drop its file) and read what checking it found, in their language."""
    form = CheckForm()
    verdict = None
    if form.validate_on_submit():
        text = form.text()
        verdict = services.check_text(text) if text.strip() and len(text) <= MAX_CHECKED \
            else services.Verdict("unreadable")
    status = 400 if form.errors else 422 if verdict is not None and not verdict.valid else 200
    return render_template("badges/check.html", form=form, verdict=verdict, outcomes=OUTCOMES), status
