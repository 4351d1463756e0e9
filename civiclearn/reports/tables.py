"""Reports as plain tables (a header and rows), for the CSV and XLSX exports."""

from flask_babel import gettext as _

from civiclearn.exports import local_time
from civiclearn.i18n import language
from civiclearn.learning.forms import choice_label
from civiclearn.reports.classes import ClassReport
from civiclearn.reports.dashboard import Grid, QuestionStats, Row

STATE_WORDS = {"not-started": "not started", "in-progress": "in progress", "completed": "completed",
               "passed": "passed"}


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


def quiz_table(stats: list[QuestionStats]) -> tuple[list[str], list[list]]:
    """Each question: how many answered it, how many wrongly, and the wrong answer chosen most often."""
    header = [_("Question"), _("Answered"), _("Answered wrongly"), _("Wrong answer chosen most often"), _("Chosen")]
    rows = []
    for item in stats:
        chosen = [choice_label(choice, language()) for choice in item.question.choices
                  if item.common_wrong and choice.key in item.common_wrong]
        common = " + ".join(chosen) if chosen else (_("No answer") if item.common_wrong is not None else "")
        rows.append([item.question.prompt.in_language(language()), item.answered, item.wrong, common,
                     item.common_wrong_count])
    return header, rows
