"""Themes in comments: plain functions, no Flask, no database (the job feeds them; tests and the benchmark too).

How: each comment is normalised and cut into words (Thai with PyThaiNLP's dictionary tokenizer "newmm", which
ships its dictionary in the package and downloads nothing; English with a regular expression; mixed text by
runs of each script), stop words dropped, and words of the glossary (glossary.py) counted as one term across
both languages. TF-IDF weighs the terms (scikit-learn), and NMF (non-negative matrix factorisation) finds the
themes: each comment gets a weight in each theme and joins the one it weighs most in.

Why NMF: comments are short (a few terms each), and NMF's parts are readable: its terms and its comments come
with non-negative weights, so a theme's key words are its heaviest terms and its most typical comments its
heaviest comments, from one model. It is deterministic with NNDSVD starts and a fixed random_state, and fits
10,000 comments in seconds. k-means on the same vectors gives no term weights, LDA needs many more words per
comment, and sentence-embedding models would be downloads.

The number of themes: one per MIN_THEME_SIZE * 3 comments, at most MAX_THEMES; themes whose term profiles
overlap (cosine >= MERGE_SIMILARITY) are merged, and themes of fewer than MIN_THEME_SIZE comments are not shown.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from pythainlp.corpus import thai_stopwords, thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie, thai_digit_to_arabic_digit
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from civiclearn.themes.comment import MIN_THEME_SIZE, TYPICAL, Comment
from civiclearn.themes.glossary import TERMS, THAI_WORDS

MAX_THEMES = 12
MERGE_SIMILARITY = 0.3
KEY_WORDS = 6
RANDOM_STATE = 0

THAI = r"\u0E00-\u0E7F"
RUNS = re.compile(rf"[{THAI}][{THAI}.]*|[a-z0-9]+(?:'[a-z]+)?")
# "มากกก", "sooo": a letter typed on and on counts once: three at the end of a word, four inside one (Thai
# words meet without spaces, and "ระบบบ่อย" is two words with three บ in a row).
REPEATS = re.compile(rf"(\w)\1{{2,}}(?![{THAI}\w])|(\w)\2{{3,}}")
THAI_LETTER = re.compile(rf"[{THAI}]")
ENGLISH_STOP_WORDS = frozenset("""
a about after again all also am an and any are as at be been before being but by can cant could did do does
doing dont for from get got had has have he her here him his how i im in into is it its just me more most my
no not now of off on once only or other our out over please she so some still such than that the their them
then there these they this to too up us very was we were what when where which while who why will with would
you your yet thanks thank
""".split())


@dataclass
class Theme:
    words: list[str]  # key words, the heaviest first (in the reader's language first where the theme has them)
    comment_ids: list[int]  # the most typical first
    about: dict = field(default_factory=dict)  # module or channel -> comments
    months: dict[str, int] = field(default_factory=dict)  # YYYY-MM -> comments, in order

    @property
    def typical(self) -> list[int]:
        return self.comment_ids[:TYPICAL]

    def as_dict(self) -> dict:
        return {"words": self.words, "comment_ids": self.comment_ids, "about": self.about, "months": self.months}


def normalise(text: str) -> str:
    """NFC, lower case, Thai digits as 0-9, a letter repeated three times or more written once."""
    text = thai_digit_to_arabic_digit(unicodedata.normalize("NFC", text)).lower()
    return REPEATS.sub(lambda found: found.group(1) or found.group(2), text)


@cache
def _glossary() -> dict[str, str]:
    return {variant: term for term, variants in TERMS.items() for variant in variants}


@cache
def _dictionary() -> Trie:
    """PyThaiNLP's own word list (in the package) with the words the glossary needs whole."""
    return Trie(set(thai_words()) | THAI_WORDS)


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(thai_stopwords()) | ENGLISH_STOP_WORDS


def words(text: str) -> list[str]:
    """The words of a comment as written (normalised): Thai runs cut by newmm, English by the regular expression."""
    found = []
    for run in RUNS.findall(normalise(text)):
        if THAI_LETTER.match(run):
            found += [word.rstrip(".") if word.count(".") == 1 and word.endswith(".") and word not in THAI_WORDS
                      else word for word in word_tokenize(run, custom_dict=_dictionary(), engine="newmm",
                                                          keep_whitespace=False)]
        else:
            found.append(run)
    return [word for word in found if word.strip(".")]


def terms(text: str) -> list[str]:
    """What the model counts: words without stop words, the glossary's words as its terms (two-word English
    entries too), abbreviations without their dot."""
    glossary, stop = _glossary(), _stop_words()
    found, written = [], words(text)
    index = 0
    while index < len(written):
        pair = " ".join(written[index:index + 2])
        if pair in glossary:
            found.append(glossary[pair])
            index += 2
            continue
        word = written[index].rstrip(".")
        index += 1
        if word in glossary:
            found.append(glossary[word])
        elif word not in stop and (len(word) > 1 and not word.isdigit()):
            found.append(word)
    return found


def theme_count(comments: int) -> int:
    return max(1, min(MAX_THEMES, comments // (MIN_THEME_SIZE * 3)))


def find_themes(comments: list[Comment], language: str = "th") -> list[Theme]:
    """The themes of `comments`, the largest first; each of at least MIN_THEME_SIZE comments."""
    if len(comments) < MIN_THEME_SIZE:
        return []
    vectorizer = TfidfVectorizer(analyzer=terms, min_df=2, max_df=0.6, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([comment.text for comment in comments])
    except ValueError:  # no term is shared by two comments
        return []
    k = min(theme_count(len(comments)), matrix.shape[1])
    model = NMF(n_components=k, init="nndsvda", random_state=RANDOM_STATE, max_iter=500)
    weights = model.fit_transform(matrix)
    groups = _merged(model.components_)
    weights = np.column_stack([weights[:, group].sum(axis=1) for group in groups])
    profiles = np.vstack([model.components_[group].sum(axis=0) for group in groups])
    members: dict[int, list[int]] = defaultdict(list)
    for row in np.flatnonzero(weights.max(axis=1) > 0):
        members[int(weights[row].argmax())].append(int(row))
    vocabulary = vectorizer.get_feature_names_out()
    surface = _surface_forms(language)
    themes = []
    for theme, rows in members.items():
        if len(rows) < MIN_THEME_SIZE:
            continue
        rows.sort(key=lambda row: (-weights[row, theme], comments[row].id))
        chosen = [comments[row] for row in rows]
        themes.append(Theme(
            words=_key_words(profiles[theme], vocabulary, surface, language),
            comment_ids=[comment.id for comment in chosen],
            about=dict(Counter(comment.about for comment in chosen).most_common()),
            months=dict(sorted(Counter(comment.month for comment in chosen if comment.month).items()))))
    themes.sort(key=lambda found: (-len(found.comment_ids), found.words))
    return themes


def _merged(components: np.ndarray) -> list[list[int]]:
    """Groups of NMF components whose term profiles overlap (one theme NMF cut in two), by union-find."""
    norms = np.linalg.norm(components, axis=1)
    norms[norms == 0] = 1
    unit = components / norms[:, None]
    similarity = unit @ unit.T
    parent = list(range(len(components)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    for first, second in zip(*np.nonzero(np.triu(similarity, 1) >= MERGE_SIMILARITY), strict=True):
        parent[root(int(second))] = root(int(first))
    grouped: dict[int, list[int]] = defaultdict(list)
    for index in range(len(components)):
        grouped[root(index)].append(index)
    return list(grouped.values())


def _is_thai(word: str) -> bool:
    return bool(THAI_LETTER.search(word))


@cache
def _surface_forms(language: str) -> dict[str, str]:
    """A glossary term as shown: its first word in the reader's language (Thai script, or Latin letters)."""
    shown = {}
    for term, variants in TERMS.items():
        mine = [variant for variant in variants if _is_thai(variant) == (language == "th")]
        shown[term] = (mine or list(variants))[0]
    return shown


def _key_words(profile: np.ndarray, vocabulary: Iterable[str], surface: dict[str, str], language: str) -> list[str]:
    """The heaviest terms of a theme; among the top ones, those in the reader's language first. Words outside
    the glossary are shown as written: never translated."""
    vocabulary = list(vocabulary)
    top = [vocabulary[index] for index in np.argsort(-profile, kind="stable")[:KEY_WORDS * 2] if profile[index] > 0]
    shown = list(dict.fromkeys(surface.get(term, term) for term in top))
    shown.sort(key=lambda word: _is_thai(word) != (language == "th"))
    return shown[:KEY_WORDS]


def comments_from(rows: Iterable[Comment]) -> list[Comment]:
    """The comments worth reading: those with some text."""
    return [row for row in rows if row.text and row.text.strip()]
