"""Certificates: issuing each one once, finding them, what a verification says, revoking and reissuing.

A course certificate is issued when a learner has finished every module of a course (each lesson, and
each quiz passed at its pass mark, which the course files set). The leader certificate is issued when
a trainer endorses a leader whose pathway is complete (civiclearn.leaders.services).
Functions flush and never commit; the request (or command) that calls them commits.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import to_user_timezone
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.accounts.services import CodeSpaceExhausted
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates.models import LEADER_AWARD, Certificate
from civiclearn.courses.schema import Course
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.services import course_status
from civiclearn.schools.models import ClassMember, School, SchoolClass

CODE_ATTEMPTS = 10
PROGRAMME_TH = "โครงการ CivicLearn"  # the issuer of a learner who is at no centre or school
PROGRAMME_EN = "The CivicLearn programme"


class NotCurrent(ValueError):
    """A certificate that was replaced cannot be revoked or reissued: its replacement can."""


@dataclass(frozen=True)
class Award:
    """What a certificate is for, with its title in both languages."""

    key: str
    title_th: str
    title_en: str
    course_id: int | None = None


def course_award(course: Course) -> Award:
    return Award(f"course:{course.key}", course.title.th, course.title.en, course.id)


def issuer_of(person: User) -> Centre | School | None:
    """Where the learner learns: the centre of their latest cohort, else the school of their latest class."""
    centre = db.session.scalar(select(Centre).join(Cohort).join(Enrolment).where(Enrolment.person_id == person.id)
                               .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(1))
    if centre is not None:
        return centre
    return db.session.scalar(select(School).join(SchoolClass).join(ClassMember)
                             .where(ClassMember.person_id == person.id)
                             .order_by(ClassMember.joined_at.desc(), ClassMember.id.desc()).limit(1))


def current_certificate(person_id: int, award_key: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.person_id == person_id, Certificate.award == award_key,
                                                       Certificate.replaced_at.is_(None)))


def issue(person: User, award: Award, actor: User | None = None, issuer: Centre | School | None = None,
          expires_on: date | None = None) -> Certificate:
    """The person's certificate for `award`: the one they hold, or a new one. Issued once, whatever
    happens at the same moment: the unique index lets one insert win, and the others find it."""
    held = current_certificate(person.id, award.key)
    if held is not None:
        return held
    place = issuer or issuer_of(person)
    for _ in range(CODE_ATTEMPTS):
        certificate = Certificate(code=codes.new_certificate_code(), person_id=person.id, award=award.key,
                                  course_id=award.course_id, holder_name=person.display_name,
                                  title_th=award.title_th, title_en=award.title_en,
                                  issued_by_id=actor.id if actor else None, expires_on=expires_on,
                                  **issuer_fields(place))
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:  # issued meanwhile by another request, or (rarely) a code taken
            held = current_certificate(person.id, award.key)
            if held is not None:
                return held
            continue
        record(actor, "certificate.issue", "person", person.id, certificate=certificate.code, award=award.key)
        return certificate
    raise CodeSpaceExhausted


def issuer_fields(place: Centre | School | None) -> dict:
    """What a certificate prints of where it comes from: the place's names and its signatory."""
    if place is None:
        return {"issuer_th": PROGRAMME_TH, "issuer_en": PROGRAMME_EN}
    return {"centre_id": place.id if isinstance(place, Centre) else None,
            "school_id": place.id if isinstance(place, School) else None,
            "issuer_th": place.name_th, "issuer_en": place.name_en, "signatory_name": place.signatory_name,
            "signatory_title_th": place.signatory_title_th, "signatory_title_en": place.signatory_title_en}


def issue_if_course_complete(person: User, course: Course) -> Certificate | None:
    """After progress in `course`: its certificate, if every module is now finished."""
    if not person.is_authenticated or person.anonymised_at is not None or not course.modules:
        return None
    if not all(status.complete for status in course_status(person, course).values()):
        return None
    return issue(person, course_award(course))


def status(certificate: Certificate, today: date | None = None) -> str:
    """"valid", "expired", "revoked" or "replaced"."""
    if certificate.replaced_at is not None:
        return "replaced"
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_on is not None and certificate.expires_on < (today or local_date(utcnow())):
        return "expired"
    return "valid"


def local_date(moment: datetime) -> date:
    """The date of `moment` as Thailand sees it (issue dates, today)."""
    return to_user_timezone(moment).date()


def find(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificates_of(person: User) -> list[Certificate]:
    """The person's current certificates (not those replaced), newest first."""
    return db.session.scalars(select(Certificate).where(Certificate.person_id == person.id,
                                                        Certificate.replaced_at.is_(None))
                              .order_by(Certificate.issued_at.desc(), Certificate.id.desc())).all()


def is_leader(person: User) -> bool:
    """The leader status: a leader certificate that is valid today."""
    held = current_certificate(person.id, LEADER_AWARD)
    return held is not None and status(held) == "valid"


def revoke(actor: User, certificate: Certificate, reason: str) -> None:
    if certificate.replaced_at is not None:
        raise NotCurrent(certificate.code)
    if certificate.revoked_at is None:
        certificate.revoked_at, certificate.revoked_reason = utcnow(), reason
        db.session.flush()
        record(actor, "certificate.revoke", "person", certificate.person_id, certificate=certificate.code,
               reason=reason)


KEEP = object()  # reissue: the same expiry date as the certificate replaced


def reissue(actor: User, certificate: Certificate, issuer: Centre | School | None = None,
            expires_on: date | None = KEEP) -> Certificate:
    """A new certificate in place of this one, with the person's name as it is now (to correct a name,
    say), from the same place unless `issuer` is given; the old code then says "replaced" and nothing
    more. Of two reissues at the same moment, one replaces it and the other gets that replacement."""
    claimed = db.session.execute(
        update(Certificate).where(Certificate.id == certificate.id, Certificate.replaced_at.is_(None))
        .values(replaced_at=utcnow()).execution_options(synchronize_session="fetch")).rowcount
    if claimed != 1:
        replacement = current_certificate(certificate.person_id, certificate.award)
        if replacement is None:
            raise NotCurrent(certificate.code)
        return replacement
    person = db.session.get(User, certificate.person_id)
    award = Award(certificate.award, certificate.title_th, certificate.title_en, certificate.course_id)
    place = issuer or (db.session.get(Centre, certificate.centre_id) if certificate.centre_id
                       else db.session.get(School, certificate.school_id) if certificate.school_id else None)
    new = issue(person, award, actor=actor, issuer=place,
                expires_on=certificate.expires_on if expires_on is KEEP else expires_on)
    certificate.replaced_by_id = new.id
    db.session.flush()
    record(actor, "certificate.reissue", "person", person.id, certificate=certificate.code, replacement=new.code)
    return new


def verification_url(code: str) -> str:
    """The address a certificate's QR code opens: its verification page."""
    return f"{current_app.config['PUBLIC_URL']}/v/{code}"
