"""Check before you pay: case by case, decide whether to go ahead. A payment case shows what a bank app's
confirmation screen says (the payee's name and the amount) beside whom the learner means to pay: pay, or stop.
A slip case shows a slip a buyer holds up beside what the seller's own bank app shows as arrived: the goods can
go, or wait until the money shows in your own app.

The template draws the screens as text, so screen readers read them as they read the story. The checker holds
the cases to the rule the lessons teach: a screen whose amount is not the one expected is never safe to pay, and
the goods can go exactly when the price has arrived in the seller's own bank app, whatever the slip says. A case
decided wrongly gets a clue, not its verdict: the verdicts and reasons are the answer, shown after two wrong
tries."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from civiclearn.courses.activities.base import ActivityType, Answer, Review, decision, review_decisions
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.schema import Bilingual
from civiclearn.courses.yamlfile import LineMap
from civiclearn.forms import Form, bind

CASE_FIELDS = {"id", "story", "expect", "screen", "price", "slip", "money_in", "safe", "why", "clue"}
PAY_ONLY, SLIP_ONLY = ("expect", "screen"), ("price", "slip", "money_in")
PAYMENT_FIELDS = {"to", "amount"}
SLIP_FIELDS = {"from", "to", "amount", "when"}
MAX_BAHT = 10_000_000
KINDS = {"pay": _l("a payment to confirm"), "slip": _l("a slip you are shown")}


@dataclass(frozen=True)
class Payment:
    """Whom a payment goes to, and how much (whole baht)."""

    to: Bilingual
    amount: int

    @property
    def amount_text(self) -> str:
        return baht(self.amount)


@dataclass(frozen=True)
class Slip:
    """A transfer slip as a buyer shows it: it may say anything (fake slips are easy to make)."""

    payer: Bilingual
    payee: Bilingual
    amount: int
    when: Bilingual | None = None

    @property
    def amount_text(self) -> str:
        return baht(self.amount)


@dataclass(frozen=True, kw_only=True)
class Case:
    key: str
    story: Bilingual
    safe: bool  # going ahead (paying, letting the goods go) is right
    why: Bilingual
    clue: Bilingual | None = None  # what to look at again, without giving the verdict away

    @property
    def field(self) -> str:
        return "case_" + self.key.replace("-", "_")


@dataclass(frozen=True, kw_only=True)
class PayCase(Case):
    """About to confirm a transfer: whom the learner means to pay, and what the app's confirmation screen shows."""

    expect: Payment
    screen: Payment
    kind = "pay"  # (a class attribute, not a field: the template picks the screens by it)


@dataclass(frozen=True, kw_only=True)
class SlipCase(Case):
    """Selling: the price, the slip the buyer shows, and what the seller's own bank app shows as arrived."""

    price: int
    slip: Slip
    money_in: int  # baht arrived in the seller's own bank app for this sale; 0: nothing yet
    kind = "slip"

    @property
    def price_text(self) -> str:
        return baht(self.price)

    @property
    def money_in_text(self) -> str:
        return baht(self.money_in)


def baht(amount: int) -> str:
    """An amount as bank apps show it, in both languages: 1,250.00."""
    return f"{amount:,.2f}"


def read(reader: FieldReader, path: str, data: LineMap) -> list[Case] | None:
    """The cases to decide; stopping must be right in at least one, or the practice teaches nothing."""
    entries, count = reader.entries(path, data, "cases", "case", CASE_FIELDS, "is already used in this activity")
    cases = [case for key, entry in entries if (case := _case(reader, path, key, entry))]
    if not count or len(cases) != count:
        return None
    if all(case.safe for case in cases):
        reader.problem(path, data.line_of("cases"), "check-before-you-pay needs at least one case with safe: false")
        return None
    return cases


def _case(reader: FieldReader, path: str, key: str, entry: LineMap) -> Case | None:
    """One case: a payment (expect and screen) or a slip (price, slip and money_in), never a mix."""
    is_pay, is_slip = any(name in entry for name in PAY_ONLY), any(name in entry for name in SLIP_ONLY)
    if is_pay == is_slip:
        reader.problem(path, entry.line, f'case "{key}" needs either expect and screen (a payment to confirm) or '
                                         "price, slip and money_in (a slip you are shown), not both")
        return None
    safe = entry.get("safe")
    if not isinstance(safe, bool):
        reader.problem(path, entry.line_of("safe"), f'safe of case "{key}" must be true or false')
    texts = [reader.text(path, entry, name, f'{name} of case "{key}"') for name in ("story", "why")]
    clue = reader.text(path, entry, "clue", f'clue of case "{key}"', required=False)
    parts = _pay_parts(reader, path, key, entry) if is_pay else _slip_parts(reader, path, key, entry)
    if not isinstance(safe, bool) or None in texts or parts is None:
        return None
    common = {"key": key, "story": texts[0], "safe": safe, "why": texts[1], "clue": clue}
    case = PayCase(**common, **parts) if is_pay else SlipCase(**common, **parts)
    return case if _follows_the_rule(reader, path, entry, case) else None


def _pay_parts(reader: FieldReader, path: str, key: str, entry: LineMap) -> dict | None:
    expect, screen = (_payment(reader, path, entry, name, f'{name} of case "{key}"') for name in PAY_ONLY)
    return {"expect": expect, "screen": screen} if expect and screen else None


def _slip_parts(reader: FieldReader, path: str, key: str, entry: LineMap) -> dict | None:
    price = reader.integer(path, entry, "price", 1, MAX_BAHT)
    money_in = reader.integer(path, entry, "money_in", 0, MAX_BAHT)
    slip = _slip(reader, path, entry, f'slip of case "{key}"')
    return {"price": price, "slip": slip, "money_in": money_in} if None not in (price, money_in, slip) else None


def _payment(reader: FieldReader, path: str, entry: LineMap, name: str, what: str) -> Payment | None:
    found = reader.mapping(path, entry.line_of(name), entry.get(name), what, PAYMENT_FIELDS)
    to = found and reader.text(path, found, "to", f"to of {what}")
    amount = found and reader.integer(path, found, "amount", 1, MAX_BAHT)
    return Payment(to, amount) if to and amount else None


def _slip(reader: FieldReader, path: str, entry: LineMap, what: str) -> Slip | None:
    found = reader.mapping(path, entry.line_of("slip"), entry.get("slip"), what, SLIP_FIELDS)
    payer = found and reader.text(path, found, "from", f"from of {what}")
    payee = found and reader.text(path, found, "to", f"to of {what}")
    amount = found and reader.integer(path, found, "amount", 1, MAX_BAHT)
    when = found and reader.text(path, found, "when", f"when of {what}", required=False)
    return Slip(payer, payee, amount, when) if payer and payee and amount else None


def _follows_the_rule(reader: FieldReader, path: str, entry: LineMap, case: Case) -> bool:
    """A wrong amount is never safe to pay; goods go exactly when the price is in the seller's own bank app."""
    line = entry.line_of("safe")
    if isinstance(case, PayCase):
        if case.safe and case.screen.amount != case.expect.amount:
            reader.problem(path, line, f'case "{case.key}": the screen shows {case.screen.amount} baht where '
                                       f"{case.expect.amount} is expected, so paying is not safe: write safe: false")
            return False
        return True
    arrived = case.money_in == case.price
    if case.safe and not arrived:
        reader.problem(path, line, f'case "{case.key}": the goods can go only when the price is in the seller\'s own '
                                   f"bank app, whatever the slip says: write money_in: {case.price}, or safe: false")
    elif not case.safe and arrived:
        reader.problem(path, line, f'case "{case.key}": the price is in the seller\'s own bank app (money_in), so '
                                   "the goods can go: write safe: true, or a money_in other than the price")
    return case.safe == arrived


def decisions(case: Case) -> list[SelectChoice]:
    """Go ahead or stop, in the words of the case's kind."""
    if case.kind == "pay":
        return [SelectChoice("go", _("Pay: press confirm")), SelectChoice("stop", _("Do not pay: stop and check"))]
    return [SelectChoice("go", _("The goods can go")),
            SelectChoice("stop", _("Wait until the money shows in my own bank app"))]


def name(case: Case, number: int) -> str:
    """How the page names a case: its number and kind (the template says it the same way)."""
    return _("Case %(number)s: %(kind)s", number=number, kind=KINDS[case.kind])


def form(cases: list[Case], language: str, formdata=None) -> Form:
    """Go ahead or stop, for each case."""
    fields = {case.field: decision(name(case, number), decisions(case))
              for number, case in enumerate(cases, start=1)}
    return bind(type("CheckBeforeYouPayForm", (Form,), fields), formdata)


def clue(case: Case, language: str) -> str:
    """What to look at again in a case decided wrongly: its own clue, else the question that fits its kind."""
    if case.clue:
        return case.clue.in_language(language)
    if case.kind == "pay":
        return _("Compare the name and the amount on the screen with whom you mean to pay and how much.")
    return _("Where must the money show before the goods go: on the buyer's slip, or in your own bank app?")


def review(cases: list[Case], form: Form, language: str) -> Review:
    """Each case: decided right, with its reason; or wrongly, with a clue. Done when all are right."""
    return review_decisions(cases, form, language, lambda case: "go" if case.safe else "stop", clue)


def answer(cases: list[Case], language: str) -> list[Answer]:
    """Every case's right decision and the reason for it."""
    return [Answer(name(case, number), decisions(case)[0 if case.safe else 1].label, case.why.in_language(language),
                   case.story.in_language(language))
            for number, case in enumerate(cases, start=1)]


TYPE = ActivityType("check-before-you-pay", frozenset({"cases"}), read, form, review, answer,
                    "activities/check-before-you-pay.html", labels=KINDS)
