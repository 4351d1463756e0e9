"""Civic actions, the staff's side: the actions a centre's learners logged, read only, as a page and as a
spreadsheet (the learner changes or deletes their own; staff only read what they did for real)."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, codes, loaders
from civiclearn.civic import services
from civiclearn.civic.models import CivicAction
from civiclearn.exports import table_response

bp = Blueprint("civic_staff", __name__)
bp.before_request(access.require_staff)


def actions_table(rows: list[services.CentreAction]) -> tuple[list[str], list[list]]:
    """One row per action, in the page's words and language (the day is written as the page writes it)."""
    header = [_("Day"), _("Learner"), _("Learner code"), _("What they did"), _("How"), _("Case number"), _("Note"),
              _("What happened"), _("Logged by a leader, with their agreement")]
    yes_no = {True: _("Yes"), False: _("No")}

    def cells(action: CivicAction, learner) -> list:
        return [action.done_on, learner.display_name, codes.display(learner.learner_code) if learner.learner_code
                else "", str(services.KIND_LABELS[action.kind]), str(services.CHANNEL_LABELS[action.channel]),
                action.case_number, action.note,
                str(services.OUTCOME_LABELS[action.outcome]) if action.outcome else _("Not known yet"),
                yes_no[action.logged_by_id is not None]]
    return header, [cells(item.action, item.learner) for item in rows]


@bp.get("/centres/<int:centre_id>/actions")
def centre_actions(centre_id: int):
    """What the centre's learners did for real with their local government, latest first."""
    centre = loaders.find_centre(centre_id)
    return render_template("civic/centre.html", centre=centre,
                           rows=services.centre_actions(current_user, centre))


@bp.get("/centres/<int:centre_id>/actions.<file_format>")
def export_centre_actions(centre_id: int, file_format: str):
    """The centre's actions as CSV or XLSX, for the district's report."""
    centre = loaders.find_centre(centre_id)
    header, rows = actions_table(services.centre_actions(current_user, centre))
    return table_response(file_format, f"actions-centre-{centre.id}", header, rows, title="actions",
                          subject=("centre", centre.id), detail={"report": "civic_actions", "rows": len(rows)})
