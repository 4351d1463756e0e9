"""Read a course's files into a Course, collecting every problem as path:line: message.

The format is documented in docs/content-format.md; keep the two in step. Values are read by
civiclearn.courses.fields, page files by .pages, quizzes by .quizzes, teacher guides by .guides,
and practice activities by their type in civiclearn.courses.activities.
"""

from civiclearn.config import LANGUAGES
from civiclearn.courses import activities
from civiclearn.courses.competences import code_problem
from civiclearn.courses.fields import ID_PATTERN, FieldReader
from civiclearn.courses.guides import read_guide
from civiclearn.courses.pages import read_page
from civiclearn.courses.quizzes import read_quiz
from civiclearn.courses.schema import (
    Activity,
    Bilingual,
    Course,
    LeaderPathway,
    Lesson,
    Module,
    Problem,
    Reference,
    has_thai,
)
from civiclearn.courses.sources import COURSE_FILE, CourseSource
from civiclearn.courses.yamlfile import LineMap

RESERVED_MODULE_IDS = frozenset({"media"})  # would clash with /courses/<course>/media/...
RESERVED_LESSON_IDS = frozenset({"quiz", "done", "guide", "handout"})  # /courses/<c>/<m>/<these> are pages
DEFAULT_MINUTES = 5
REQUIREMENTS = ("objectives", "references", "teacher_guide", "quiz")

COURSE_FIELDS = {"title", "summary", "audience", "competences", "pass_mark", "order", "modules", "requires",
                 "quiz_questions", "leader_pathway"}
MODULE_FIELDS = {"title", "summary", "objectives", "competences", "lessons", "quiz", "references",
                 "facts_checked", "teacher_guide"}
LESSON_FIELDS = {"title", "minutes", "activity"}
REFERENCE_FIELDS = {"title", "source", "language", "date", "url"}
PATHWAY_FIELDS = {"entry", "practicum", "valid_years"}
ENTRY_FIELDS = {"course", "modules", "min_score"}
PRACTICUM_FIELDS = {"sessions", "mentees", "mentee_modules", "description"}


class _CourseReader(FieldReader):
    """Reads one course: its metadata, modules, lessons, quizzes and guides."""

    def __init__(self, source: CourseSource):
        super().__init__(source)
        self.requires: set[str] = set()
        self.quiz_questions = 1
        self.guide_files: set[str] = set()  # course-relative paths of teacher guides (not lessons)

    def course(self) -> Course | None:
        for path, refusal in self.source.refused.items():
            self.problem(path, 1, refusal)
        if self.source.text(COURSE_FILE) is None:
            if not {"", COURSE_FILE} & self.source.refused.keys():  # else the reason is reported already
                self.problem(COURSE_FILE, 1, "missing course.yml")
            return None
        data = self.yaml_file(COURSE_FILE)
        if data is None:
            return None
        self.fields(COURSE_FILE, data, COURSE_FIELDS)
        if not ID_PATTERN.match(self.source.key):
            self.problem(COURSE_FILE, 1, f'course folder name "{self.source.key}" must be lower-case letters, digits and dashes')
        title = self.title(COURSE_FILE, data)
        summary = self.text(COURSE_FILE, data, "summary")
        audience = self.text(COURSE_FILE, data, "audience")
        competences = self.competences(COURSE_FILE, data)
        pass_mark = self.integer(COURSE_FILE, data, "pass_mark", 0, 100)
        order = self.integer(COURSE_FILE, data, "order", 0, 10000, default=100)
        self.requires = self.requirements(data)
        self.quiz_questions = self.integer(COURSE_FILE, data, "quiz_questions", 1, 100, default=1) or 1
        pathway = self.pathway(data.get("leader_pathway"), data.line_of("leader_pathway"))
        modules, seen_modules, lesson_homes = [], {}, {}
        for key, line in self.id_list(COURSE_FILE, data, "modules", "module"):
            if key in seen_modules:
                self.problem(COURSE_FILE, line, f'duplicate id: module "{key}" is already listed on line {seen_modules[key]}')
                continue
            seen_modules[key] = line
            if key in RESERVED_MODULE_IDS:
                self.problem(COURSE_FILE, line, f'module id "{key}" is reserved; choose another')
            elif self.source.text(f"{key}/module.yml") is None:
                self.problem(COURSE_FILE, line, f'unknown reference: module "{key}" has no file {key}/module.yml')
            elif module := self.module(key, lesson_homes, pass_mark):
                modules.append(module)
        self.unlisted(seen_modules, lesson_homes)
        self.unused_media()
        if self.problems or None in (title, summary, audience, pass_mark, order):
            return None
        return Course(self.source.key, title, summary, audience, competences, pass_mark, order, modules,
                      source_hash=self.source.content_hash(), leader_pathway=pathway,
                      media={path: self.source.media[path] for path in sorted(self.used_media)})

    def requirements(self, data: LineMap) -> set[str]:
        """What every module of this course must have (the curriculum asks for all four)."""
        required = set()
        for item, line in self.items(COURSE_FILE, data, "requires", "requirement"):
            if item not in REQUIREMENTS:
                self.problem(COURSE_FILE, line, f"requires: {item!r} is not one of {', '.join(REQUIREMENTS)}")
            else:
                required.add(item)
        return required

    def competences(self, path: str, data: LineMap) -> list[str]:
        """Competence codes; one that means DigComp must name one of its 21, or it would drop off the curriculum map."""
        found = self.strings(path, data, "competences")
        if found:
            for code, line in zip(found, data["competences"].item_lines, strict=True):
                if problem := code_problem(code):
                    self.problem(path, line, problem)
        return found

    def pathway(self, value, line: int) -> LeaderPathway | None:
        """The Digital Citizen Leader pathway: who may enter, and the practicum a trainer confirms."""
        if value is None:
            return None
        data = self.mapping(COURSE_FILE, line, value, "leader_pathway", PATHWAY_FIELDS)
        entry = data and self.mapping(COURSE_FILE, data.line_of("entry"), data.get("entry"), "entry", ENTRY_FIELDS)
        practicum = data and self.mapping(COURSE_FILE, data.line_of("practicum"), data.get("practicum"), "practicum",
                                          PRACTICUM_FIELDS)
        if not (entry and practicum):
            return None
        course = entry.get("course")
        self.valid_id(COURSE_FILE, entry.line_of("course"), course, "course")
        found = LeaderPathway(
            entry_course=course,
            entry_modules=[key for key, _line in self.id_list(COURSE_FILE, entry, "modules", "module")],
            min_score=self.integer(COURSE_FILE, entry, "min_score", 0, 100),
            sessions=self.integer(COURSE_FILE, practicum, "sessions", 1, 100),
            mentees=self.integer(COURSE_FILE, practicum, "mentees", 1, 1000),
            mentee_modules=[key for key, _line in self.id_list(COURSE_FILE, practicum, "mentee_modules", "module")],
            description=self.text(COURSE_FILE, practicum, "description", "practicum description"),
            valid_years=self.integer(COURSE_FILE, data, "valid_years", 1, 10, default=2),
            line=line,
        )
        return None if None in (found.min_score, found.sessions, found.mentees, found.description) else found

    def unlisted(self, modules: dict[str, int], lesson_homes: dict[str, str]) -> None:
        """Report module folders and lesson files that no list names: they would silently not be served."""
        for path in self.source.files:
            folder, _, name = path.rpartition("/")
            if name == "module.yml" and "/" not in folder and folder not in modules:
                self.problem(path, 1, f'module folder "{folder}" is not listed in course.yml: add it to modules, or remove the folder')
            elif (name.endswith(".md") and folder in modules and lesson_homes.get(name[:-3]) != folder
                  and path not in self.guide_files):
                self.problem(path, 1, f"lesson file {name} is not listed in {folder}/module.yml: add it to lessons, or remove the file")

    def unused_media(self) -> None:
        """Report files no page shows: everything in a course folder may end up public."""
        for path in self.source.media:
            if path not in self.used_media:
                self.problem(path, 1, "file is not used by any lesson: move it out of the course folder")

    def module(self, key: str, lesson_homes: dict[str, str], course_pass_mark: int | None) -> Module | None:
        path = f"{key}/module.yml"
        data = self.yaml_file(path)
        if data is None:
            return None
        self.fields(path, data, MODULE_FIELDS)
        title = self.title(path, data)
        summary = self.text(path, data, "summary")
        objectives = self.bilingual_list(path, data, "objectives", "objective")
        competences = self.competences(path, data)
        references = self.references(path, data)
        facts_checked = self.day(path, data, "facts_checked", required="references" in self.requires)
        lessons = self.lessons(key, path, data, lesson_homes)
        quiz = self.module_file(key, path, data, "quiz", lambda file: read_quiz(
            self, key, file, course_pass_mark, self.quiz_questions))
        guide = self.module_file(key, path, data, "teacher_guide", lambda file: read_guide(
            self, file, school_required="teacher_guide" in self.requires))
        for requirement, present in (("objectives", objectives), ("references", references),
                                     ("teacher_guide", "teacher_guide" in data), ("quiz", "quiz" in data)):
            if requirement in self.requires and not present:
                self.problem(path, 1, f"this course requires {requirement.replace('_', ' ')} in every module: add {requirement}:")
        if None in (title, summary):
            return None
        return Module(key, title, summary, objectives, competences, lessons, quiz, references, facts_checked, guide)

    def lessons(self, key: str, path: str, data: LineMap, lesson_homes: dict[str, str]) -> list[Lesson]:
        lessons = []
        for lesson_key, line in self.id_list(path, data, "lessons", "lesson"):
            if lesson_key in lesson_homes:
                self.problem(path, line, f'duplicate id: lesson "{lesson_key}" is already in module "{lesson_homes[lesson_key]}"')
                continue
            lesson_homes[lesson_key] = key
            lesson_path = f"{key}/{lesson_key}.md"
            if lesson_key in RESERVED_LESSON_IDS:
                self.problem(path, line, f'lesson id "{lesson_key}" is reserved; choose another')
            elif self.source.text(lesson_path) is None:
                self.problem(path, line, f'unknown reference: lesson "{lesson_key}" has no file {lesson_path}')
            elif lesson := self.lesson(lesson_key, lesson_path):
                lessons.append(lesson)
        return lessons

    def module_file(self, key: str, path: str, data: LineMap, field: str, read):
        """Read the file a module field names (its quiz or its teacher guide), if it names one."""
        if field not in data:
            return None
        name = data[field]
        file = f"{key}/{name}" if isinstance(name, str) and "/" not in name else None
        if file is None or self.source.text(file) is None:
            self.problem(path, data.line_of(field), f"unknown reference: {field.replace('_', ' ')} file {name!r} is not in {key}/")
            return None
        if field == "teacher_guide":
            self.guide_files.add(file)
        return read(file)

    def references(self, path: str, data: LineMap) -> list[Reference]:
        found = []
        for item, line in self.items(path, data, "references", "reference"):
            reference = self.mapping(path, line, item, "a reference", REFERENCE_FIELDS)
            if reference is None:
                continue
            url = self.plain(path, reference, "url", required=False)
            if url and not url.startswith(("https://", "http://")):
                self.problem(path, reference.line_of("url"), f"url must start with https:// or http://, not {url!r}")
            title, source = self.name(path, reference, "title"), self.name(path, reference, "source")
            language = self.source_language(path, reference, title)
            if title and source and language:
                date = self.plain(path, reference, "date", required=False)
                found.append(Reference(title, source, language, date, url))
        return found

    def name(self, path: str, data: LineMap, key: str) -> Bilingual | None:
        """A title or source name: one text as published, or a Thai and an English one."""
        if isinstance(data.get(key), LineMap):
            return self.text(path, data, key)
        text = self.plain(path, data, key)
        return Bilingual(text, text) if text else None

    def source_language(self, path: str, reference: LineMap, title: Bilingual | None) -> str | None:
        """The language a source was published in: as given, else Thai when its only title is in Thai.

        A Thai source needs a title in Thai script, so that Thai pages name it as Thai readers will find it.
        """
        given = reference.get("language")
        if given is None:
            if isinstance(reference.get("title"), LineMap):
                self.problem(path, reference.line_of("title"), "a title in Thai and English needs the language "
                             "the source was published in (language: th or en)")
                return None
            return "th" if title and has_thai(title.th) else "en"
        if given not in LANGUAGES:
            self.problem(path, reference.line_of("language"), f"language must be th or en, not {given!r}")
            return None
        if given == "th" and title and not has_thai(title.th):
            self.problem(path, reference.line_of("title"),
                         "a Thai source needs its Thai title: give title as th (the Thai title) and en")
            return None
        return given

    def lesson(self, key: str, path: str) -> Lesson | None:
        page = read_page(self, path, LESSON_FIELDS)
        if page is None:
            return None
        title = self.title(path, page.front)
        minutes = self.integer(path, page.front, "minutes", 1, 60, default=DEFAULT_MINUTES)
        activity = self.activity(path, page.front) if "activity" in page.front else None
        if None in (title, minutes) or ("activity" in page.front and activity is None):
            return None
        return Lesson(key, title, minutes, page.body, path, activity)

    def activity(self, path: str, front: LineMap) -> Activity | None:
        """A practice activity: the `type` picks the reader of the rest, from the registry."""
        data = front["activity"]
        kind = data.get("type") if isinstance(data, LineMap) else None
        activity_type = activities.ACTIVITY_TYPES.get(kind) if isinstance(kind, str) else None
        if activity_type is None:
            self.problem(path, front.line_of("activity"),
                         f"activity needs a type: one of {', '.join(sorted(activities.ACTIVITY_TYPES))}")
            return None
        self.fields(path, data, activity_type.fields | {"type"})
        spec = activity_type.read(self, path, data)
        return Activity(kind, spec) if spec is not None else None


def read_course(source: CourseSource) -> tuple[Course | None, list[Problem]]:
    """The course in `source`, or None with the problems that stop it from loading."""
    reader = _CourseReader(source)
    course = reader.course()
    return (course if not reader.problems else None), reader.problems


def check_pathway(course: Course, courses: dict[str, Course], broken: set[str], shown: str) -> list[Problem]:
    """A leader pathway's entry course and modules must exist among the good courses read with it
    (`broken` are the keys of those read with problems)."""
    pathway = course.leader_pathway
    if pathway is None:
        return []
    entry = courses.get(pathway.entry_course)
    if entry is None and pathway.entry_course in broken:
        return [Problem(shown, pathway.line, f'leader pathway entry course "{pathway.entry_course}" has problems '
                                             "(listed with its files), so this course cannot be checked against it: fix that course first")]
    if entry is None:
        return [Problem(shown, pathway.line, f'unknown reference: leader pathway entry course "{pathway.entry_course}"')]
    known = {module.key for module in entry.modules}
    return [Problem(shown, pathway.line, f'unknown reference: module "{key}" is not in course "{entry.key}"')
            for key in [*pathway.entry_modules, *pathway.mentee_modules] if key not in known]

