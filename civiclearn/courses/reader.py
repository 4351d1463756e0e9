"""Read a course's files into a Course, collecting every problem as path:line: message.

The format is documented in docs/content-format.md; keep the two in step.
"""

import posixpath
import re
from urllib.parse import unquote, urlsplit

from civiclearn.courses import markdown
from civiclearn.courses.schema import (
    LANGUAGES, QUESTION_KINDS, Bilingual, Choice, Course, Lesson, Module, Problem, Question, Quiz,
)
from civiclearn.courses.sources import COURSE_FILE, CourseSource
from civiclearn.courses.yamlfile import LineList, LineMap, YamlError, parse

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED_MODULE_IDS = frozenset({"media"})  # would clash with /courses/<course>/media/...
RESERVED_LESSON_IDS = frozenset({"quiz", "done"})  # would clash with /courses/<c>/<m>/quiz and /done
LANGUAGE_NAMES = {"th": "Thai (th)", "en": "English (en)"}
SECTION_OPEN = re.compile(r"^:::\s*([a-zA-Z-]+)\s*$")
SECTION_CLOSE = ":::"
DEFAULT_MINUTES = 5
IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})

COURSE_FIELDS = {"title", "summary", "audience", "competences", "pass_mark", "order", "modules"}
MODULE_FIELDS = {"title", "summary", "objectives", "competences", "lessons", "quiz"}
LESSON_FIELDS = {"title", "minutes"}
QUIZ_FIELDS = {"title", "pass_mark", "questions"}
QUESTION_FIELDS = {"id", "type", "prompt", "choices", "answer", "explanations"}
CHOICE_FIELDS = {"id", "text", "correct", "explanation"}


class _Reader:
    """Reads one course, keeping the problems it meets; knows the format, not the database."""

    def __init__(self, source: CourseSource):
        self.source = source
        self.problems: list[Problem] = []
        self.used_media: set[str] = set()  # course-relative paths of the images lessons show

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.shown(path), line, message))

    # -- files -------------------------------------------------------------------------------

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
                self.problem(path, data.line_of(key), f'unknown field "{key}" (expected one of: {", ".join(sorted(allowed))})')

    # -- values ------------------------------------------------------------------------------

    def text(self, path: str, data: LineMap, key: str, what: str | None = None) -> Bilingual | None:
        """A required bilingual text: a mapping with non-empty th and en."""
        what = what or key
        if key not in data or data[key] is None:
            self.problem(path, data.line_of(key), f"missing {what} (needs th and en)")
            return None
        return self.bilingual(path, data.line_of(key), data[key], what)

    def bilingual(self, path: str, line: int, value, what: str) -> Bilingual | None:
        if not isinstance(value, LineMap):
            self.problem(path, line, f"{what} must have a Thai (th) and an English (en) text")
            return None
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if text is not None and not isinstance(text, str | LineMap | LineList):
                self.problem(path, value.line_of(language), f"{LANGUAGE_NAMES[language]} text in {what} must be text: put it in quotes")
            elif not isinstance(text, str) or not text.strip():
                self.problem(path, value.line_of(language), f"missing {LANGUAGE_NAMES[language]} text in {what}")
            else:
                texts[language] = text.strip()
        for key in value:
            if key not in LANGUAGES:
                self.problem(path, value.line_of(key), f'unknown language "{key}" in {what} (use th and en)')
        return Bilingual(**texts) if len(texts) == len(LANGUAGES) else None

    def integer(self, path: str, data: LineMap, key: str, low: int, high: int, default: int | None = None) -> int | None:
        value = data.get(key, default)
        if value is None:
            self.problem(path, data.line_of(key), f"missing {key} (a whole number from {low} to {high})")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, data.line_of(key), f"{key} must be a whole number from {low} to {high}")
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
        value = data.get(key)
        if not isinstance(value, LineList) or not value:
            self.problem(path, data.line_of(key), f"{key} must list at least one {what} id")
            return []
        ids = []
        for item, line in zip(value, value.item_lines, strict=True):
            if self.valid_id(path, line, item, what):
                ids.append((item, line))
        return ids

    def valid_id(self, path: str, line: int, value, what: str) -> bool:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(path, line, f"{what} id {value!r} must be lower-case letters, digits and dashes (put it in quotes if YAML reads it as a number or yes/no)")
            return False
        return True

    # -- the course --------------------------------------------------------------------------

    def course(self) -> Course | None:
        for path in self.source.not_utf8:
            self.problem(path, 1, "file is not UTF-8 text")
        if self.source.text(COURSE_FILE) is None:
            self.problem(COURSE_FILE, 1, "missing course.yml")
            return None
        data = self.yaml_file(COURSE_FILE)
        if data is None:
            return None
        self.fields(COURSE_FILE, data, COURSE_FIELDS)
        if not ID_PATTERN.match(self.source.key):
            self.problem(COURSE_FILE, 1, f"course folder name {self.source.key!r} must be lower-case letters, digits and dashes")
        title = self.text(COURSE_FILE, data, "title")
        summary = self.text(COURSE_FILE, data, "summary")
        audience = self.text(COURSE_FILE, data, "audience")
        competences = self.strings(COURSE_FILE, data, "competences")
        pass_mark = self.integer(COURSE_FILE, data, "pass_mark", 0, 100)
        order = self.integer(COURSE_FILE, data, "order", 0, 10000, default=100)
        modules = []
        seen_modules: dict[str, int] = {}
        lesson_homes: dict[str, str] = {}
        for key, line in self.id_list(COURSE_FILE, data, "modules", "module"):
            if key in seen_modules:
                self.problem(COURSE_FILE, line, f'duplicate id: module "{key}" is already listed on line {seen_modules[key]}')
                continue
            seen_modules[key] = line
            if key in RESERVED_MODULE_IDS:
                self.problem(COURSE_FILE, line, f'module id "{key}" is reserved; choose another')
                continue
            if self.source.text(f"{key}/module.yml") is None:
                self.problem(COURSE_FILE, line, f'unknown reference: module "{key}" has no file {key}/module.yml')
                continue
            module = self.module(key, lesson_homes, pass_mark)
            if module:
                modules.append(module)
        self.unlisted(seen_modules, lesson_homes)
        self.unused_media()
        if self.problems or None in (title, summary, audience, pass_mark, order):
            return None
        return Course(self.source.key, title, summary, audience, competences, pass_mark, order, modules,
                      source_hash=self.source.content_hash(),
                      media={path: self.source.media[path] for path in sorted(self.used_media)})

    def unlisted(self, modules: dict[str, int], lesson_homes: dict[str, str]) -> None:
        """Report module folders and lesson files that no list names: they would silently not be served."""
        for path in self.source.files:
            folder, _, name = path.rpartition("/")
            if name == "module.yml" and "/" not in folder and folder not in modules:
                self.problem(path, 1, f'module folder "{folder}" is not listed in course.yml: add it to modules, or remove the folder')
            elif name.endswith(".md") and folder in modules and lesson_homes.get(name[:-3]) != folder:
                self.problem(path, 1, f"lesson file {name} is not listed in {folder}/module.yml: add it to lessons, or remove the file")

    def unused_media(self) -> None:
        """Report files no lesson shows: everything in a course folder may end up public."""
        for path in self.source.media:
            if path not in self.used_media:
                self.problem(path, 1, "file is not used by any lesson: move it out of the course folder")

    def module(self, key: str, lesson_homes: dict[str, str], course_pass_mark: int | None) -> Module | None:
        path = f"{key}/module.yml"
        data = self.yaml_file(path)
        if data is None:
            return None
        self.fields(path, data, MODULE_FIELDS)
        title = self.text(path, data, "title")
        summary = self.text(path, data, "summary")
        objectives = self.objectives(path, data)
        competences = self.strings(path, data, "competences")
        lessons = []
        for lesson_key, line in self.id_list(path, data, "lessons", "lesson"):
            if lesson_key in lesson_homes:
                self.problem(path, line, f'duplicate id: lesson "{lesson_key}" is already in module "{lesson_homes[lesson_key]}"')
                continue
            lesson_homes[lesson_key] = key
            if lesson_key in RESERVED_LESSON_IDS:
                self.problem(path, line, f'lesson id "{lesson_key}" is reserved; choose another')
                continue
            lesson_path = f"{key}/{lesson_key}.md"
            if self.source.text(lesson_path) is None:
                self.problem(path, line, f'unknown reference: lesson "{lesson_key}" has no file {lesson_path}')
                continue
            lesson = self.lesson(lesson_key, lesson_path)
            if lesson:
                lessons.append(lesson)
        quiz = None
        if "quiz" in data:
            quiz_file = data["quiz"]
            quiz_path = f"{key}/{quiz_file}" if isinstance(quiz_file, str) else None
            if quiz_path is None or self.source.text(quiz_path) is None:
                self.problem(path, data.line_of("quiz"), f"unknown reference: quiz file {quiz_file!r} is not in {key}/")
            else:
                quiz = self.quiz(key, quiz_path, course_pass_mark)
        if None in (title, summary):
            return None
        return Module(key, title, summary, objectives, competences, lessons, quiz)

    def objectives(self, path: str, data: LineMap) -> list[Bilingual]:
        value = data.get("objectives")
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.problem(path, data.line_of("objectives"), "objectives must be a list of th/en texts")
            return []
        found = (self.bilingual(path, line, item, "objective") for item, line in zip(value, value.item_lines, strict=True))
        return [objective for objective in found if objective]

    # -- lessons -----------------------------------------------------------------------------

    def lesson(self, key: str, path: str) -> Lesson | None:
        lines = self.source.text(path).splitlines()
        if not lines or lines[0].strip() != "---":
            self.problem(path, 1, "a lesson starts with front matter: a line ---, title: with th and en, then ---")
            return None
        end = next((index for index in range(1, len(lines)) if lines[index].strip() == "---"), None)
        if end is None:
            self.problem(path, 1, "front matter is not closed: add a line --- after it")
            return None
        data = self.yaml_file(path, line_offset=1, text="\n".join(lines[1:end]))
        if data is None:
            return None
        self.fields(path, data, LESSON_FIELDS)
        title = self.text(path, data, "title")
        minutes = self.integer(path, data, "minutes", 1, 60, default=DEFAULT_MINUTES)
        body = self.sections(path, lines, end + 1)
        if None in (title, minutes, body):
            return None
        return Lesson(key, title, minutes, body, path)

    def sections(self, path: str, lines: list[str], start: int) -> Bilingual | None:
        """Split a lesson body into its ::: th and ::: en sections and check each."""
        texts: dict[str, str] = {}
        language, first_line, collected = None, 0, []
        for index in range(start, len(lines)):
            line = lines[index]
            opening = SECTION_OPEN.match(line.strip())
            if language is None:
                if opening:
                    language, first_line, collected = opening.group(1), index + 1, []
                    if language not in LANGUAGES:
                        self.problem(path, index + 1, f'unknown language section "{language}" (use ::: th or ::: en)')
                    elif language in texts:
                        self.problem(path, index + 1, f"duplicate section: {LANGUAGE_NAMES[language]} appears twice")
                elif line.strip():
                    self.problem(path, index + 1, "text outside a ::: th or ::: en section")
            elif line.strip() == SECTION_CLOSE:
                if language in LANGUAGES and language not in texts:
                    texts[language] = "\n".join(collected)
                    self.check_markdown(path, first_line, texts[language], language)
                language = None
            else:
                collected.append(line)
        if language is not None:
            self.problem(path, first_line, f'section "{language}" is not closed: add a line ::: after it')
        for missing in (lang for lang in LANGUAGES if not texts.get(lang, "").strip()):
            self.problem(path, start + 1, f"missing {LANGUAGE_NAMES[missing]} text: add a ::: {missing} section")
        return Bilingual(**texts) if all(texts.get(lang, "").strip() for lang in LANGUAGES) else None

    def check_markdown(self, path: str, first_line: int, text: str, language: str) -> None:
        """Report unsafe HTML, title headings and images that are missing or lack alt text."""
        found = markdown.inspect(text)
        for line, refusal in found.unsafe_html:
            self.problem(path, first_line + line + 1, f"unsafe HTML: {refusal}")
        for line in found.title_headings:
            self.problem(path, first_line + line + 1, "a level-1 heading (#) would repeat the lesson title; use ## and below")
        for image in found.images:
            line = first_line + image.line + 1
            if not image.alt:
                self.problem(path, line, f"image {image.src} has no {LANGUAGE_NAMES[language]} alt text: describe it in ![...]")
            target = image_path(path, image.src)
            if target is None:
                self.problem(path, line, f"image {image.src} must be a file in the course folder, not a web address or a path outside it")
            elif posixpath.splitext(target)[1].lower() not in IMAGE_SUFFIXES:
                self.problem(path, line, f"image {image.src} is not a picture file ({', '.join(sorted(IMAGE_SUFFIXES))})")
            elif not self.source.has_media(target):
                self.problem(path, line, f"missing image: {image.src} (looked for {self.source.shown(target)})")
            else:
                self.used_media.add(target)

    # -- quizzes -----------------------------------------------------------------------------

    def quiz(self, key: str, path: str, course_pass_mark: int | None) -> Quiz | None:
        data = self.yaml_file(path)
        if data is None:
            return None
        self.fields(path, data, QUIZ_FIELDS)
        title = self.text(path, data, "title")
        pass_mark = self.integer(path, data, "pass_mark", 0, 100, default=course_pass_mark or 0)
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, LineList) or not raw_questions:
            self.problem(path, data.line_of("questions"), "questions must list at least one question")
            return None
        questions, seen = [], {}
        for item, line in zip(raw_questions, raw_questions.item_lines, strict=True):
            question = self.question(path, line, item, seen)
            if question:
                questions.append(question)
        if None in (title, pass_mark) or len(questions) != len(raw_questions):
            return None
        return Quiz(key, title, pass_mark, questions)

    def question(self, path: str, line: int, data, seen: dict[str, int]) -> Question | None:
        if not isinstance(data, LineMap):
            self.problem(path, line, "a question needs id, type, prompt and choices")
            return None
        self.fields(path, data, QUESTION_FIELDS)
        key = data.get("id")
        if not self.valid_id(path, data.line_of("id"), key, "question"):
            return None
        if key in seen:
            self.problem(path, data.line_of("id"), f'duplicate id: question "{key}" is already on line {seen[key]}')
            return None
        seen[key] = data.line_of("id")
        kind = data.get("type")
        if kind not in QUESTION_KINDS:
            self.problem(path, data.line_of("type"), f'question "{key}": type must be one of {", ".join(QUESTION_KINDS)}')
            return None
        for name in (("choices",) if kind == "true_false" else ("answer", "explanations")):
            if name in data:
                other = "single or multiple" if kind == "true_false" else "true_false"
                self.problem(path, data.line_of(name), f'question "{key}": {name} belongs to {other} questions, not {kind}')
        prompt = self.text(path, data, "prompt", f'prompt of question "{key}"')
        choices = self.true_false(path, key, data) if kind == "true_false" else self.choices(path, key, kind, data)
        if prompt is None or choices is None:
            return None
        return Question(key, kind, prompt, choices)

    def choices(self, path: str, question: str, kind: str, data: LineMap) -> list[Choice] | None:
        raw = data.get("choices")
        if not isinstance(raw, LineList) or len(raw) < 2:
            self.problem(path, data.line_of("choices"), f'question "{question}" needs at least two choices')
            return None
        choices, seen = [], set()
        for item, line in zip(raw, raw.item_lines, strict=True):
            if not isinstance(item, LineMap):
                self.problem(path, line, "a choice needs id, text and explanation")
                continue
            self.fields(path, item, CHOICE_FIELDS)
            key = item.get("id")
            if not self.valid_id(path, item.line_of("id"), key, "choice"):
                continue
            if key in seen:
                self.problem(path, item.line_of("id"), f'duplicate id: choice "{key}" appears twice in question "{question}"')
                continue
            seen.add(key)
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                self.problem(path, item.line_of("correct"), "correct must be true or false")
            text = self.text(path, item, "text", f'text of choice "{key}"')
            explanation = self.text(path, item, "explanation", f'explanation of choice "{key}"')
            if text and explanation and isinstance(correct, bool):
                choices.append(Choice(key, text, correct, explanation))
        correct_count = sum(1 for item in raw if isinstance(item, LineMap) and item.get("correct") is True)
        if correct_count == 0:
            self.problem(path, data.line_of("choices"), f'question "{question}" has no correct answer: mark one choice with correct: true')
            return None
        if kind == "single" and correct_count > 1:
            self.problem(path, data.line_of("choices"), f'question "{question}" is single choice but has {correct_count} correct choices (use type: multiple)')
            return None
        return choices if len(choices) == len(raw) else None

    def true_false(self, path: str, question: str, data: LineMap) -> list[Choice] | None:
        answer = data.get("answer")
        if not isinstance(answer, bool):
            self.problem(path, data.line_of("answer"), f'question "{question}" has no correct answer: set answer: true or answer: false')
            return None
        explanations = data.get("explanations")
        if not isinstance(explanations, LineMap):
            self.problem(path, data.line_of("explanations"), f'question "{question}" needs explanations for true and for false')
            return None
        for key in explanations:
            if key not in (True, False, "true", "false"):
                self.problem(path, explanations.line_of(key), f'question "{question}": explanations has only true and false, not "{key}"')
        choices = []
        for value in (True, False):
            name = "true" if value else "false"
            given = value if value in explanations else name  # YAML reads true: as a boolean key
            if given not in explanations:
                self.problem(path, explanations.line, f'question "{question}" needs an explanation for answer {name}')
                continue
            explanation = self.bilingual(path, explanations.line_of(given), explanations[given], f"explanation of {name}")
            if explanation:
                choices.append(Choice(name, None, value == answer, explanation))
        return choices if len(choices) == 2 else None


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


def image_path(lesson_path: str, src: str) -> str | None:
    """The course-relative path of an image written in a lesson, or None if it points outside the course."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path or src.startswith("/"):
        return None
    written = unquote(parts.path)  # Markdown percent-encodes spaces and Thai letters in paths
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(lesson_path), written))
    return None if resolved.startswith("../") or resolved == ".." else resolved


def read_course(source: CourseSource) -> tuple[Course | None, list[Problem]]:
    """The course in `source`, or None with the problems that stop it from loading."""
    reader = _Reader(source)
    course = reader.course()
    return (course if not reader.problems else None), reader.problems
