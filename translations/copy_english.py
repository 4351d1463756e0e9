"""Give every new entry of the English catalogue its msgid as translation (msgids are English).

Run by `make extract-messages`; the Thai catalogue is left for a translator.
"""

import sys

from babel.messages.pofile import read_po, write_po

PATH = "translations/en/LC_MESSAGES/messages.po"


def main() -> int:
    with open(PATH, "rb") as file:
        catalog = read_po(file)
    filled = 0
    for message in catalog:
        untranslated = not message.string or (isinstance(message.string, tuple) and not all(message.string))
        if message.id and untranslated:
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
            filled += 1
    with open(PATH, "wb") as file:
        write_po(file, catalog, width=100)
    print(f"{PATH}: {filled} new entries copied from their msgid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
