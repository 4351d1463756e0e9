"""Short codes people read off a card and type: no look-alike characters, forgiving input."""

import re
import secrets

# No 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V: each left-out character looks like one kept or left out.
ALPHABET = "ACEFHJKMNPRTWXY3479"
LEARNER_CODE_LENGTH = 6

_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code(length: int = LEARNER_CODE_LENGTH) -> str:
    """A random code of `length` characters from ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """The code as stored: upper case, without the spaces and dashes people (and scanners) add."""
    return _SEPARATORS.sub("", typed or "").upper()


def is_well_formed(code: str, length: int = LEARNER_CODE_LENGTH) -> bool:
    """True if a normalised code has the right length and only ALPHABET characters."""
    return len(code) == length and all(char in ALPHABET for char in code)


def display(code: str) -> str:
    """Group a code in threes for reading aloud and printing: ACE-479."""
    return "-".join(code[i:i + 3] for i in range(0, len(code), 3))
