"""Programme administration within an admin's scope: centres, schools, staff accounts and their roles.

An admin's scope is everything, a province, or a district of a province; civiclearn.access says which
places that holds. Functions flush and never commit; the request (or CLI command) that calls them commits.
"""

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from civiclearn import access
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.audit.services import record
from civiclearn.centres import services as centres
from civiclearn.centres.models import Centre, Cohort
from civiclearn.extensions import db
from civiclearn.paging import Page, matching, paginate
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


def _places_page(managed, place: type[Centre] | type[School], children, search: str, number: int) -> Page:
    """Centres or schools (`managed`, a query of them), each with its number of `children` (a column of the
    cohorts or classes that points to it), by province, district and name; `search` matches a name or an area."""
    count = select(func.count()).where(children == place.id).scalar_subquery()
    query = matching(managed.add_columns(count.label("children")), search,
                     place.name_th, place.name_en, place.province, place.district)
    return paginate(query.order_by(place.province, place.district, place.name_th, place.id), number)


def centres_page(user: User, search: str = "", number: int = 1) -> Page:
    """The centres `user` manages, each with its number of cohorts."""
    return _places_page(access.centres_managed(user), Centre, Cohort.centre_id, search, number)


def _create_place(actor: User, place_type: type[Centre] | type[School], subject_type: str, fields: dict):
    """A new centre or school, which must lie inside the actor's scope (audited). Raises OutOfScope."""
    _check_place(actor, fields["province"], fields["district"])
    place = place_type(**fields)
    db.session.add(place)
    db.session.flush()
    record(actor, f"{subject_type}.create", subject_type, place.id)
    return place


def create_centre(actor: User, **fields) -> Centre:
    """Raises OutOfScope."""
    return _create_place(actor, Centre, "centre", fields)


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
    return _places_page(access.schools_managed(user), School, SchoolClass.school_id, search, number)


def create_school(actor: User, **fields) -> School:
    """Raises OutOfScope."""
    return _create_place(actor, School, "school", fields)


def update_school(actor: User, school: School, **fields) -> None:
    """Raises OutOfScope if the school would move outside the actor's scope."""
    _update(actor, school, "school", fields)


def staff_page(user: User, search: str = "", number: int = 1) -> Page:
    query = matching(access.staff_managed(user), search, User.display_name, User.username, User.email)
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


def roles_of(actor: User, person: User) -> tuple[list[tuple[RoleAssignment, Centre | School | None]], int]:
    """The person's roles that `actor` may see, each with its centre or school, and how many others they
    hold outside the actor's scope."""
    held = db.session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == person.id)
                              .order_by(RoleAssignment.role, RoleAssignment.scope)).all()
    shown = [(assignment, db.session.get(Centre, assignment.centre_id) if assignment.centre_id
              else db.session.get(School, assignment.school_id) if assignment.school_id else None)
             for assignment in held if access.may_grant(actor, assignment.role, assignment.centre_id, assignment.school_id,
                                                 assignment.province, assignment.district)]
    return shown, len(held) - len(shown)


def grant(actor: User, person: User, role: str, **scope) -> RoleAssignment:
    """Give `person` a role inside the actor's scope (the grant is audited). Raises OutOfScope."""
    if role == "admin":
        _check_place(actor, scope.get("province"), scope.get("district"))
    elif not access.may_grant(actor, role, **scope):
        raise OutOfScope("centre" if role == "trainer" else "school")
    return accounts.grant_role(actor, person, role, **scope)


def revoke(actor: User, assignment: RoleAssignment) -> None:
    """Take a role away (audited). Raises OutOfScope."""
    if not access.may_revoke(actor, assignment):
        raise OutOfScope
    accounts.revoke_role(actor, assignment)
