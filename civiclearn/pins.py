"""Which PINs are too easy to guess: the one rule the PIN forms, the starting PINs and the PIN lessons use.

A PIN a person chooses (at registration, after a trainer's starting PIN, at /pin) is refused when it is:

- one digit repeated: 0000, 111111;
- digits in a row, up or down: 1234, 9876, 345678. Digits go round, 0 after 9 (as on a keyboard's top
  row), so 7890, 8901 and 9012 count too: 6 more PINs of each length and direction;
- a small group repeated, or digits in equal blocks: 1212, 12121, 123123, 121212, 1122, 112233, 111222;
- straight lines on a keypad: a whole line of 4 keys (2580 and 0852 on a phone or ATM keypad, where 0 is
  under 8; 7410, 0147, 8520 and 0258 on a computer's number pad, where 0 is under 1 and 2), or a 6-digit
  PIN made of two lines of 3 keys: rows (789456), columns (147258, 147852), diagonals (159753). 1470 is
  not refused: on neither keypad is 0 under 7;
- a year, as a 4-digit PIN: 1900 to 2099 (Christian Era) and 2400 to 2599 (Buddhist Era, 1857 to 2056).
  DataGenetics found every 19xx PIN among the most popular fifth, and iOS blocks 1956 to 2015
  (as Markert et al. found);
- one of the most common PINs in published studies (COMMON_PINS below);
- holding the person's own year of birth, in either era, anywhere: born 1967, so 1967, 2510, 196758 and
  102510 are refused. At registration the year typed on the form counts; later the stored one;
- holding the digits of the person's learner code, in their order, when the code has 3 or more digits
  (CAT347: 347, 3479, 834701). The code is printed on the card that travels with the learner. At
  registration the code does not exist yet, so `learner_code_for` draws one that the PIN does not clash
  with instead of refusing the PIN.

Dates are not refused. Bonneau et al. found birthdays the best guess for a thief holding a wallet, but we
do not know anyone's birthday, and refusing every DDMM and MMDD (588 of the 10,000 4-digit PINs) or every
DDMMYY (3.7 % of 6-digit PINs) would refuse PINs people made up at random, for a reason they cannot see.
The PIN lesson tells learners not to use their birthday. All of the above refuses about 6 % of 4-digit
PINs and under 1 % of 6-digit ones (Markert et al. suggest a blocklist of about 10 % of the PIN space).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from civiclearn import codes

PIN_PATTERN = r"\A[0-9]{4,6}\Z"  # \Z, not $: "1234\n" is not a PIN
WELL_FORMED = re.compile(PIN_PATTERN)

# Sources, each list as published (some PINs are also caught by a pattern rule above):
# - Nick Berry, "PIN analysis", DataGenetics, September 2012
#   (http://www.datagenetics.com/blog/september32012/index.html): the 20 most common of 3.4 million
#   4-digit PINs found in leaked password lists, together 26.83 % of them. Most common first.
DATAGENETICS_TOP_20 = ("1234 1111 0000 1212 7777 1004 2000 4444 2222 6969 "
                       "9999 3333 5555 6666 1122 1313 8888 4321 2001 1010").split()
# - Philipp Markert, Daniel V. Bailey, Maximilian Golla, Markus Dürmuth and Adam J. Aviv, "This PIN Can Be
#   Easily Guessed: Analyzing the Security of Smartphone Unlock PINs", IEEE Symposium on Security and
#   Privacy 2020. Their data-driven blocklists, published at https://this-pin-can-be-easily-guessed.github.io
#   (DD-4-digit-27.txt, from the 204,432 iPhone PINs Daniel Amitay collected in 2011, and DD-6-digit-29.txt,
#   published with the ACM TOPS version, whose 6-digit guessing order comes from the RockYou leak). Most
#   common first.
MARKERT_4_DIGIT_27 = ("1234 0000 2580 1111 5555 5683 0852 2222 1212 1998 6969 1379 1997 2468 "
                      "9999 7777 1996 2011 3333 1999 8888 1995 2525 1590 1235 1994 4444").split()
MARKERT_6_DIGIT_29 = ("123456 654321 111111 000000 123123 666666 121212 112233 789456 159753 "
                      "555555 999999 123321 987654 222222 888888 456789 123654 696969 777777 "
                      "101010 131313 333333 246810 159357 232323 252525 147258 147852").split()
# Not copied, as we could not read their tables in full: Joseph Bonneau, Sören Preibusch and Ross Anderson,
# "A birthday present every eleven wallets? The security of customer-chosen banking PINs", Financial
# Cryptography 2012 (what we take from them: keep a denied-PIN list, and a birthday is a thief's best guess),
# and Ding Wang et al., "Understanding human-chosen PINs: characteristics, distribution and security",
# AsiaCCS 2017.
COMMON_PINS = frozenset(DATAGENETICS_TOP_20 + MARKERT_4_DIGIT_27 + MARKERT_6_DIGIT_29)

# Straight lines of keys, each also read backwards: rows, a phone's columns (0 under 8), a number pad's
# columns (0 under 1 and 2), diagonals.
_KEYPAD_LINES = ("123", "456", "789", "147", "2580", "369", "7410", "8520", "159", "357")
_KEYPAD_SEGMENTS = frozenset(
    text[start:end] for line in _KEYPAD_LINES for text in (line, line[::-1])
    for start in range(len(text)) for end in range(start + 3, len(text) + 1))
CHRISTIAN_YEARS, BUDDHIST_YEARS = range(1900, 2100), range(2400, 2600)
BUDDHIST_ERA = 543
CODE_DIGITS_THAT_COUNT = 3


@dataclass(frozen=True)
class About:
    """What we know of the person choosing: their year of birth (Christian Era) and learner code."""

    birth_year: int | None = None
    learner_code: str | None = None

    @property
    def code_digits(self) -> str:
        digits = "".join(char for char in self.learner_code or "" if char.isdigit())
        return digits if len(digits) >= CODE_DIGITS_THAT_COUNT else ""


@dataclass(frozen=True)
class Rule:
    """One kind of PIN a thief tries first."""

    key: str
    refuses: Callable[[str, About], bool]
    reason: str  # lazy: the form's error, and the practice activity's line when an example breaks the rule
    label: str  # lazy: the practice activity's line when an example keeps the rule
    personal: bool = False  # needs the person's year of birth or learner code


def _one_digit(pin: str, about: About) -> bool:
    return len(set(pin)) == 1


def _in_a_row(pin: str, about: About) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    return steps in ({1}, {9})


def _repeated(pin: str, about: About) -> bool:
    """A group of 2 or more digits repeated (1212, 12121, 123123), or equal blocks of one digit (1122, 111222)."""
    group = any(pin == (pin[:size] * len(pin))[:len(pin)] for size in range(2, len(pin) // 2 + 1))
    blocks = any(len(pin) % size == 0 and all(len(set(pin[i:i + size])) == 1 for i in range(0, len(pin), size))
                 for size in range(2, len(pin)))
    return group or blocks


def _keypad(pin: str, about: About) -> bool:
    """One whole line of keys, or lines of at least 3 keys one after the other."""
    return pin in _KEYPAD_SEGMENTS or any(pin[:end] in _KEYPAD_SEGMENTS and _keypad(pin[end:], about)
                                          for end in range(3, len(pin) - 2))


def _a_year(pin: str, about: About) -> bool:
    return len(pin) == 4 and (int(pin) in CHRISTIAN_YEARS or int(pin) in BUDDHIST_YEARS)


def _common(pin: str, about: About) -> bool:
    return pin in COMMON_PINS


def _birth_year(pin: str, about: About) -> bool:
    year = about.birth_year
    return year is not None and (str(year) in pin or str(year + BUDDHIST_ERA) in pin)


def _learner_code(pin: str, about: About) -> bool:
    return bool(about.code_digits) and about.code_digits in pin


# In the order a form names them: the first rule a PIN breaks is the reason it is given.
RULES = (
    Rule("birth-year", _birth_year, _l("A PIN with your year of birth in it is easy to guess."),
         _l("It does not have your year of birth in it."), personal=True),
    Rule("learner-code", _learner_code,
         _l("A PIN with the digits of your learner code in it is easy to guess: the code is on your card."),
         _l("It does not have the digits of your learner code in it."), personal=True),
    Rule("one-digit", _one_digit, _l("A PIN of one digit repeated, like 1111, is easy to guess."),
         _l("It is not one digit repeated, like 1111.")),
    Rule("in-a-row", _in_a_row, _l("A PIN of digits in a row, like 1234 or 9876, is easy to guess."),
         _l("It is not a run of digits like 1234 or 9876.")),
    Rule("repeated", _repeated,
         _l("A PIN of a small group repeated, like 1212 or 123123, or of pairs, like 1122, is easy to guess."),
         _l("It is not a small group repeated, like 1212 or 123123, or pairs, like 1122.")),
    Rule("keypad", _keypad, _l("A PIN in a straight line on the keypad, like 2580, is easy to guess."),
         _l("It is not a straight line on the keypad, like 2580.")),
    Rule("year", _a_year, _l("A PIN that is a year, like 1967 or 2510, is easy to guess."),
         _l("It is not a year, like 1967 or 2510.")),
    Rule("common", _common, _l("This is one of the PINs people choose most often: thieves try those first."),
         _l("It is not on the list of PINs everybody uses.")),
)


def broken_rules(pin: str, birth_year: int | None = None, learner_code: str | None = None) -> list[Rule]:
    """The rules a well-formed PIN (4 to 6 ASCII digits; a practice may ask for more, as ThaID's 8) breaks, in RULES
    order; empty if it is a good one."""
    about = About(birth_year, learner_code)
    return [rule for rule in RULES if rule.refuses(pin, about)]


def pin_problem(pin: str, birth_year: int | None = None, learner_code: str | None = None) -> str | None:
    """Why a well-formed PIN is too easy to guess, in the current language; None if it is a good one."""
    broken = broken_rules(pin, birth_year, learner_code)
    return str(broken[0].reason) if broken else None


def learner_code_for(pin: str) -> str:
    """A new random learner code whose digits the PIN does not hold: the code is chosen after the PIN."""
    while True:
        code = codes.new_code()
        if not _learner_code(pin, About(learner_code=code)):
            return code
