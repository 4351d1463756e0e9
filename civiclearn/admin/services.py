"""Programme administration within an admin's scope: centres, schools, staff accounts and their roles.

An admin's scope is everything, a province, or a district of a province; civiclearn.access says which
places that holds. Functions flush and never commit; the request (or CLI command) that calls them commits.
"""

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from civiclearn import access
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.audit.services import record
from civiclearn.centres import services as centres
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import Page, paginate
from civiclearn.extensions import db
from civiclearn.schools.models import School, SchoolClass


class OutOfScope(ValueError):
    """A place or admin scope outside the actor's own; `field` names the form field that is wrong."""

    def __init__(self, field: str = "province"):
        super().__init__(field)
        self.field = field


class AccountTaken(ValueError):
    """Another account already has this username or email; `field` says which."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


class CohortNameTaken(ValueError):
    """The centre already has a cohort with this name."""


def home_area(user: User) -> dict:
    """The province and district to suggest for a new place: the admin's own, when they have just one."""
    scopes = access.roles(user).admin_scopes
    if len(scopes) != 1 or scopes[0][0] is None:
        return {}
    return {"province": scopes[0][0], "district": scopes[0][1] or ""}


def _check_place(actor: User, province: str | None, district: str | None) -> None:
    """Raise OutOfScope, naming the field to correct, unless the place lies inside the actor's scope."""
    if not access.in_admin_scope(actor, province, district):
        same_province = any(scope_province == province for scope_province, _ in access.roles(actor).admin_scopes)
        raise OutOfScope("district" if same_province else "province")


def _matching(query, search: str, *columns):
    """`query` narrowed to rows where any of `columns` contains `search` (any case; % and _ match themselves)."""
    search = " ".join(search.split())
    if not search:
        return query
    return query.where(or_(*(column.icontains(search, autoescape=True) for column in columns)))


def centres_page(user: User, search: str = "", number: int = 1) -> Page:
    """The centres `user` manages, each with its number of cohorts, by province, district and name."""
    cohorts = select(func.count(Cohort.id)).where(Cohort.centre_id == Centre.id).scalar_subquery()
    query = _matching(access.centres_managed(user).add_columns(cohorts.label("cohorts")), search,
                      Centre.name_th, Centre.name_en, Centre.province, Centre.district)
    return paginate(query.order_by(Centre.province, Centre.district, Centre.name_th, Centre.id), number)


def create_centre(actor: User, **fields) -> Centre:
    """A new centre, which must lie inside the actor's scope. Raises OutOfScope."""
    _check_place(actor, fields["province"], fields["district"])
    centre = Centre(**fields)
    db.session.add(centre)
    db.session.flush()
    record(actor, "centre.create", "centre", centre.id)
    return centre


def _update(actor: User, place, subject_type: str, fields: dict) -> None:
    """Change a centre's or a school's details; the place must stay inside the actor's scope."""
    _check_place(actor, fields["province"], fields["district"])
    changed = sorted(name for name, value in fields.items() if getattr(place, name) != value)
    for name in changed:
        setattr(place, name, fields[name])
    db.session.flush()
    if changed:
        record(actor, f"{subject_type}.update", subject_type, place.id, changed=changed)


def update_centre(actor: User, centre: Centre, **fields) -> None:
    """Raises OutOfScope if the centre would move outside the actor's scope."""
    _update(actor, centre, "centre", fields)


def add_cohort(actor: User, centre: Centre, name: str, starts_on=None, ends_on=None) -> Cohort:
    """A new cohort of `centre`. Raises CohortNameTaken."""
    if db.session.scalar(select(exists().where(Cohort.centre_id == centre.id, Cohort.name == name))):
        raise CohortNameTaken(name)
    return centres.create_cohort(actor, centre, name, starts_on, ends_on)


def schools_page(user: User, search: str = "", number: int = 1) -> Page:
    """The schools `user` manages, each with its number of classes."""
    classes = select(func.count(SchoolClass.id)).where(SchoolClass.school_id == School.id).scalar_subquery()
    query = _matching(access.schools_managed(user).add_columns(classes.label("classes")), search,
                      School.name_th, School.name_en, School.province, School.district)
    return paginate(query.order_by(School.province, School.district, School.name_th, School.id), number)


def create_school(actor: User, **fields) -> School:
    """A new school, which must lie inside the actor's scope. Raises OutOfScope."""
    _check_place(actor, fields["province"], fields["district"])
    school = School(**fields)
    db.session.add(school)
    db.session.flush()
    record(actor, "school.create", "school", school.id)
    return school


def update_school(actor: User, school: School, **fields) -> None:
    """Raises OutOfScope if the school would move outside the actor's scope."""
    _update(actor, school, "school", fields)


def _roles_within(user: User):
    """SQL: a role assignment inside `user`'s admin scope (at a centre or school they manage, or an
    admin scope inside theirs)."""
    return or_(RoleAssignment.centre_id.in_(access.centres_managed(user).with_only_columns(Centre.id)),
               RoleAssignment.school_id.in_(access.schools_managed(user).with_only_columns(School.id)),
               (RoleAssignment.role == "admin")
               & access.admin_areas(user, RoleAssignment.province, RoleAssignment.district))


def staff_managed(user: User):
    """A query of the staff accounts `user` administers: those holding a role inside their scope, and
    new accounts that hold no role yet (so that a scoped admin can give them their first)."""
    holds = select(RoleAssignment.id).where(RoleAssignment.person_id == User.id)
    return select(User).where(User.password_hash.is_not(None), User.anonymised_at.is_(None),
                              exists(holds.where(_roles_within(user))) | ~exists(holds))


def staff_page(user: User, search: str = "", number: int = 1) -> Page:
    query = _matching(staff_managed(user), search, User.display_name, User.username, User.email)
    return paginate(query.order_by(User.display_name, User.id), number)


def create_staff(actor: User | None, display_name: str, username: str, email: str | None, password: str) -> User:
    """A staff account without a role yet. Raises AccountTaken (the username is checked first)."""
    email = email.lower() if email else None
    for field, column, value in (("username", User.username, username.lower()), ("email", User.email, email)):
        if value and db.session.scalar(select(exists().where(func.lower(column) == value))):
            raise AccountTaken(field)
    try:
        with db.session.begin_nested():  # an account created meanwhile by someone else rolls back this one only
            return accounts.create_staff(actor, display_name, username, email, password)
    except IntegrityError:
        raise AccountTaken("username") from None


def may_grant(actor: User, role: str, centre_id: int | None = None, school_id: int | None = None,
              province: str | None = None, district: str | None = None) -> bool:
    """Whether `actor` may give (or take away) this role: a trainer at a centre they manage, a teacher
    at a school they manage, an admin of a scope inside their own."""
    if role == "trainer":
        centre = db.session.get(Centre, centre_id) if centre_id else None
        return centre is not None and access.may_manage_centre(actor, centre)
    if role == "teacher":
        school = db.session.get(School, school_id) if school_id else None
        return school is not None and access.may_manage_school(actor, school)
    return role == "admin" and access.in_admin_scope(actor, province, district)


def may_revoke(actor: User, assignment: RoleAssignment) -> bool:
    """Within scope, and never one's own admin role (the last admin of everything cannot lock everyone out)."""
    if assignment.role == "admin" and assignment.person_id == actor.id:
        return False
    return may_grant(actor, assignment.role, assignment.centre_id, assignment.school_id,
                     assignment.province, assignment.district)


def roles_of(actor: User, person: User) -> tuple[list[tuple[RoleAssignment, Centre | School | None]], int]:
    """The person's roles that `actor` may see, each with its centre or school, and how many others they
    hold outside the actor's scope."""
    held = db.session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == person.id)
                              .order_by(RoleAssignment.role, RoleAssignment.scope)).all()
    shown = [(assignment, db.session.get(Centre, assignment.centre_id) if assignment.centre_id
              else db.session.get(School, assignment.school_id) if assignment.school_id else None)
             for assignment in held if may_grant(actor, assignment.role, assignment.centre_id, assignment.school_id,
                                                 assignment.province, assignment.district)]
    return shown, len(held) - len(shown)


def grant(actor: User, person: User, role: str, **scope) -> RoleAssignment:
    """Give `person` a role inside the actor's scope (the grant is audited). Raises OutOfScope."""
    if role == "admin":
        _check_place(actor, scope.get("province"), scope.get("district"))
    elif not may_grant(actor, role, **scope):
        raise OutOfScope("centre" if role == "trainer" else "school")
    return accounts.grant_role(actor, person, role, **scope)


def revoke(actor: User, assignment: RoleAssignment) -> None:
    """Take a role away (audited). Raises OutOfScope."""
    if not may_revoke(actor, assignment):
        raise OutOfScope
    accounts.revoke_role(actor, assignment)
