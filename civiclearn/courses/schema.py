"""The course tree as the app uses it: read-only objects built from validated course files."""

from dataclasses import dataclass, field

from civiclearn.config import LANGUAGES  # the languages of the UI are the languages of content

QUESTION_KINDS = ("single", "multiple", "true_false")


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
    """One thing wrong in a course file, printed as path:line: message."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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
    module: "Module" = field(init=False, repr=False)
    id: int | None = None  # database row id, set when the course is served

    def question(self, key: str) -> Question | None:
        return next((question for question in self.questions if question.key == key), None)


@dataclass(eq=False)
class Lesson:
    key: str
    title: Bilingual
    minutes: int
    body: Bilingual  # Markdown source in each language
    source_path: str  # relative to the course folder; image paths resolve from here
    module: "Module" = field(init=False, repr=False)
    id: int | None = None
    rendered: dict = field(default_factory=dict, repr=False)  # (language, media prefix) -> Markup


@dataclass(eq=False)
class Module:
    key: str
    title: Bilingual
    summary: Bilingual
    objectives: list[Bilingual]
    competences: list[str]
    lessons: list[Lesson]
    quiz: Quiz | None
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
