"""What a checked LTI launch does here: the person, their LMS course as a class of the platform's school,
their role in it, and the module the activity opens. Functions flush and never commit.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.accounts.services import person_of_platform
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.lti.messages import AGS_CLAIM, DEEP_LINKING_CLAIM, LTI, NRPS_CLAIM, ChosenItem, Launch
from civiclearn.lti.models import LtiContext, LtiLaunchState, LtiResourceLink
from civiclearn.schools.models import Assignment, ClassMember, School, SchoolClass
from civiclearn.schools.services import create_class

NAME_LIMIT = 60  # User.display_name
CLASS_NAME_LIMIT = 100  # SchoolClass.name
BUDDHIST_ERA_OFFSET = 543


@dataclass(frozen=True)
class Arrival:
    """Where a launched person lands: the module the activity opens (None: the catalogue), in their class."""

    person: User
    school_class: SchoolClass | None
    module: Module | None
    teaches: bool
    language: str | None


def arrive(launch: Launch) -> Arrival:
    """The person the platform vouches for, in the class their LMS course became, as its teacher or a member;
    the activity's module assigned to the class. Flushes."""
    language = language_of(launch.locale)
    person = person_of_platform(launch.platform.issuer, launch.subject, display_name(launch), language)
    module = module_of(launch)
    school_class = class_of(launch, person) if launch.context_id else None
    if school_class is not None:
        if launch.teaches:
            make_teacher(person, school_class)
        else:
            upsert(db.session, ClassMember, {"class_id": school_class.id, "person_id": person.id,
                                             "joined_at": utcnow()}, ["class_id", "person_id"],
                   update={"left_at": None})  # back in the LMS course: back in the class
        if module is not None:
            upsert(db.session, Assignment, {"class_id": school_class.id, "module_id": module.id,
                                            "assigned_at": utcnow()}, ["class_id", "module_id"])
    if launch.resource_link_id:
        remember_link(launch, school_class, module)
    person.last_sign_in_at = utcnow()
    return Arrival(person, school_class, module, launch.teaches, language)


def display_name(launch: Launch) -> str:
    """The LMS's name for the person; a platform that shares no name gets a plain stand-in."""
    return (launch.name or f"LMS {launch.subject}")[:NAME_LIMIT]


def language_of(locale: str | None) -> str | None:
    """th-TH -> th; a language we don't serve -> None (the person's own choice, or Thai)."""
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    return language if language in current_app.config["LANGUAGES"] else None


def module_of(launch: Launch) -> Module | None:
    """The module an activity opens: its target is one of our module pages (as our deep links and cartridges
    make them), or its custom parameter `module` names it as course/module."""
    custom = (launch.claims.get(LTI + "custom") or {}).get("module", "")
    course_key, _slash, module_key = custom.partition("/")
    if not module_key:
        course_key, module_key = module_keys_in(launch.target_link_uri)
    course = catalogue().course(course_key) if course_key else None
    return course.module(module_key) if course else None


def module_keys_in(url: str) -> tuple[str | None, str | None]:
    """(course key, module key) when `url` is a module page of this server, else (None, None)."""
    parts = urlsplit(url)
    ours = urlsplit(current_app.config["PUBLIC_URL"])
    if parts.netloc != ours.netloc:
        return None, None
    try:
        endpoint, values = current_app.url_map.bind(ours.netloc).match(parts.path, method="GET")
    except HTTPException:
        return None, None
    if endpoint != "learning.module":
        return None, None
    return values["course_key"], values["module_key"]


def class_of(launch: Launch, person: User) -> SchoolClass:
    """The class an LMS course became in the platform's school, made at its first launch. Flushes."""
    platform = launch.platform
    found = db.session.scalar(select(LtiContext).where(LtiContext.platform_id == platform.id,
                                                       LtiContext.context_id == launch.context_id))
    if found is None:
        school = db.session.get(School, platform.school_id)
        name = (launch.context_title or launch.context_id)[:CLASS_NAME_LIMIT]
        try:
            with db.session.begin_nested():  # two first launches at once: the second takes the first's class
                school_class = create_class(person, school, name, "LMS", date.today().year + BUDDHIST_ERA_OFFSET)
                found = LtiContext(platform_id=platform.id, context_id=launch.context_id, class_id=school_class.id,
                                   title=launch.context_title[:255])
                db.session.add(found)
        except IntegrityError:
            return class_of(launch, person)
    update_services(found, launch.claims)
    return db.session.get(SchoolClass, found.class_id)


def update_services(context: LtiContext, claims: dict) -> None:
    """Where the LMS course's roster and gradebook are, as its latest launch says."""
    context.memberships_url = (claims.get(NRPS_CLAIM) or {}).get("context_memberships_url") or context.memberships_url
    grades = claims.get(AGS_CLAIM) or {}
    context.lineitems_url = grades.get("lineitems") or context.lineitems_url
    context.ags_scopes = grades.get("scope") or context.ags_scopes


def make_teacher(person: User, school_class: SchoolClass) -> None:
    """Teacher of this class only: an LMS instructor sees their own course, not the school's other classes."""
    upsert(db.session, RoleAssignment, {"person_id": person.id, "role": "teacher", "school_id": school_class.school_id,
                                        "class_id": school_class.id, "scope": f"class:{school_class.id}",
                                        "granted_at": utcnow()}, ["person_id", "role", "scope"])


def remember_link(launch: Launch, school_class: SchoolClass | None, module: Module | None) -> None:
    """The activity, its module and its gradebook column, for grades sent later."""
    context = db.session.scalar(select(LtiContext).where(LtiContext.platform_id == launch.platform.id,
                                                         LtiContext.context_id == launch.context_id)) \
        if school_class is not None else None
    lineitem = (launch.claims.get(AGS_CLAIM) or {}).get("lineitem")
    values = {"platform_id": launch.platform.id, "resource_link_id": launch.resource_link_id,
              "context_row_id": context.id if context else None, "module_id": module.id if module else None,
              "lineitem_url": lineitem, "created_at": utcnow()}
    changed = {"module_id": values["module_id"]} | ({"lineitem_url": lineitem} if lineitem else {})
    upsert(db.session, LtiResourceLink, values, ["platform_id", "resource_link_id"], update=changed)


def keep_deep_linking(launch: Launch) -> None:
    """What a deep-linking request asked for, kept with its login until the teacher has chosen. Flushes."""
    state = db.session.get(LtiLaunchState, launch.state_id)
    state.deep_linking = launch.claims[DEEP_LINKING_CLAIM]
    state.deployment_id = launch.deployment_id
    db.session.flush()


def module_url(module: Module) -> str:
    return current_app.config["PUBLIC_URL"] + url_for("learning.module", course_key=module.course.key,
                                                      module_key=module.key)


def chosen_items(modules: list[Module], language: str) -> list[ChosenItem]:
    """The modules a teacher chose, as LMS activities titled in the teacher's language; each with a gradebook
    column out of its quiz's questions."""
    return [ChosenItem(title=f"{module.course.title.in_language(language)}: {module.title.in_language(language)}",
                       url=module_url(module), custom={"module": f"{module.course.key}/{module.key}"},
                       score_maximum=len(module.quiz.questions) if module.quiz else None,
                       resource_id=f"{module.course.key}/{module.key}") for module in modules]
