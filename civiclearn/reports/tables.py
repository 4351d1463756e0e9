"""Reports as plain tables (a header and rows), for the CSV and XLSX exports: each reads as its page does, in
the page's language (states and statuses in the pages' words, learner codes as printed on the cards, dates as
the page writes them)."""

from collections.abc import Iterable, Iterator

from flask_babel import gettext as _

from civiclearn import codes
from civiclearn.i18n import format_date, language
from civiclearn.learning.forms import choice_label
from civiclearn.reports.classes import ClassReport
from civiclearn.reports.dashboard import Grid, QuestionStats, Row
from civiclearn.reports.words import event_words, state_words, status_words, with_help


def card_code(code: str | None) -> str:
    """A learner code as their card prints it (ACE-479); nothing for a learner without one."""
    return codes.display(code) if code else ""


def help_words(row: Row) -> str:
    """Why the learner needs help, in the page's language."""
    reasons = []
    for reason in row.help:
        if reason.module is not None:
            reasons.append(_("Failed the quiz of %(module)s %(times)s times",
                             module=reason.module.title.in_language(language()), times=reason.fails))
        else:
            reasons.append(_("No activity for %(days)s days", days=reason.days))
    return "; ".join(reasons)


def dashboard_table(grid: Grid, rows: list[Row]) -> tuple[list[str], list[list]]:
    """One row per learner: who, cohort, last activity (a date, as on the page), then each module's state in
    the page's words (with the lessons done with help) and best score, why they need help, and how many civic
    actions they logged."""
    header = [_("Name"), _("Learner code"), _("Cohort"), _("Last activity")]
    for module in grid.course.modules:
        title = module.title.in_language(language())
        header += [title, _("%(module)s: best score", module=title)]
    header += [_("Needs help"), _("Actions logged")]
    words = state_words()
    table = []
    for row in rows:
        cells = [row.name, card_code(row.code), row.cohort,
                 format_date(row.last_activity) if row.last_activity else _("Never")]
        for cell in row.cells:
            cells += [with_help(words[cell.state], cell.lessons_helped), cell.score]
        cells += [help_words(row), row.actions]
        table.append(cells)
    return header, table


def class_table(report: ClassReport) -> tuple[list[str], list[list]]:
    """One row per student: name, code, then the status in each assigned module as the report's page writes it
    (each module's header with its due date, as on the page)."""
    header = [_("Name"), _("Learner code")]
    for assignment, module in report.assignments:
        due = _("due %(date)s", date=format_date(assignment.due_on)) if assignment.due_on else _("no due date")
        header.append(f"{module.title.in_language(language())} · {due}")
    words = status_words()
    return header, [[row.name, card_code(row.code),
                     *(with_help(words[status], cell.lessons_helped) for status, cell in zip(statuses, row.cells,
                                                                                             strict=True))]
                    for row, statuses in report.rows]


def activity_table(events: Iterable[tuple]) -> tuple[list[str], Iterator[list]]:
    """The rows of `activity.rows` in words: the event (a lesson finished with help says so), the learner's code
    as on the cards, passed or not; course, module and item keep their keys, which stay the same when a title
    is reworded. Rows are made as they are read, so the export still streams."""
    header = [_("When"), _("Event"), _("Learner ID"), _("Learner code"), _("Course"), _("Module"), _("Item"),
              _("Score"), _("Result")]
    words = event_words()
    passed_words = {True: _("Passed"), False: _("Not passed"), None: ""}
    rows = ([at, words[f"{event}.helped" if helped else event], person, card_code(code), course, module, item,
             score, passed_words[passed]]
            for at, event, person, code, course, module, item, score, passed, helped in events)
    return header, rows


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
