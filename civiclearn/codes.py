"""Short codes people read off a card and type: no look-alike characters, forgiving input."""

import re
import secrets

# Passwords everybody uses, and the digits inside many of them: a thief's first tries at a password.
# PINs have their own rule and published lists: civiclearn.pins.
COMMON_SECRETS = frozenset({
    "123456", "654321", "111111", "000000", "121212", "123123", "112233", "159753", "147258", "789456",
    "password", "qwerty", "iloveyou", "admin", "welcome", "letmein", "abc123", "qwerty123", "password123",
})

# No 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V: each left-out character looks like one kept or left out.
ALPHABET = "ACEFHJKMNPRTWXY3479"
LEARNER_CODE_LENGTH = 6

_SEPARATORS = re.compile(r"[\s\-_.]+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")

# Kedmanee, the usual Thai keyboard layout: what each key types (unshifted, then shifted), under the
# Latin character of the same key. A kiosk left in Thai, or a USB scanner typing into one, sends these.
_LATIN_KEYS = "1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./" '!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
_THAI_KEYS = "ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ" '+๑๒๓๔ู฿๕๖๗๘๙๐"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ'
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_KEDMANEE = str.maketrans({thai: latin for thai, latin in zip(_THAI_KEYS, _LATIN_KEYS, strict=True)
                           if thai not in "๐๑๒๓๔๕๖๗๘๙"})


def from_thai_keyboard(typed: str) -> str:
    """Thai digits as digits, and text typed with the keyboard in Thai as the keys read in English."""
    typed = typed.translate(THAI_DIGITS)
    return typed.translate(_KEDMANEE) if _THAI.search(typed) else typed


def new_code(length: int = LEARNER_CODE_LENGTH) -> str:
    """A random code of `length` characters from ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """The code as stored: upper case, without the spaces and dashes people (and scanners) add."""
    return _SEPARATORS.sub("", from_thai_keyboard(typed or "")).upper()


def is_well_formed(code: str, length: int = LEARNER_CODE_LENGTH) -> bool:
    """True if a normalised code has the right length and only ALPHABET characters."""
    return len(code) == length and all(char in ALPHABET for char in code)


def display(code: str) -> str:
    """Group a code in threes for reading aloud and printing: ACE-479."""
    return "-".join(code[i:i + 3] for i in range(0, len(code), 3))


# Certificate codes: eight random characters and a check character, shown as ACE-479-KMX.
CERTIFICATE_CODE_LENGTH = 9


def check_character(data: str) -> str:
    """The check character of `data`: the sum of each character's value times its position (1, 2, ...),
    modulo 19. The alphabet's size is prime, so one wrong character, or two neighbours swapped (the
    check character too), always changes it."""
    total = sum(position * ALPHABET.index(char) for position, char in enumerate(data, start=1))
    return ALPHABET[total % len(ALPHABET)]


def new_certificate_code() -> str:
    data = new_code(CERTIFICATE_CODE_LENGTH - 1)
    return data + check_character(data)


def certificate_code_problem(code: str) -> str | None:
    """For a normalised code: "malformed" (wrong length or characters), "mistyped" (its check character
    does not match, so a character is wrong), or None."""
    if not is_well_formed(code, CERTIFICATE_CODE_LENGTH):
        return "malformed"
    return None if check_character(code[:-1]) == code[-1] else "mistyped"
