"""xAPI 1.0.3 statements of what learners do: launched (from an LMS), completed (a lesson), passed or failed
(a quiz) and answered (each question). People are an account (CivicLearn's address + an opaque id made from
their row id with the server's secret), never a name or an email. Activity names are in Thai and English."""

import hashlib
import hmac
import uuid

from flask import current_app, url_for

from civiclearn.courses.schema import Bilingual, Lesson, Module, Question, Quiz
from civiclearn.database import utcnow

ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"
VERBS = {name: {"id": ADL + name, "display": {"en-US": name}} for name in
         ("launched", "completed", "passed", "failed", "answered")}


def actor(person_id: int) -> dict:
    """The person as an account at this server: the same opaque name in every statement, not reversible
    without the server's secret."""
    opaque = hmac.new(current_app.secret_key.encode(), f"xapi-actor:{person_id}".encode(), hashlib.sha256)
    return {"objectType": "Agent", "account": {"homePage": current_app.config["PUBLIC_URL"],
                                               "name": opaque.hexdigest()[:32]}}


def names(text: Bilingual) -> dict:
    return {"th-TH": text.th, "en-US": text.en}


def address(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, **values)


def module_activity(module: Module) -> dict:
    return {"objectType": "Activity",
            "id": address("learning.module", course_key=module.course.key, module_key=module.key),
            "definition": {"type": ACTIVITIES + "module", "name": names(module.title)}}


def lesson_activity(lesson: Lesson) -> dict:
    module = lesson.module
    return {"objectType": "Activity",
            "id": address("learning.lesson", course_key=module.course.key, module_key=module.key,
                          lesson_key=lesson.key),
            "definition": {"type": ACTIVITIES + "lesson", "name": names(lesson.title)}}


def quiz_activity(quiz: Quiz) -> dict:
    module = quiz.module
    return {"objectType": "Activity",
            "id": address("learning.quiz", course_key=module.course.key, module_key=module.key),
            "definition": {"type": ACTIVITIES + "assessment", "name": names(quiz.title)}}


def question_activity(quiz: Quiz, question: Question) -> dict:
    return {"objectType": "Activity", "id": f"{quiz_activity(quiz)['id']}#{question.key}",
            "definition": {"type": ACTIVITIES + "cmi.interaction", "name": names(question.prompt),
                           "interactionType": "choice",
                           "correctResponsesPattern": ["[,]".join(sorted(question.correct_keys))],
                           "choices": [{"id": choice.key, "description": names(choice.text)}
                                       for choice in question.choices if choice.text]}}


def context(module: Module, language: str | None, parent: dict | None = None) -> dict:
    found = {"platform": "CivicLearn",
             "contextActivities": {"grouping": [{"objectType": "Activity", "id": address(
                 "learning.course", course_key=module.course.key), "definition": {
                 "type": ACTIVITIES + "course", "name": names(module.course.title)}}]}}
    if parent:
        found["contextActivities"]["parent"] = [parent]
    if language:
        found["language"] = {"th": "th-TH", "en": "en-US"}.get(language, language)
    return found


def statement(person_id: int, verb: str, activity: dict, context_: dict, result: dict | None = None) -> dict:
    body = {"id": str(uuid.uuid4()), "actor": actor(person_id), "verb": VERBS[verb], "object": activity,
            "context": context_, "timestamp": utcnow().isoformat()}
    if result is not None:
        body["result"] = result
    return body


def launched(person_id: int, module: Module, language: str | None) -> list[dict]:
    return [statement(person_id, "launched", module_activity(module), context(module, language))]


def lesson_completed(person_id: int, lesson: Lesson, language: str | None) -> list[dict]:
    return [statement(person_id, "completed", lesson_activity(lesson),
                      context(lesson.module, language, module_activity(lesson.module)), {"completion": True})]


def quiz_submitted(person_id: int, quiz: Quiz, score: int, passed: bool, answers: dict[str, list[str]],
                   language: str | None) -> list[dict]:
    """passed or failed for the quiz (score scaled 0-1 and raw out of its questions), then answered for each
    question, with the choices given."""
    questions = len(quiz.questions)
    module_context = context(quiz.module, language, module_activity(quiz.module))
    found = [statement(person_id, "passed" if passed else "failed", quiz_activity(quiz), module_context, {
        "score": {"scaled": round(score / 100, 4), "raw": round(score * questions / 100, 2), "min": 0,
                  "max": questions}, "success": passed, "completion": True})]
    question_context = context(quiz.module, language, quiz_activity(quiz))
    for question in quiz.questions:
        chosen = answers.get(question.key, [])
        found.append(statement(person_id, "answered", question_activity(quiz, question), question_context, {
            "response": "[,]".join(sorted(chosen)), "success": set(chosen) == set(question.correct_keys)}))
    return found
