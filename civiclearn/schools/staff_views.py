"""Schools and classes, the teacher's side: a school's classes, join codes, assigned modules."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, codes, loaders
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.forms import bind
from civiclearn.i18n import language, take_draft
from civiclearn.schools import services
from civiclearn.schools.forms import AssignForm, ClassForm, DueDateForm

bp = Blueprint("schools_staff", __name__)
bp.before_request(access.require_staff)
bp.add_app_template_filter(codes.display, "join_code")


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
def school(school_id: int):
    """The school's classes, and a form to create one (each class gets its own join code)."""
    found = loaders.find_school(school_id)
    form = bind(ClassForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        if services.class_named(found, form.name.data, form.year.data):
            form.name.errors.append(_("This school already has a class with this name in this year."))
        else:
            school_class = services.create_class(current_user, found, form.name.data, form.grade.data, form.year.data)
            db.session.commit()
            flash(_("Class %(name)s created. Give the students its code.", name=school_class.name), "success")
            return redirect(url_for("schools_staff.class_page", class_id=school_class.id), code=303)
    return render_template("schools/school.html", school=found, classes=services.classes_of(found),
                           form=form), 400 if form.errors else 200


def module_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalogue's modules as checkbox choices, grouped by course title."""
    return [(course.title.in_language(language()),
             [(str(module.id), _("Module %(number)s: %(title)s", number=module.position,
                                 title=module.title.in_language(language()))) for module in course.modules])
            for course in catalogue().courses]


def assign_form(groups, formdata=None) -> AssignForm:
    form = bind(AssignForm, formdata)
    form.modules.choices = [choice for _course, choices in groups for choice in choices]
    return form


@bp.route("/classes/<int:class_id>", methods=["GET", "POST"], endpoint="class_page")
def show_class(class_id: int):
    """The class: its join code, members and assignments; a POST assigns the chosen modules with one due
    date (a module assigned before gets the new due date)."""
    found = loaders.find_class(class_id)
    groups = module_choices()
    form = assign_form(groups, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        modules = services.modules_by_id(catalogue())
        for module_id in form.modules.data:
            services.assign(current_user, found, modules[int(module_id)], form.due_on.data)
        db.session.commit()
        flash(_("Assigned. The students see it first on their home page."), "success")
        return redirect(url_for("schools_staff.class_page", class_id=found.id, _anchor="assignments"), code=303)
    return render_template("schools/class.html", school_class=found, members=services.members_of(found),
                           left=services.left_the_course(found), assignments=services.assignments_of(found, catalogue()),
                           form=form, groups=groups), 400 if form.errors else 200


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
def assignment(assignment_id: int):
    """Change an assignment's due date (or clear it), or go on to remove it."""
    found, school_class = loaders.find_assignment(assignment_id)
    module = services.modules_by_id(catalogue()).get(found.module_id)
    draft = take_draft() if request.method == "GET" else None
    form = bind(DueDateForm, draft) if draft else DueDateForm(data={"due_on": found.due_on})
    if form.validate_on_submit():
        services.change_due_date(current_user, found, form.due_on.data)
        db.session.commit()
        flash(_("The due date is saved."), "success")
        return redirect(url_for("schools_staff.class_page", class_id=school_class.id, _anchor="assignments"), code=303)
    return render_template("schools/assignment.html", assignment=found, school_class=school_class, module=module,
                           form=form), 400 if form.errors else 200


@bp.post("/assignments/<int:assignment_id>/remove")
def unassign(assignment_id: int):
    found, school_class = loaders.find_assignment(assignment_id)
    services.unassign(current_user, found)
    db.session.commit()
    flash(_("The assignment is removed. What students did in the module is kept."), "success")
    return redirect(url_for("schools_staff.class_page", class_id=school_class.id, _anchor="assignments"), code=303)
