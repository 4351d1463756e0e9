"""The course tree as the app uses it: read-only objects built from validated course files."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

QUESTION_KINDS = ("single", "multiple", "true_false")
# Characters one cannot see or print: control and format characters (such as right-to-left marks),
# line breaks, and the bytes of a file name that is not UTF-8 (Python's surrogateescape).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
THAI_SCRIPT = re.compile(r"[\u0e00-\u0e7f]")


def printable(text: str) -> str:
    """`text` with hidden characters written as escapes (\\x1b, \\u202e), so one sees what is there."""
    return "".join(_escape(char) if unicodedata.category(char) in HIDDEN_CATEGORIES else char for char in text)


def has_thai(text: str) -> bool:
    return THAI_SCRIPT.search(text) is not None


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


@dataclass(frozen=True)
class Bilingual:
    """A text in Thai and English; every user-facing text in a course is one of these."""

    th: str
    en: str

    def in_language(self, language: str) -> str:
        """The text in `language`, Thai when the language is not one we ship."""
        return self.en if language == "en" else self.th


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a course file, printed as path:line: message on one line, whatever the file holds."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.message}")


@dataclass(eq=False)
class Choice:
    key: str
    text: Bilingual | None  # None for true/false, whose labels come from the UI catalogue
    correct: bool
    explanation: Bilingual


@dataclass(eq=False)
class Question:
    key: str
    kind: str
    prompt: Bilingual
    choices: list[Choice]
    line: int = 1  # in its quiz file, for the checker's warnings

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(choice.key for choice in self.choices if choice.correct)

    def choice(self, key: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.key == key), None)


@dataclass(eq=False)
class Quiz:
    key: str
    title: Bilingual
    pass_mark: int
    questions: list[Question]
    source_path: str = ""  # relative to the course folder
    module: "Module" = field(init=False, repr=False)
    id: int | None = None  # database row id, set when the course is served

    def question(self, key: str) -> Question | None:
        return next((question for question in self.questions if question.key == key), None)


@dataclass(frozen=True)
class Activity:
    """A practice activity: its type (a key of civiclearn.courses.activities.ACTIVITY_TYPES) and what the type read."""

    kind: str
    spec: object


@dataclass(eq=False)
class Lesson:
    key: str
    title: Bilingual
    minutes: int
    body: Bilingual  # Markdown source in each language
    source_path: str  # relative to the course folder; image paths resolve from here
    activity: "Activity | None" = None  # a practice activity, done on the lesson page
    module: "Module" = field(init=False, repr=False)
    id: int | None = None
    rendered: dict = field(default_factory=dict, repr=False)  # (language, media prefix) -> Markup


@dataclass(frozen=True)
class PlanStep:
    minutes: int
    step: Bilingual


@dataclass(eq=False)
class TeacherGuide:
    """For the teacher or trainer who runs a module as a class session, at a centre or in a school period."""

    plan: list[PlanStep]  # a session at a community digital centre: adds up to 45 minutes
    discussion: list[Bilingual]
    handout: Bilingual  # Markdown, printed for learners
    source_path: str  # relative to the course folder; image paths resolve from here
    goal: Bilingual | None = None  # the one goal of the session, the same in both plans
    school_plan: list[PlanStep] = field(default_factory=list)  # a school period: adds up to 50 minutes, or none
    rendered: dict = field(default_factory=dict, repr=False)  # (language, mount prefix) -> handout HTML
    pdfs: dict = field(default_factory=dict, repr=False)  # (language, mount prefix) -> handout PDF bytes


@dataclass(frozen=True)
class Reference:
    """A source of the facts a module teaches.

    `language` is the language it was published in. A title or source name given in one language
    only is the same text on Thai and English pages; a Thai source always has its Thai title.
    """

    title: Bilingual
    source: Bilingual
    language: str
    date: str | None = None
    url: str | None = None

    def title_language(self, language: str) -> str:
        """The language of the title shown on a page in `language`: the page's, when it was translated."""
        return self.language if self.title.th == self.title.en else language

    def in_other_language(self, language: str) -> bool:
        """Whether a reader of a page in `language` should be told the source is in another language."""
        return self.language != language


@dataclass(eq=False)
class Module:
    key: str
    title: Bilingual
    summary: Bilingual
    objectives: list[Bilingual]
    competences: list[str]
    lessons: list[Lesson]
    quiz: Quiz | None
    references: list[Reference] = field(default_factory=list)
    facts_checked: date | None = None
    guide: TeacherGuide | None = None
    course: "Course" = field(init=False, repr=False)
    id: int | None = None

    def __post_init__(self):
        for lesson in self.lessons:
            lesson.module = self
        if self.quiz:
            self.quiz.module = self

    @property
    def position(self) -> int:
        """1-based position in the course, as learners count modules."""
        return self.course.modules.index(self) + 1

    def lesson(self, key: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def previous_lesson(self, lesson: Lesson) -> Lesson | None:
        index = self.lessons.index(lesson)
        return self.lessons[index - 1] if index > 0 else None


@dataclass(frozen=True)
class LeaderPathway:
    """How a learner becomes a Digital Citizen Leader; the certificates feature enforces it."""

    entry_course: str  # the course whose modules open the pathway
    entry_modules: list[str]
    min_score: int  # percent, on each entry module's quiz
    sessions: int  # practicum: sessions the leader runs
    mentees: int  # practicum: people mentored through the mentee modules
    mentee_modules: list[str]
    description: Bilingual
    valid_years: int  # the leader certificate expires after this many years
    line: int = 1  # in course.yml, for problems found across courses


@dataclass(eq=False)
class Course:
    key: str
    title: Bilingual
    summary: Bilingual
    audience: Bilingual
    competences: list[str]
    pass_mark: int
    order: int
    modules: list[Module]
    source_hash: str = ""
    leader_pathway: LeaderPathway | None = None
    version: int = 0
    media_dir: str = ""  # the folder the course was loaded from
    media: dict[str, str] = field(default_factory=dict)  # image path -> digest of its content
    id: int | None = None

    def __post_init__(self):
        for module in self.modules:
            module.course = self

    def module(self, key: str) -> Module | None:
        return next((module for module in self.modules if module.key == key), None)

    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    def quizzes(self) -> list[Quiz]:
        return [module.quiz for module in self.modules if module.quiz]
