"""The words the report pages write for each state, in one place: a page, its PDF and its spreadsheet say the
same thing in the same language (a Thai export says ผ่านแล้ว where the Thai page does, never "passed")."""

from flask_babel import gettext as _


def state_words() -> dict[str, str]:
    """A learner's state in a module of the dashboard (`dashboard.Cell.state`)."""
    return {"not-started": _("Not started"), "in-progress": _("Still learning"), "completed": _("Lessons done, quiz not passed yet"),
            "passed": _("Passed")}


def status_words() -> dict[str, str]:
    """A student's status in an assigned module of the class report (`classes.STATUSES`)."""
    return {"done": _("Done"), "late": _("Late"), "stuck": _("Stuck"), "in-progress": _("Still learning"),
            "not-started": _("Not started")}


def event_words() -> dict[str, str]:
    """An event of the activity export (`activity.events`); a lesson finished with help has its own words."""
    return {"lesson.open": _("Opened a lesson"), "lesson.complete": _("Finished a lesson"),
            "lesson.complete.helped": _("Finished a lesson with help"), "quiz.attempt": _("Sent a quiz"),
            "certificate.issue": _("Certificate issued")}


def with_help(words: str, helped: int) -> str:
    """A state's words, then how many of the module's lessons were done with help (the practice's answer seen
    after two wrong tries), when any were: "Lessons done · 1 done with help"."""
    if not helped:
        return words
    return " · ".join((words, _("%(count)s done with help", count=helped)))
