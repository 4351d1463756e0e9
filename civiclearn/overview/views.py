"""The programme overview for admins: totals of their scope by place or month, who is reached, the school
students by school and class, as tables, server-drawn charts and files for Excel (which read as the page does:
months as the page writes them, in the page's language)."""

from flask import Blueprint, render_template, request
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from civiclearn import access
from civiclearn.civic.services import CHANNEL_LABELS, KIND_NAMES
from civiclearn.exports import table_response
from civiclearn.i18n import language
from civiclearn.overview import services
from civiclearn.overview.charts import bar_chart

bp = Blueprint("overview", __name__)
bp.before_request(access.require_admin)  # as the admin pages: others signed in get 404, as if it did not exist

GROUPING_NAMES = {"province": _l("Province"), "district": _l("District"), "centre": _l("Centre"),
                  "month": _l("Month")}
AGE_NAMES = {"under-18": _l("Under 18"), "18-39": _l("18 to 39"), "40-59": _l("40 to 59"),
             "60-plus": _l("60 and over"), None: _l("Not recorded")}
GENDER_NAMES = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other"), None: _l("Not recorded")}


def grouping() -> str:
    """The grouping asked for in the query string (?by=...), else the default."""
    by = request.args.get("by")
    return by if by in services.GROUPINGS else services.DEFAULT_GROUPING


def measure_names(by: str) -> list[str]:
    active = _("Active in the month") if by == "month" else _("Active in the last 30 days")
    return [_("Learners registered"), active, _("Modules completed"), _("Certificates issued")]


def place_header(by: str) -> list[str]:
    """The columns that name a row: a month, or a place down to the level asked for."""
    if by == "month":
        return [_("Month")]
    return [str(GROUPING_NAMES[level]) for level in services.GROUPINGS[:services.GROUPINGS.index(by) + 1]]


def school_header() -> list[str]:
    return [_("Province"), _("District"), _("School"), _("Class"), _("Academic year"), _("Students")]


def school_cells(row: services.SchoolRow) -> list:
    """A row of the school students' table as the page writes it: a school's own row says it counts each of its
    students once."""
    return [row.province, row.district, row.school, row.school_class or _("All classes, each student once"),
            row.year or "", row.students]


def headline(user, students: int) -> list[tuple[str, int]]:
    """The figures at the top: the four measures of everything in scope, then the `students` of its schools
    beside the centres' learners, and everyone reached (each person once)."""
    return [*zip(measure_names("all"), services.totals(user).values(), strict=True), (_("School students"), students),
            (_("Centre learners and school students, each person once"), services.people_reached(user))]


def row_name(by: str, row: services.Row) -> str:
    """A row's name in a chart: its month, province, "district, province" (many provinces have a district of
    the same name) or centre."""
    if by == "month":
        return services.month_label(row.cells[0], language())
    if by == "district":
        return f"{row.cells[1]}, {row.cells[0]}"
    return row.cells[-1]


def place_cells(by: str, row: services.Row) -> list[str]:
    """A row's place cells, or its month as the page writes it."""
    return [row_name(by, row)] if by == "month" else list(row.cells)


def charts(by: str, rows: list[services.Row], reach: services.Reach) -> dict:
    """A bar chart per measure and per reach table, each described by the table that holds its numbers."""
    by_name = str(GROUPING_NAMES[by]).lower()
    found = {}
    for number, measure in enumerate(measure_names(by)):
        found[f"measure-{number}"] = bar_chart(
            f"chart-measure-{number}", _("%(measure)s by %(group)s", measure=measure, group=by_name),
            _("Bar chart. The same numbers are in the table above."),
            [(row_name(by, row), row.values()[number]) for row in rows])
    beside = _("Bar chart. The same numbers are in the table beside it.")
    found["ages"] = bar_chart("chart-ages", _("Learners by age"), beside,
                              [(str(AGE_NAMES[band]), count) for band, count in reach.ages])
    found["genders"] = bar_chart("chart-genders", _("Learners by gender"), beside,
                                 [(str(GENDER_NAMES[gender]), count) for gender, count in reach.genders])
    return found


ACTION_GROUPING_NAMES = {"kind": _l("Kind"), "channel": _l("Channel"), "district": _l("District"),
                         "month": _l("Month")}


def action_header() -> list[str]:
    return [_("Actions"), _("Logged at least 30 days ago"), _("Of those, fixed or answered"), _("Share fixed")]


def share(row: services.ActionRow) -> str:
    """The share fixed as the page writes it (67%), or a dash when no action is due yet."""
    return "–" if row.share_fixed is None else format_percent(row.share_fixed)


def action_name(by: str, row: services.ActionRow) -> str:
    """A row of the civic actions' tables by its name: a kind, a channel, "district, province", a month."""
    if by == "kind":
        return str(KIND_NAMES[row.cells[0]])
    if by == "channel":
        return str(CHANNEL_LABELS[row.cells[0]])
    if by == "district":
        return f"{row.cells[1]}, {row.cells[0]}"
    return services.month_label(row.cells[0], language())


def action_charts(tables: dict) -> dict:
    """A bar chart of the actions by kind and by month, each described by the table beside it."""
    beside = _("Bar chart. The same numbers are in the table beside it.")
    return {by: bar_chart(f"chart-actions-{by}", _("Civic actions by %(group)s", group=str(
        ACTION_GROUPING_NAMES[by]).lower()), beside, [(action_name(by, row), row.actions) for row in tables[by]])
            for by in ("kind", "month")}


@bp.get("/overview")
def overview():
    """Totals of the admin's scope, the table the admin chose with a chart per measure, who is reached, and the
    school students by school and class."""
    by = grouping()
    rows = services.table(current_user, by, language())
    reach, students = services.reach(current_user), services.school_students(current_user)
    return render_template("overview/overview.html", by=by, groupings=GROUPING_NAMES, rows=rows, reach=reach,
                           totals_named=headline(current_user, students), place_header=place_header(by),
                           school_header=school_header(), school_rows=services.school_table(current_user, language()),
                           school_cells=school_cells, students=students,
                           measures=measure_names(by), charts=charts(by, rows, reach), row_name=row_name,
                           age_names=AGE_NAMES, gender_names=GENDER_NAMES,
                           admin_areas=access.roles(current_user).admin_scopes, **civic_actions())


def civic_actions() -> dict:
    """What the page shows of the civic actions: the total, the four tables, their charts and how to name them."""
    tables = services.action_tables(current_user)
    return {"action_total": tables["all"][0], "action_tables": {by: tables[by] for by in services.ACTION_GROUPINGS},
            "action_groupings": ACTION_GROUPING_NAMES, "action_header": action_header(), "action_name": action_name,
            "share": share, "action_charts": action_charts(tables)}


@bp.get("/overview.<file_format>")
def export(file_format: str):
    """The table of the page, as CSV or XLSX, its months as the page writes them (ม.ค. 2569), oldest first."""
    by = grouping()
    rows = services.table(current_user, by, language())
    return table_response(file_format, f"overview-by-{by}", place_header(by) + measure_names(by),
                          ([*place_cells(by, row), *row.values()] for row in rows), title=_("Overview"),
                          subject=("overview", None), detail={"report": "overview", "by": by})


@bp.get("/overview/reach.<file_format>")
def export_reach(file_format: str):
    """Who is reached, as CSV or XLSX: one row per age band, then one per gender."""
    reach = services.reach(current_user)
    rows = [(_("Age"), str(AGE_NAMES[band]), count) for band, count in reach.ages]
    rows += [(_("Gender"), str(GENDER_NAMES[gender]), count) for gender, count in reach.genders]
    return table_response(file_format, "overview-reach", [_("Measure"), _("Group"), _("Learners")], rows,
                          title=_("Who is reached"), subject=("overview", None), detail={"report": "reach"})


@bp.get("/overview/schools.<file_format>")
def export_schools(file_format: str):
    """The school students by school and class, as CSV or XLSX: the page's table, with its total."""
    rows = [school_cells(row) for row in services.school_table(current_user, language())]
    rows.append([_("In your area, each student once"), "", "", "", "", services.school_students(current_user)])
    return table_response(file_format, "overview-schools", school_header(), rows, title=_("School students"),
                          subject=("overview", None), detail={"report": "schools"})


@bp.get("/overview/actions.<file_format>")
def export_actions(file_format: str):
    """The civic actions by kind, channel, district and month, as CSV or XLSX: the page's four tables one under
    another, then the total; the share fixed as a whole percent (empty when no action is due)."""
    def figures(row: services.ActionRow) -> tuple:
        return row.actions, row.due, row.fixed, "" if row.share_fixed is None else round(row.share_fixed * 100)
    tables = services.action_tables(current_user)
    rows = [(str(ACTION_GROUPING_NAMES[by]), action_name(by, row), *figures(row))
            for by in services.ACTION_GROUPINGS for row in tables[by]]
    rows.append((_("All"), _("In your area"), *figures(tables["all"][0])))
    return table_response(file_format, "overview-civic-actions",
                          [_("Table"), _("Group"), *action_header()[:3], _("Share fixed (%)")], rows,
                          title=_("Civic actions"), subject=("overview", None), detail={"report": "civic_actions"})
