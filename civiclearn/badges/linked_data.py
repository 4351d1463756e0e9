"""The JSON-LD contexts a credential names, from the package: nothing is fetched at run time. The W3C VC 2.0
context is PyLD's bundled copy, the Open Badges 3.0.3 context ours (badges/jsonld/, with its source). PyLD's
frozen document loader refuses any other address, so reading a credential as linked data never goes online."""

from pathlib import Path

from civiclearn.badges.credential import CONTEXTS

FOLDER = Path(__file__).with_name("jsonld")
OB_CONTEXT_FILE = "ob-v3p0-context-3.0.3.json"
SERVED = {"credentials-v2.jsonld": CONTEXTS[0], OB_CONTEXT_FILE: CONTEXTS[1]}  # our address -> the context's URL


def context_files() -> dict[str, Path]:
    """Each context a credential names, by its URL: the file in the package that holds it."""
    from pyld.documentloader.frozen import BUNDLED_CONTEXTS  # (imported when linked data is first read)
    return {CONTEXTS[0]: BUNDLED_CONTEXTS[CONTEXTS[0]], CONTEXTS[1]: FOLDER / OB_CONTEXT_FILE}


def expand(document: dict) -> list:
    """The document expanded as JSON-LD with the package's contexts only (any other raises PyLD's JsonLdError)."""
    from pyld import jsonld
    from pyld.documentloader.frozen import FrozenDocumentLoader
    return jsonld.expand(document, {"documentLoader": FrozenDocumentLoader(context_files())})
