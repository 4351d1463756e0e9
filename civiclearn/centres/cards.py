"""Learner cards: A4 sheets of 2 x 5 cards (85 x 54 mm), each with the learner's name, the centre, the
learner code in large letters and a QR code of it, so that a USB scanner types the code into the sign-in field.
And for learners just added, their starting-PIN slips (centres/slips.py): sheets of the same grid, each slip
where the learner's card lies on the cards of the same learners, and no centre name on them."""

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from civiclearn import access, loaders
from civiclearn.accounts.models import User
from civiclearn.centres import slips
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import cohort_learners, learners_among
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


def chosen_learners(centre: Centre) -> tuple[list[User], Cohort | None, dict]:
    """Whose cards the query asks for: the learners a roster registered (?roster=id), a learner just added
    (?learner=id), a cohort (?cohort=id) or the whole centre; with what the audit log says of the choice."""
    if "roster" in request.args:
        upload = loaders.find_roster_import(centre, an_id(query_id("roster")))
        added = [row["learner_id"] for row in upload.rows if row.get("learner_id")]
        return learners_among(centre, added), None, {"roster_import": upload.id}
    if "learner" in request.args:
        learner_id = an_id(query_id("learner"))
        return learners_among(centre, [learner_id]), None, {"learner": learner_id}
    cohort = loaders.find_cohort(centre, query_id("cohort")) if "cohort" in request.args else None
    return learners_for(centre, cohort), cohort, {"cohort": cohort.id if cohort else None}


def an_id(found: int | None) -> int:
    """A row id the query gave, or 404: what is not one (abc, -1, too large) names nothing."""
    access.authorise(found is not None)
    return found


FILE_NAME_PARTS = {"cohort": "", "roster_import": "roster-", "learner": "learner-"}


@bp.get("/centres/<int:centre_id>/cards.pdf", endpoint="cards")
def cards_pdf(centre_id: int):
    """The learner cards of a cohort, of learners just added or of the whole centre, as a PDF to print and cut."""
    found = loaders.find_centre(centre_id)
    learners, cohort, chosen = chosen_learners(found)
    learners = [learner for learner in learners if learner.learner_code]
    if not learners:
        flash(_("There are no learners to print cards for yet."), "error")
        return redirect(url_for("centres.centre", centre_id=found.id, cohort=cohort.id if cohort else None), code=303)
    cards = [Card(learner.display_name, learner.learner_code, qr_svg(learner.learner_code)) for learner in learners]
    pdf = render_pdf("pdf/cards.html", centre=found, cohort=cohort, cards=cards, per_sheet=CARDS_PER_SHEET)
    name = "-".join([f"learner-cards-{found.id}", *(f"{FILE_NAME_PARTS[key]}{value}" for key, value in chosen.items()
                                                    if value)])
    return personal_file(pdf, f"{name}.pdf", "application/pdf", inline=True, action="cards.print",
                         subject=("centre", found.id), detail={**chosen, "learners": len(cards)})


def slip_words(language: str) -> dict[str, str]:
    """A slip's words in one language (both are printed, Thai first, whatever the page's language)."""
    with force_locale(language):
        return {"title": _("Starting PINs"), "code": _("Learner code"), "pin": _("Starting PIN"),
                "first": _("At your first sign-in you choose your own PIN. Then tear up this slip.")}


@bp.post("/centres/<int:centre_id>/pin-slips.pdf", endpoint="pin_slips")
def pin_slips_pdf(centre_id: int):
    """The starting-PIN slips of the learners just added, from the sealed PINs their page sent back, as a PDF to
    print and cut (centres/slips.py says why this way)."""
    found = loaders.find_centre(centre_id)
    printed = slips.unseal(request.form.get("slips", ""), current_user, found)
    if not printed:
        flash(_("These starting PINs are no longer here to print: slips are printed within %(minutes)s minutes of "
                "adding the learners, for those who have not chosen their own PIN yet. To give a learner a new "
                "starting PIN, open their page and reset it.", minutes=slips.SLIP_MINUTES), "error")
        return redirect(url_for("centres.centre", centre_id=found.id), code=303)
    pdf = render_pdf("pdf/pin_slips.html", slips=printed, per_sheet=CARDS_PER_SHEET, th=slip_words("th"),
                     en=slip_words("en"))
    return personal_file(pdf, f"pin-slips-{found.id}.pdf", "application/pdf", inline=True, action="pin_slips.print",
                         subject=("centre", found.id), detail={"learners": len(printed)})
