"""What the theme finder reads, and the limits its pages share, apart from the finder (civiclearn.themes.analysis),
which imports scikit-learn, NumPy and PyThaiNLP: only the job that finds themes needs them, never a web worker."""

from collections.abc import Hashable
from dataclasses import dataclass

MIN_THEME_SIZE = 5  # fewer comments than this are not a theme (and could point at one person)
TYPICAL = 3  # comments shown as typical of a theme


@dataclass(frozen=True)
class Comment:
    """One text to read, from any source: its id there, the module or channel it is about, its month (YYYY-MM)."""

    id: int
    text: str
    about: Hashable = None
    month: str = ""
