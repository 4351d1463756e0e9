"""Open Badges 3.0 rules: a certificate's credential (built, signed once as a VC-JWT, kept), the issuer's profile,
the revocation status list (a W3C Bitstring Status List, read from the certificates themselves, so revoking or
replacing a certificate flips its bit at once), and checking a credential someone pastes.

Functions flush and never commit; the request that calls them commits once.
"""

import base64
import gzip
import io
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError

from civiclearn import codes
from civiclearn.badges import credential, keys
from civiclearn.badges.models import IssuerKey, IssuerProfile, OpenBadge
from civiclearn.certificates.models import LEADER_AWARD, Certificate
from civiclearn.certificates.services import PROGRAMME_EN, PROGRAMME_TH
from civiclearn.courses.competences import digcomp
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.leaders.services import (
    LEADER_TITLE_EN,
    LEADER_TITLE_TH,
    current_pathway,
)

LIST_SIZE = 2 ** 17  # bits: the standard's minimum (131,072), so a bit says nothing of how many were issued
INDEX_ATTEMPTS = 20
DAY_END = time(23, 59, 59)
JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp")
KEYS_PATH = "/issuer/keys"  # where each public key is served (views.key), named by its thumbprint


def address(endpoint: str, **values) -> str:
    """An absolute address of ours at CIVICLEARN_PUBLIC_URL (with its path, when mounted under one), in a request or
    not (a batch job, the command line): a credential outlives any one request's host."""
    adapter = current_app.extensions.get("civiclearn.public_addresses")
    if adapter is None:
        public = urlsplit(current_app.config["PUBLIC_URL"])
        adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
        current_app.extensions["civiclearn.public_addresses"] = adapter
    return adapter.build(endpoint, values, force_external=True)


# -- The issuer ---------------------------------------------------------------------------------------------

def issuer_profile() -> IssuerProfile:
    """The programme's profile, made with the programme's names on first use. Flushes when it makes it."""
    found = db.session.scalar(select(IssuerProfile).order_by(IssuerProfile.id).limit(1))
    if found is None:
        found = IssuerProfile(name_th=PROGRAMME_TH, name_en=PROGRAMME_EN)
        db.session.add(found)
        db.session.flush()
    return found


def issuer_party() -> credential.Party:
    found = issuer_profile()
    return credential.Party(address("badges.issuer"), found.name_th, found.name_en, found.url, found.email,
                            found.description_th, found.description_en,
                            address("badges.logo") if found.logo_png else "")


LOGO_BYTES = 256 * 1024
LOGO_SIDES = (64, 1024)  # pixels, each side: big enough to show, small enough for a wallet


class BadLogo(ValueError):
    """The uploaded file is no PNG picture a wallet can show (the message says why, in the reader's language)."""


def checked_logo(data: bytes) -> bytes:
    """The uploaded logo, if it is a PNG picture of a sensible size; raises BadLogo. Read by Pillow (only here: an
    admin's upload), which refuses a file that only claims to be a PNG."""
    from PIL import Image, UnidentifiedImageError
    if len(data) > LOGO_BYTES:
        raise BadLogo(_l("The logo is too big: at most 256 KB."))
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
            kind, (width, height) = picture.format, picture.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise BadLogo(_l("This file is not a PNG picture.")) from None
    if kind != "PNG":
        raise BadLogo(_l("This file is not a PNG picture."))
    if not all(LOGO_SIDES[0] <= side <= LOGO_SIDES[1] for side in (width, height)):
        raise BadLogo(_l("The logo should be between 64 and 1,024 pixels on each side."))
    return data


# -- A certificate's credential -----------------------------------------------------------------------------

def awarding_body(certificate: Certificate) -> credential.Party:
    """The centre or school that awarded the certificate, by its names on the certificate (the programme when it
    was neither)."""
    if certificate.centre_id:
        place = address("badges.awarding_body", kind="centre", place_id=certificate.centre_id)
    elif certificate.school_id:
        place = address("badges.awarding_body", kind="school", place_id=certificate.school_id)
    else:
        place = address("badges.issuer")
    return credential.Party(place, certificate.issuer_th, certificate.issuer_en)


def _end_of(day: date) -> datetime:
    """The last second of `day` in Thailand, as a UTC moment: a leader award valid until a day is valid all of it."""
    local = datetime.combine(day, DAY_END, tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return local.astimezone(UTC)


def course_award(award: str, titles: tuple[str, str]) -> credential.Award:
    """What a course's achievement says: the course's summary, its rule, its modules' DigComp competences, and the
    modules passed as evidence (from the course as served; `titles`, the certificate's, when it is no longer)."""
    course = catalogue().course(award.removeprefix("course:"))
    mark_th, mark_en = (f" (อย่างน้อย {course.pass_mark}%)", f" (at least {course.pass_mark}%)") if course else ("", "")
    modules = course.modules if course else []
    competences = dict.fromkeys(code for module in modules for code in module.competences)
    return credential.Award(
        address("badges.achievement", award=award), "CertificateOfCompletion", *titles,
        course.summary.th if course else titles[0], course.summary.en if course else titles[1],
        f"เรียนครบทุกบทเรียนของทุกหน่วย และผ่านแบบทดสอบของแต่ละหน่วย{mark_th}",
        f"Every lesson of every module done, and each module's quiz passed{mark_en}",
        sorted((credential.Alignment(found.code, found.name) for found in map(digcomp, competences) if found),
               key=lambda alignment: alignment.code),
        [credential.Evidence("หน่วยการเรียนที่ผ่าน", "Modules passed", " · ".join(module.title.th for module in modules),
                             " · ".join(module.title.en for module in modules))] if modules else [])


def leader_award(titles: tuple[str, str] = (LEADER_TITLE_TH, LEADER_TITLE_EN),
                 leader_id: int | None = None) -> credential.Award:
    """What the leader award says: the pathway's rule and, for a leader, the practicum's counts as evidence (never
    anyone else's name)."""
    pathway = current_pathway()
    rules = pathway.rules if pathway else None
    evidence = []
    if leader_id is not None:
        sessions = db.session.scalar(select(func.count()).select_from(PracticumSession).where(
            PracticumSession.leader_id == leader_id, PracticumSession.confirmed_at.is_not(None)))
        mentees = db.session.scalar(select(func.count()).select_from(Mentee).where(
            Mentee.leader_id == leader_id, Mentee.confirmed_at.is_not(None)))
        evidence.append(credential.Evidence(
            "การฝึกปฏิบัติ", "Practicum", f"จัดกิจกรรม {sessions} ครั้ง และเป็นพี่เลี้ยง {mentees} คน (ยืนยันโดยผู้สอน)",
            f"{sessions} sessions run and {mentees} people mentored (confirmed by a trainer)"))
    return credential.Award(
        address("badges.achievement", award=LEADER_AWARD), "Certification", *titles,
        rules.description.th if rules else titles[0], rules.description.en if rules else titles[1],
        (f"ผ่านหน่วยการเรียนขั้นต้นด้วยคะแนนอย่างน้อย {rules.min_score}% จัดกิจกรรมอย่างน้อย {rules.sessions} ครั้ง "
         f"และเป็นพี่เลี้ยงให้ผู้เรียนอย่างน้อย {rules.mentees} คน โดยได้รับการรับรองจากผู้สอนของศูนย์") if rules else titles[0],
        (f"Entry modules passed with at least {rules.min_score}%, at least {rules.sessions} sessions run and "
         f"{rules.mentees} people mentored, endorsed by a trainer of the centre") if rules else titles[1],
        [credential.Alignment("2.3", digcomp("DigComp 2.3").name)], evidence)


def achievement(award: str) -> dict:
    """An award's Achievement as its own document (for its address): a served course's, or the leader award."""
    if award == LEADER_AWARD:
        return credential.achievement(leader_award(), issuer_party())
    course = catalogue().course(award.removeprefix("course:"))
    return credential.achievement(course_award(award, (course.title.th, course.title.en)), issuer_party())


def facts_of(certificate: Certificate, badge: OpenBadge) -> credential.Facts:
    titles = (certificate.title_th, certificate.title_en)
    award = leader_award(titles, certificate.person_id) if certificate.award == LEADER_AWARD \
        else course_award(certificate.award, titles)
    return credential.Facts(
        id=address("badges.credential_json", code=certificate.code), award=award, holder_name=certificate.holder_name,
        learner_code=certificate.person.learner_code or "", subject_id=badge.subject_id, salt=badge.salt,
        issuer=issuer_party(), awarded_by=awarding_body(certificate), valid_from=certificate.issued_at,
        valid_until=_end_of(certificate.expires_on) if certificate.expires_on else None,
        status_list=address("badges.status_list"), status_index=badge.status_index)


def jwt_claims(built: dict) -> dict:
    """The JWT claims Open Badges 3.0 asks beside the credential: iss, jti, sub, nbf and, with validUntil, exp."""
    claims = {"iss": built["issuer"]["id"] if isinstance(built["issuer"], dict) else built["issuer"],
              "jti": built["id"], "nbf": int(_parse(built["validFrom"]).timestamp())}
    if "credentialSubject" in built and built["credentialSubject"].get("id"):
        claims["sub"] = built["credentialSubject"]["id"]
    if built.get("validUntil"):
        claims["exp"] = int(_parse(built["validUntil"]).timestamp())
    return claims


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def sign(built: dict, key: IssuerKey) -> str:
    """The credential as a Compact JWS (VC-JWT): the JOSE header names the key by an address that gives its JWK."""
    from jwcrypto.jws import JWS
    token = JWS(json.dumps(built | jwt_claims(built), ensure_ascii=False, separators=(",", ":")).encode())
    header = {"alg": keys.ALGORITHM, "kid": address("badges.key", kid=key.kid), "typ": "JWT"}
    token.add_signature(keys.private_jwk(key), protected=json.dumps(header))
    return token.serialize(compact=True)


def credential_of(certificate: Certificate) -> OpenBadge:
    """The certificate's credential: the one made before, or a new one signed by the key that signs now. Made once,
    whatever happens at the same moment (a unique certificate and index: one insert wins, the others find it)."""
    held = db.session.scalar(select(OpenBadge).where(OpenBadge.certificate_id == certificate.id))
    if held is not None:
        return held
    key = keys.signing_key()
    for _attempt in range(INDEX_ATTEMPTS):
        badge = OpenBadge(certificate_id=certificate.id, status_index=secrets.randbelow(LIST_SIZE),
                          subject_id=f"urn:uuid:{uuid.uuid4()}", salt=secrets.token_hex(16), key_id=key.id,
                          issued_at=utcnow())
        badge.jwt = sign(credential.build(facts_of(certificate, badge)), key)
        try:
            with db.session.begin_nested():
                db.session.add(badge)
        except IntegrityError:  # made meanwhile by another request, or (rarely) its index taken
            held = db.session.scalar(select(OpenBadge).where(OpenBadge.certificate_id == certificate.id))
            if held is not None:
                return held
            continue
        return badge
    raise RuntimeError("no free place in the status list")


def payload(token: str) -> dict:
    """The claims of a JWT, unchecked (for showing what was signed: checking is `check`)."""
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))


def readable(token: str) -> dict:
    """The credential a JWT carries, without the JWT's own claims: what the downloadable .json says."""
    return {name: value for name, value in payload(token).items() if name not in JWT_CLAIMS}


def readable_text(token: str) -> str:
    """The downloadable .json itself (the same bytes in the PDF and on its own)."""
    return json.dumps(readable(token), ensure_ascii=False, indent=1)


# -- The revocation status list -----------------------------------------------------------------------------

def revoked() -> ColumnElement:
    """SQL on Certificate: revoked or replaced, so its credential's bit is set."""
    return Certificate.revoked_at.is_not(None) | Certificate.replaced_at.is_not(None)


def revoked_indexes() -> list[int]:
    """The status list places of the credentials whose certificate is revoked or replaced: one query."""
    return list(db.session.scalars(select(OpenBadge.status_index).join(Certificate).where(revoked())))


def is_revoked(index: int) -> bool:
    """Whether the status list's place `index` is set, as `status_list` would serve it (one query, not the list)."""
    return db.session.scalar(select(OpenBadge.id).join(Certificate).where(OpenBadge.status_index == index, revoked())
                             .limit(1)) is not None


def encoded_list(indexes: list[int]) -> str:
    """The bitstring of LIST_SIZE bits (index 0 the first, most significant bit), GZIP-compressed, as multibase
    base64url without padding ("u..."), as the Bitstring Status List standard writes it."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def status_list() -> dict:
    """The status list credential as served now (a BitstringStatusListCredential), unsigned."""
    here = address("badges.status_list")
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": here, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": address("badges.issuer"), "validFrom": credential.timestamp(utcnow()),
        "validUntil": credential.timestamp(utcnow() + timedelta(days=1)),
        "credentialSubject": {"id": f"{here}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_indexes())},
    }


# -- Checking a credential ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What checking found: "valid", or the first thing wrong ("unreadable", "unknown_key", "bad_signature",
    "not_issued", "changed", "not_yet_valid", "expired", "revoked"), with the credential when it could be read."""

    outcome: str
    credential: dict | None = None

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"

    @property
    def valid_from(self) -> datetime | None:
        return _parse(self.credential["validFrom"]) if self.credential and "validFrom" in self.credential else None

    @property
    def valid_until(self) -> datetime | None:
        return _parse(self.credential["validUntil"]) if self.credential and "validUntil" in self.credential else None


def _key_named(kid: str):
    """The published key a JOSE header's `kid` names (an address ending /issuer/keys/<thumbprint>), or None. Matched
    by its path, not the whole address: credentials stay checkable when the site moves to another address."""
    base, _slash, thumbprint = kid.rpartition("/")
    return keys.public_jwk(thumbprint) if thumbprint and base.endswith(KEYS_PATH) else None


def check(token: str, now: datetime | None = None) -> Verdict:
    """Check a VC-JWT with CivicLearn's own data only (nothing is fetched): the signature against the published key
    its header names; that this very credential was issued here (a signature alone could be made with a key taken
    from a backup, and the status list is signed too), found by its id; its dates; and its bit in the status list
    (asked of the database, as the served list is made)."""
    from jwcrypto.common import JWException
    from jwcrypto.jws import JWS, InvalidJWSSignature
    token = token.strip()
    try:
        jws = JWS()
        jws.deserialize(token)
        header = jws.jose_header
        key = _key_named(str(header.get("kid", "")))
    except (JWException, ValueError, TypeError, RecursionError):
        return Verdict("unreadable")
    if key is None or header.get("alg") != keys.ALGORITHM:
        return Verdict("unknown_key")
    try:
        jws.verify(key, alg=keys.ALGORITHM)
    except (InvalidJWSSignature, JWException, ValueError):
        return Verdict("bad_signature")
    built = readable(token)
    issued = find_by_id(str(built.get("id", "")))
    if issued is None or issued.jwt != token:
        return Verdict("not_issued")
    now = now or utcnow()
    if _parse(built["validFrom"]) > now:
        return Verdict("not_yet_valid", built)
    if built.get("validUntil") and _parse(built["validUntil"]) < now:
        return Verdict("expired", built)
    if is_revoked(issued.status_index):
        return Verdict("revoked", built)
    return Verdict("valid", built)


def check_text(text: str, now: datetime | None = None) -> Verdict:
    """Check what someone pasted or dropped: a VC-JWT, or the .json of one of our credentials (checked as the JWT
    it came from; any change to it is "changed")."""
    text = text.strip()
    if not text.startswith("{"):
        return check(text, now)
    try:
        pasted = json.loads(text)
        found = find_by_id(str(pasted.get("id", "")))
    except (ValueError, AttributeError, RecursionError):
        return Verdict("unreadable")
    if found is None:
        return Verdict("not_issued", pasted)
    if readable(found.jwt) != pasted:
        return Verdict("changed", pasted)
    return check(found.jwt, now)


def find_by_id(credential_id: str) -> OpenBadge | None:
    """The credential with this id (its address), if it is one of ours."""
    code = codes.normalise(credential_id.rstrip("/").rpartition("/")[2])
    if not codes.is_well_formed(code, codes.CERTIFICATE_CODE_LENGTH):
        return None
    found = db.session.scalar(select(OpenBadge).join(Certificate).where(Certificate.code == code))
    return found if found is not None and readable(found.jwt).get("id") == credential_id else None
