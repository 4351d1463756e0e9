"""Quiz files: questions of three kinds, each choice with the reason it is right or wrong."""

from civiclearn.courses.fields import FieldReader
from civiclearn.courses.schema import QUESTION_KINDS, Choice, Question, Quiz
from civiclearn.courses.yamlfile import LineMap

QUIZ_FIELDS = {"title", "pass_mark", "questions"}
QUESTION_FIELDS = {"id", "type", "prompt", "choices", "answer", "explanations"}
CHOICE_FIELDS = {"id", "text", "correct", "explanation"}


def read_quiz(reader: FieldReader, key: str, path: str, course_pass_mark: int | None,
              min_questions: int = 1) -> Quiz | None:
    data = reader.yaml_file(path)
    if data is None:
        return None
    reader.fields(path, data, QUIZ_FIELDS)
    title = reader.title(path, data)
    pass_mark = reader.integer(path, data, "pass_mark", 0, 100, default=course_pass_mark or 0)
    raw = reader.items(path, data, "questions", "question", required=True)
    if raw and len(raw) < min_questions:
        reader.problem(path, data.line_of("questions"), f"this course needs at least {min_questions} questions per quiz")
    seen: dict[str, int] = {}
    questions = [question for item, line in raw if (question := _question(reader, path, line, item, seen))]
    if None in (title, pass_mark) or not raw or len(questions) != len(raw):
        return None
    return Quiz(key, title, pass_mark, questions, path)


def _question(reader: FieldReader, path: str, line: int, item, seen: dict[str, int]) -> Question | None:
    data = reader.mapping(path, line, item, "a question", QUESTION_FIELDS)
    if data is None:
        return None
    key = reader.unique_id(path, data, "question", seen, "is already used in this quiz")
    if key is None:
        return None
    kind = data.get("type")
    if kind not in QUESTION_KINDS:
        reader.problem(path, data.line_of("type"), f'question "{key}": type must be one of {", ".join(QUESTION_KINDS)}')
        return None
    for name in (("choices",) if kind == "true_false" else ("answer", "explanations")):
        if name in data:
            other = "single or multiple" if kind == "true_false" else "true_false"
            reader.problem(path, data.line_of(name), f'question "{key}": {name} belongs to {other} questions, not {kind}')
    prompt = reader.text(path, data, "prompt", f'prompt of question "{key}"')
    choices = _true_false(reader, path, key, data) if kind == "true_false" else _choices(reader, path, key, kind, data)
    if prompt is None or choices is None:
        return None
    return Question(key, kind, prompt, choices, line)


def _choices(reader: FieldReader, path: str, question: str, kind: str, data: LineMap) -> list[Choice] | None:
    """The choices of a single or multiple question, with the right number of correct ones."""
    entries, count = reader.entries(path, data, "choices", "choice", CHOICE_FIELDS,
                                    f'is already used in question "{question}"', required=False)
    if count < 2:
        reader.problem(path, data.line_of("choices"), f'question "{question}" needs at least two choices')
        return None
    choices = []
    for key, choice in entries:
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            reader.problem(path, choice.line_of("correct"), "correct must be true or false")
        text = reader.text(path, choice, "text", f'text of choice "{key}"')
        explanation = reader.text(path, choice, "explanation", f'explanation of choice "{key}"')
        if text and explanation and isinstance(correct, bool):
            choices.append(Choice(key, text, correct, explanation))
    raw = data.get("choices")
    correct_count = sum(1 for item in raw if isinstance(item, LineMap) and item.get("correct") is True)
    if correct_count == 0:
        reader.problem(path, data.line_of("choices"), f'question "{question}" has no correct answer: mark one choice with correct: true')
        return None
    if kind == "single" and correct_count > 1:
        reader.problem(path, data.line_of("choices"), f'question "{question}" is single choice but has {correct_count} correct choices (use type: multiple)')
        return None
    return choices if len(choices) == count else None


def _true_false(reader: FieldReader, path: str, question: str, data: LineMap) -> list[Choice] | None:
    answer = data.get("answer")
    if not isinstance(answer, bool):
        reader.problem(path, data.line_of("answer"), f'question "{question}" has no correct answer: set answer: true or answer: false')
        return None
    explanations = data.get("explanations")
    if not isinstance(explanations, LineMap):
        reader.problem(path, data.line_of("explanations"), f'question "{question}" needs explanations for true and for false')
        return None
    for key in explanations:
        if key not in (True, False, "true", "false"):
            reader.problem(path, explanations.line_of(key), f'question "{question}": explanations has only true and false, not "{key}"')
    choices = []
    for value in (True, False):
        name = "true" if value else "false"
        given = value if value in explanations else name  # YAML reads true: as a boolean key
        if given not in explanations:
            reader.problem(path, explanations.line, f'question "{question}" needs an explanation for answer {name}')
            continue
        explanation = reader.bilingual(path, explanations.line_of(given), explanations[given], f"explanation of {name}")
        if explanation:
            choices.append(Choice(name, None, value == answer, explanation))
    return choices if len(choices) == 2 else None
