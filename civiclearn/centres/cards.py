"""Learner cards: A4 sheets of 2 x 5 cards (85 x 54 mm), each with the learner's name, the centre, the
learner code in large letters and a QR code of it, so that a USB scanner types the code into the sign-in field."""

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from civiclearn import loaders
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import cohort_learners
from civiclearn.centres.views import bp
from civiclearn.downloads import personal_file
from civiclearn.forms import query_id
from civiclearn.pdf import render_pdf

CARDS_PER_SHEET = 10


@dataclass
class Card:
    name: str
    code: str
    qr: Markup  # inline SVG: vector, sharp when printed at any size


def qr_svg(code: str) -> Markup:
    """A QR code of the learner code as stored (no dash): exactly what the sign-in field needs typed.

    Six characters of our alphabet fit the smallest QR code (21 x 21) even at the highest error correction,
    which lets a worn or creased card still scan.
    """
    import segno  # (imported with the first cards a process prints)
    return Markup(segno.make_qr(code, error="h").svg_inline(omitsize=True, border=4))


def learners_for(centre: Centre, cohort: Cohort | None) -> list[User]:
    """The cohort's learners, or everybody at the centre (once each, whatever their cohorts), by name."""
    if cohort is not None:
        return cohort_learners(cohort)
    everybody = {learner.id: learner for each in centre.cohorts for learner in cohort_learners(each)}
    return sorted(everybody.values(), key=lambda learner: (learner.display_name, learner.id))


@bp.get("/centres/<int:centre_id>/cards.pdf", endpoint="cards")
def cards_pdf(centre_id: int):
    """The learner cards of a cohort (?cohort=id) or of the whole centre, as a PDF to print and cut."""
    found = loaders.find_centre(centre_id)
    cohort = None
    if "cohort" in request.args:
        cohort = loaders.find_cohort(found, query_id("cohort"))
    learners = [learner for learner in learners_for(found, cohort) if learner.learner_code]
    if not learners:
        flash(_("There are no learners to print cards for yet."), "error")
        return redirect(url_for("centres.centre", centre_id=found.id, cohort=cohort.id if cohort else None), code=303)
    cards = [Card(learner.display_name, learner.learner_code, qr_svg(learner.learner_code)) for learner in learners]
    pdf = render_pdf("pdf/cards.html", centre=found, cohort=cohort, cards=cards, per_sheet=CARDS_PER_SHEET)
    name = f"learner-cards-{found.id}" + (f"-{cohort.id}" if cohort else "")
    return personal_file(pdf, f"{name}.pdf", "application/pdf", inline=True, action="cards.print",
                         subject=("centre", found.id),
                         detail={"cohort": cohort.id if cohort else None, "learners": len(cards)})
