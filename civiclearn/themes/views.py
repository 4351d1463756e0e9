"""Comment themes, the staff page: what the learners in the viewer's reach wrote about the modules or in the notes
of their civic actions, grouped by a computer program, with the comments behind each theme (never who wrote them),
and "Run again"."""

from dataclasses import dataclass, field

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from civiclearn import access
from civiclearn.centres.models import Centre
from civiclearn.civic.services import CHANNEL_LABELS
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.forms import query_id
from civiclearn.i18n import language
from civiclearn.overview.charts import bar_chart
from civiclearn.overview.services import month_label
from civiclearn.themes import services

bp = Blueprint("themes", __name__)
bp.before_request(access.require_staff)

SOURCE_NAMES = {"feedback": _l("Module feedback"), "actions": _l("Notes on civic actions")}
PERIODS = {"3": _l("The last 3 months"), "6": _l("The last 6 months"), "12": _l("The last 12 months")}
STATUS_NAMES = {"queued": _l("Waiting to start"), "running": _l("Running"), "failed": _l("Failed"),
                "done": _l("Done")}


@dataclass
class Filters:
    """What the viewer narrowed the comments to (from the query string), as the run keeps it, and what was wrong."""

    args: dict[str, str] = field(default_factory=dict)  # as typed, for the links and forms of the page
    source: str = "feedback"  # a key of services.SOURCES
    run: dict = field(default_factory=dict)  # as the source reads it
    errors: list[str] = field(default_factory=list)


def centres_in_reach() -> list[Centre]:
    return list(db.session.scalars(access.centres_managed(current_user).order_by(Centre.name_th, Centre.id)))


def read_filters(centres: list[Centre]) -> Filters:
    """The filters of the query string; one that names no course, module, centre, district or period the viewer
    may choose is left out, with a message."""
    found = Filters()
    source = request.args.get("source", "")
    if source in services.SOURCES and source != found.source:
        found.args["source"], found.source = source, source
    elif source and source not in services.SOURCES:
        found.errors.append(_("There are no such comments. Choose them from the list."))
    course_key, module_path = request.args.get("course", ""), request.args.get("module", "")
    course = catalogue().course(course_key) if course_key else None
    if course_key and course is None:
        found.errors.append(_("There is no such course. Choose one from the list."))
    elif course:
        found.args["course"], found.run["modules"] = course.key, [module.id for module in course.modules]
    if module_path:
        module = module_of(module_path)
        if module is None or (course and module.course.key != course.key):
            found.errors.append(_("That module is not part of the course. Choose one from the list."))
        else:
            found.args["module"], found.run["modules"] = module_path, [module.id]
    if request.args.get("centre"):
        centre_id = query_id("centre")
        if centre_id in {centre.id for centre in centres}:
            found.args["centre"], found.run["centre"] = str(centre_id), centre_id
        else:
            found.errors.append(_("There is no such centre among yours. Choose one from the list."))
    district = request.args.get("district", "")
    if district in {centre.district for centre in centres}:
        found.args["district"], found.run["district"] = district, district
    elif district:
        found.errors.append(_("There is no such district among your centres. Choose one from the list."))
    months = request.args.get("months", "")
    if months in PERIODS:
        found.args["months"], found.run["months"] = months, int(months)
    elif months:
        found.errors.append(_("Choose a period from the list."))
    return found


def module_of(path: str):
    """The module "course-key/module-key" names, or None."""
    course_key, _slash, module_key = path.partition("/")
    course = catalogue().course(course_key)
    return course.module(module_key) if course else None


def about_names(source: str) -> dict:
    """What the comments of `source` are about, as the page names it: each module served by id, or each channel."""
    if source == "actions":
        return {channel: str(name) for channel, name in CHANNEL_LABELS.items()}
    return {module.id: _("%(course)s, module %(number)s: %(title)s", course=course.title.in_language(language()),
                         number=module.position, title=module.title.in_language(language()))
            for course in catalogue().courses for module in course.modules}


def notices() -> list[tuple[str, str]]:
    """The honest notice in Thai and in English, the page's language first: both are always shown, so whoever
    reads the page over the staff member's shoulder (or a Thai page printed for a meeting) reads it too."""
    found = []
    for code in sorted(("th", "en"), key=lambda code: code != language()):
        with force_locale(code):
            found.append((code, _("These themes are made by a computer program and may be wrong: read the comments "
                                  "before you decide anything. The program groups comments, never people, and no "
                                  "text leaves this server.")))
    return found


def trend(number: int, theme: services.ShownTheme):
    """A theme's comments by month, as a bar chart (the table beside it holds the same numbers)."""
    return bar_chart(f"theme-{number}-trend", _("Comments of theme %(number)s by month", number=number),
                     _("Bar chart. The same numbers are in the table beside it."),
                     [(month_label(month, language()), count) for month, count in theme.months.items()])


@bp.get("/staff/themes")
def page():
    """The themes of the newest run for these filters, when it ran and how it went; the filters; Run again."""
    access.authorise(access.may_see_themes(current_user))
    centres = centres_in_reach()
    filters = read_filters(centres)
    theme_run = services.latest(current_user, filters.source, filters.run)
    themes = services.shown_themes(current_user, theme_run) if theme_run and theme_run.status == "done" else []
    return render_template(
        "themes/page.html", filters=filters, courses=catalogue().courses, centres=centres,
        districts=sorted({centre.district for centre in centres}), periods=PERIODS, run=theme_run,
        status_names=STATUS_NAMES, waiting=bool(theme_run and theme_run.status in services.WAITING),
        themes=themes, charts=[trend(number, theme) for number, theme in enumerate(themes, 1)],
        sources=SOURCE_NAMES, about_names=about_names(filters.source), month_label=month_label,
        notices=notices()), 400 if filters.errors else 200


@bp.post("/staff/themes/run")
def run_again():
    """Ask for a run with the page's filters; one already waiting or running is not started twice."""
    access.authorise(access.may_see_themes(current_user))
    filters = read_filters(centres_in_reach())
    if filters.errors:  # nothing run: back to the page with the filters that hold, saying what did not
        for message in filters.errors:
            flash(message, "error")
        return redirect(url_for("themes.page", **filters.args), code=303)
    theme_run, new = services.request_run(current_user, filters.source, filters.run, language())
    db.session.commit()
    if new:
        services.start(theme_run)
        flash(_("The themes are being found again. This takes a minute or two: reload the page to see them."),
              "success")
    else:
        flash(_("A run with these filters is already waiting or running, so no second one was started."), "info")
    return redirect(url_for("themes.page", **filters.args), code=303)
