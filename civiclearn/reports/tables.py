"""Reports as plain tables (a header and rows), for the CSV and XLSX exports."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import to_user_timezone

from civiclearn.i18n import language
from civiclearn.reports.classes import ClassReport
from civiclearn.reports.dashboard import Grid, Row

STATE_WORDS = {"not-started": "not started", "in-progress": "in progress", "completed": "completed",
               "passed": "passed"}


def local_time(moment: datetime | None) -> datetime | None:
    """A moment as the centre's clock showed it, to the second, without a zone: what a spreadsheet shows."""
    return to_user_timezone(moment).replace(tzinfo=None, microsecond=0) if moment else None


def help_words(row: Row) -> str:
    """Why the learner needs help, in the page's language."""
    reasons = []
    for reason in row.help:
        if reason.module is not None:
            reasons.append(_("Failed the quiz of %(module)s %(times)s times", module=reason.module.title.in_language(language()),
                             times=reason.fails))
        else:
            reasons.append(_("No activity for %(days)s days", days=reason.days))
    return "; ".join(reasons)


def dashboard_table(grid: Grid, rows: list[Row]) -> tuple[list[str], list[list]]:
    """One row per learner: who, cohort, last activity, then each module's state and best score, and why they
    need help. States are written in English words (stable for spreadsheets), module titles in the page's language."""
    header = [_("Name"), _("Learner code"), _("Cohort"), _("Last activity")]
    for module in grid.course.modules:
        title = module.title.in_language(language())
        header += [title, _("%(module)s: best score", module=title)]
    header.append(_("Needs help"))
    table = []
    for row in rows:
        cells = [row.name, row.code or "", row.cohort, local_time(row.last_activity)]
        for cell in row.cells:
            cells += [STATE_WORDS[cell.state], cell.score]
        cells.append(help_words(row))
        table.append(cells)
    return header, table


def class_table(report: ClassReport) -> tuple[list[str], list[list]]:
    """One row per student: name, then the status in each assigned module (English words, stable for sheets)."""
    header = [_("Name"), _("Learner code")] + [module.title.in_language(language())
                                                for _assignment, module in report.assignments]
    return header, [[row.name, row.code or "", *statuses] for row, statuses in report.rows]
