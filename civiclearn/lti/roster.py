"""A class list from the LMS (LTI Names and Role Provisioning Services): the teacher asks, we read the LMS
course's members. New learners join the class (as people the LMS vouches for, as a launch would add them);
learners gone from the course, or inactive there, are marked as having left, never deleted: their progress
and certificates stay. Instructors become teachers of the class. Functions flush and never commit."""

from dataclasses import dataclass

from sqlalchemy import select, update

from civiclearn.accounts.models import User
from civiclearn.accounts.services import person_of_platform
from civiclearn.audit.services import record
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.lti.messages import ServiceFailed
from civiclearn.lti.models import LtiContext, LtiPlatform
from civiclearn.lti.services import NAME_LIMIT, make_teacher
from civiclearn.schools.models import ClassMember, SchoolClass

GONE = ("Inactive", "Deleted")


class NoRoster(Exception):
    """The LMS offers no class list for this course, or could not be read; the message says why."""


@dataclass(frozen=True)
class Synced:
    joined: int  # learners new to the class
    staying: int  # learners still in the course
    left: int  # learners marked as having left now
    teachers: int


def lms_course_of(school_class: SchoolClass) -> LtiContext | None:
    return db.session.scalar(select(LtiContext).where(LtiContext.class_id == school_class.id))


def sync(actor: User, school_class: SchoolClass) -> Synced:
    """Bring the class list in line with the LMS course's. Flushes. Raises NoRoster."""
    context = lms_course_of(school_class)
    if context is None or not context.memberships_url:
        raise NoRoster("this class's LMS course offers no class list")
    platform = db.session.get(LtiPlatform, context.platform_id)
    from civiclearn.lti import adapter  # the protocol library, loaded on the first class list asked for
    try:
        members = adapter.roster(platform, context.memberships_url)
    except ServiceFailed as error:
        raise NoRoster(str(error)) from error
    present, teachers = set(), 0
    for member in members:
        if not member.get("user_id") or member.get("status") in GONE:
            continue
        name = (member.get("name") or " ".join(filter(None, (member.get("given_name"), member.get("family_name"))))
                or f"LMS {member['user_id']}")[:NAME_LIMIT]
        person = person_of_platform(platform.issuer, str(member["user_id"]), name, None)
        if adapter.teaches(member.get("roles") or []):
            make_teacher(person, school_class)
            teachers += 1
        else:
            present.add(person.id)
    before = set(db.session.scalars(select(ClassMember.person_id).where(
        ClassMember.class_id == school_class.id, ClassMember.left_at.is_(None))))
    now = utcnow()
    for person_id in present:
        upsert(db.session, ClassMember, {"class_id": school_class.id, "person_id": person_id, "joined_at": now},
               ["class_id", "person_id"], update={"left_at": None})
    gone = before - present
    if gone:
        db.session.execute(update(ClassMember).where(ClassMember.class_id == school_class.id,
                                                     ClassMember.person_id.in_(gone)).values(left_at=now))
    context.roster_synced_at = now
    db.session.flush()
    record(actor, "lti.roster.sync", "class", school_class.id, joined=len(present - before), left=len(gone))
    return Synced(joined=len(present - before), staying=len(present & before), left=len(gone), teachers=teachers)
