"""Whether a course's quizzes test understanding rather than test-taking tricks.

A learner who has not read the lessons can still score well when the right choice is nearly always the
longest one, when true/false statements are nearly always false, or when a "choose all" question has a
single wrong choice to leave out. `flask courses check` prints these figures for every course and a
warning, on the quiz file's line, for each question that counts towards a figure past its limit. A
warning never stops a course from loading: the course is still right, only easier to guess.
"""

import unicodedata
from dataclasses import dataclass

from civiclearn.config import LANGUAGES
from civiclearn.courses.schema import Course, Problem, Question

LONGEST_RIGHT_LIMIT = 40  # percent of single-choice questions whose right choice is the longest
FALSE_SHARE_RANGE = (35, 65)  # percent of true/false questions whose answer is false
MIN_WRONG_CHOICES = 2  # in every multiple-choice ("choose all") question
LANGUAGE_NAMES = {"th": "Thai", "en": "English"}


def shown_length(text: str) -> int:
    """Characters as they take room on a line: Thai vowel and tone marks written above or below a
    letter (combining marks) add no width, so they do not count."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def right_is_longest(question: Question, language: str) -> bool:
    """Whether no wrong choice is longer than the right one. A tie with the longest wrong choice counts (it still
    narrows the guess), unless every choice is as long as the right one (then length tells nothing)."""
    right = max(shown_length(choice.text.in_language(language)) for choice in question.choices if choice.correct)
    wrong = [shown_length(choice.text.in_language(language)) for choice in question.choices if not choice.correct]
    return right >= max(wrong) and right > min(wrong)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class QuizBalance:
    """The three figures of one course, with the questions behind each (and the quiz file each is in)."""

    course: Course
    single: list[Question]
    longest_right: dict[str, list[Question]]  # language -> questions whose right choice is the longest in it
    true_false: list[Question]
    false_answers: list[Question]
    few_wrong: list[Question]  # multiple-choice questions with fewer than MIN_WRONG_CHOICES wrong choices
    multiple: int

    @property
    def worse_language(self) -> str:
        """The language in which the right choice is the longest more often (Thai on a tie): it is the figure
        that counts, since learners read the quiz in either."""
        return max(LANGUAGES, key=lambda language: len(self.longest_right[language]))

    @property
    def longest_right_percent(self) -> int:
        return _percent(len(self.longest_right[self.worse_language]), len(self.single))

    @property
    def false_percent(self) -> int:
        return _percent(len(self.false_answers), len(self.true_false))

    def longest_right_past_limit(self) -> bool:
        return 100 * len(self.longest_right[self.worse_language]) > LONGEST_RIGHT_LIMIT * len(self.single)

    def false_share_past_limits(self) -> bool:
        low, high = FALSE_SHARE_RANGE
        count, total = len(self.false_answers), len(self.true_false)
        return bool(total) and not low * total <= 100 * count <= high * total

    def within_limits(self) -> bool:
        return not (self.longest_right_past_limit() or self.false_share_past_limits() or self.few_wrong)

    def summary(self) -> str:
        """The three figures on one line, as `flask courses check` prints them."""
        by_language = ", ".join(f"{language} {_percent(len(self.longest_right[language]), len(self.single))}%"
                                for language in LANGUAGES)
        low, high = FALSE_SHARE_RANGE
        return (f"{self.course.key}: the right choice is the longest in {len(self.longest_right[self.worse_language])}"
                f" of {len(self.single)} single-choice questions ({self.longest_right_percent}%: {by_language}; "
                f"at most {LONGEST_RIGHT_LIMIT}%); the answer is false in {len(self.false_answers)} of "
                f"{len(self.true_false)} true/false questions ({self.false_percent}%; {low}-{high}%); "
                f"{len(self.few_wrong)} of {self.multiple} choose-all questions have fewer than {MIN_WRONG_CHOICES} "
                "wrong choices (none may)")

    def warnings(self, shown) -> list[Problem]:
        """One warning per question that counts towards a figure past its limit, on the question's line in its
        quiz file; `shown(path)` gives the path to print for a course-relative path."""
        found = []

        def warn(question: Question, message: str) -> None:
            found.append(Problem(shown(self._quiz_path(question)), question.line,
                                 f'WARNING: question "{question.key}": {message}'))

        if self.longest_right_past_limit():
            share = (f"so in {len(self.longest_right[self.worse_language])} of {len(self.single)} single-choice "
                     f"questions of this course ({self.longest_right_percent}%, at most {LONGEST_RIGHT_LIMIT}%)")
            for question in self.single:
                languages = [LANGUAGE_NAMES[language] for language in LANGUAGES
                             if question in self.longest_right[language]]
                if languages:
                    warn(question, f"the right choice is the longest ({' and '.join(languages)}); it is {share}: "
                                   "lengthen a wrong choice or shorten the right one")
        if self.false_share_past_limits():
            answer = "false" if 100 * len(self.false_answers) > FALSE_SHARE_RANGE[1] * len(self.true_false) else "true"
            count = len(self.false_answers) if answer == "false" else len(self.true_false) - len(self.false_answers)
            for question in self.true_false:
                if question.correct_keys == {answer}:
                    warn(question, f"the answer is {answer}, as in {count} of {len(self.true_false)} true/false "
                                   f"questions of this course (false should be {FALSE_SHARE_RANGE[0]}-"
                                   f"{FALSE_SHARE_RANGE[1]}%): state some of them the other way round")
        for question in self.few_wrong:
            wrong = sum(not choice.correct for choice in question.choices)
            warn(question, f"a choose-all question needs at least {MIN_WRONG_CHOICES} wrong choices, this one has "
                           f"{wrong}: add a mistake learners really make")
        return sorted(found, key=lambda problem: (problem.path, problem.line))

    def _quiz_path(self, question: Question) -> str:
        return next(quiz.source_path for quiz in self.course.quizzes() if question in quiz.questions)


def measure(course: Course) -> QuizBalance:
    """The three figures over all the quizzes of `course`."""
    questions = [question for quiz in course.quizzes() for question in quiz.questions]
    single = [question for question in questions if question.kind == "single"]
    true_false = [question for question in questions if question.kind == "true_false"]
    multiple = [question for question in questions if question.kind == "multiple"]
    return QuizBalance(
        course=course,
        single=single,
        longest_right={language: [question for question in single if right_is_longest(question, language)]
                       for language in LANGUAGES},
        true_false=true_false,
        false_answers=[question for question in true_false if question.correct_keys == {"false"}],
        few_wrong=[question for question in multiple
                   if sum(not choice.correct for choice in question.choices) < MIN_WRONG_CHOICES],
        multiple=len(multiple),
    )
