"""Reading the values of course files (texts in two languages, numbers, ids, dates, lists) and
collecting every problem found as path:line: message, without stopping at the first."""

import re
from datetime import date

from civiclearn.config import LANGUAGES  # the languages of the UI are the languages of content
from civiclearn.courses.schema import Bilingual, Problem
from civiclearn.courses.sources import CourseSource
from civiclearn.courses.yamlfile import LineList, LineMap, YamlError, parse

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TITLE_LENGTH = 300  # characters; the title columns of the course, module, lesson and quiz tables hold no more
LANGUAGE_NAMES = {"th": "Thai (th)", "en": "English (en)"}


class FieldReader:
    """Problems, and the helpers that read one value each and report what is wrong with it."""

    def __init__(self, source: CourseSource):
        self.source = source
        self.problems: list[Problem] = []
        self.used_media: set[str] = set()  # course-relative paths of the images pages show

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.shown(path), line, message))

    def yaml_file(self, path: str, line_offset: int = 0, text: str | None = None) -> LineMap | None:
        """The YAML mapping in `path` (or in `text`, found at `line_offset` lines into `path`)."""
        text = self.source.text(path) if text is None else text
        try:
            data = parse(text or "")
        except YamlError as error:
            self.problem(path, error.line + line_offset, str(error))
            return None
        if not isinstance(data, LineMap):
            self.problem(path, 1 + line_offset, "expected fields such as title: ... (a YAML mapping)")
            return None
        if line_offset:
            _shift_lines(data, line_offset)
        return data

    def fields(self, path: str, data: LineMap, allowed: set[str]) -> None:
        """Report repeated and unknown fields: a typo must not silently drop a field."""
        for key, line in data.repeated_keys:
            self.problem(path, line, f'duplicate key "{key}"')
        for key in data:
            if key not in allowed:
                self.problem(path, data.line_of(key),
                             f'unknown field "{key}" (expected one of: {", ".join(sorted(allowed))})')

    def mapping(self, path: str, line: int, value, what: str, allowed: set[str]) -> LineMap | None:
        """A nested mapping (such as one reference or one activity item), its fields checked."""
        if not isinstance(value, LineMap):
            self.problem(path, line, f"{what} must have fields: {', '.join(sorted(allowed))}")
            return None
        self.fields(path, value, allowed)
        return value

    def items(self, path: str, data: LineMap, key: str, what: str, required: bool = False) -> list[tuple[object, int]]:
        """The items of a list field with their lines; a missing optional list is empty."""
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, LineList) or (required and not value):
            self.problem(path, data.line_of(key), f"{key} must list at least one {what}" if required
                         else f"{key} must be a list of {what}s")
            return []
        return list(zip(value, value.item_lines, strict=True))

    def entries(self, path: str, data: LineMap, key: str, what: str, allowed: set[str],
                within: str | None = None, required: bool = True) -> tuple[list[tuple[str, LineMap]], int]:
        """A list of mappings that each have a unique `id`: the valid ones as (id, mapping), and how many
        items the list had (fewer valid than that means problems were reported)."""
        raw = self.items(path, data, key, what, required)
        seen: dict[str, int] = {}
        found = []
        for item, line in raw:
            entry = self.mapping(path, line, item, f"a {what}", allowed)
            item_key = entry and self.unique_id(path, entry, what, seen, within or f"is already used in {key}")
            if item_key:
                found.append((item_key, entry))
        return found, len(raw)

    def text(self, path: str, data: LineMap, key: str, what: str | None = None,
             required: bool = True) -> Bilingual | None:
        """A bilingual text: a mapping with non-empty th and en. A missing optional one is None, and no problem."""
        what = what or key
        if (key not in data or data[key] is None) and not required:
            return None
        if key not in data or data[key] is None:
            self.problem(path, data.line_of(key), f"missing {what} (needs th and en)")
            return None
        return self.bilingual(path, data.line_of(key), data[key], what)

    def title(self, path: str, data: LineMap) -> Bilingual | None:
        """The required title of a course, module, lesson or quiz, short enough for its database row."""
        title = self.text(path, data, "title")
        if title and max(len(title.th), len(title.en)) > TITLE_LENGTH:
            self.problem(path, data.line_of("title"), f"title is longer than {TITLE_LENGTH} characters: shorten it")
            return None
        return title

    def bilingual(self, path: str, line: int, value, what: str) -> Bilingual | None:
        if not isinstance(value, LineMap):
            self.problem(path, line, f"{what} must have a Thai (th) and an English (en) text")
            return None
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if text is not None and not isinstance(text, str | LineMap | LineList):
                self.problem(path, value.line_of(language),
                             f"{LANGUAGE_NAMES[language]} text in {what} must be text: put it in quotes")
            elif not isinstance(text, str) or not text.strip():
                self.problem(path, value.line_of(language), f"missing {LANGUAGE_NAMES[language]} text in {what}")
            else:
                texts[language] = text.strip()
        for key in value:
            if key not in LANGUAGES:
                self.problem(path, value.line_of(key), f'unknown language "{key}" in {what} (use th and en)')
        return Bilingual(**texts) if len(texts) == len(LANGUAGES) else None

    def bilingual_list(self, path: str, data: LineMap, key: str, what: str, required: bool = False) -> list[Bilingual]:
        found = [self.bilingual(path, line, item, what) for item, line in self.items(path, data, key, what, required)]
        return [text for text in found if text]

    def plain(self, path: str, data: LineMap, key: str, required: bool = True) -> str | None:
        """A one-language text, such as the title of a source in the language it was published in."""
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            self.problem(path, data.line_of(key), f"missing {key} (a text)")
            return None
        return str(value).strip()

    def integer(self, path: str, data: LineMap, key: str, low: int, high: int,
                default: int | None = None) -> int | None:
        value = data.get(key, default)
        if value is None:
            self.problem(path, data.line_of(key), f"missing {key} (a whole number from {low} to {high})")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, data.line_of(key), f"{key} must be a whole number from {low} to {high}")
            return None
        return value

    def day(self, path: str, data: LineMap, key: str, required: bool = True) -> date | None:
        """A date written as YYYY-MM-DD, not in the future."""
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, date) or value > date.today():
            self.problem(path, data.line_of(key), f"{key} must be a date written YYYY-MM-DD, not in the future")
            return None
        return value

    def strings(self, path: str, data: LineMap, key: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, LineList) or not all(isinstance(item, str) and item.strip() for item in value):
            self.problem(path, data.line_of(key), f"{key} must be a list of texts")
            return []
        return [item.strip() for item in value]

    def id_list(self, path: str, data: LineMap, key: str, what: str) -> list[tuple[str, int]]:
        """A required, non-empty list of ids, each with its line."""
        return [(item, line) for item, line in self.items(path, data, key, f"{what} id", required=True)
                if self.valid_id(path, line, item, what)]

    def valid_id(self, path: str, line: int, value, what: str) -> bool:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(path, line, f"{what} id {value!r} must be lower-case letters, digits and dashes "
                                     "(put it in quotes if YAML reads it as a number or yes/no)")
            return False
        return True

    def unique_id(self, path: str, data: LineMap, what: str, seen: dict[str, int], within: str) -> str | None:
        """The `id` of an item, reported if invalid or already used (`within` names where ids are unique)."""
        key = data.get("id")
        line = data.line_of("id")
        if not self.valid_id(path, line, key, what):
            return None
        if key in seen:
            self.problem(path, line, f'duplicate id: {what} "{key}" {within} (line {seen[key]})')
            return None
        seen[key] = line
        return key


def _shift_lines(data, offset: int) -> None:
    """Move every recorded line by `offset` (front matter starts below the --- line)."""
    if isinstance(data, LineMap):
        data.line += offset
        data.key_lines = {key: line + offset for key, line in data.key_lines.items()}
        data.repeated_keys = [(key, line + offset) for key, line in data.repeated_keys]
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [line + offset for line in data.item_lines]
        for value in data:
            _shift_lines(value, offset)
