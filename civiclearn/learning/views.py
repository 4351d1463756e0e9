"""The learner loop: home, catalogue, course, module, lesson, quiz, feedback, module complete."""

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from civiclearn import access, loaders, signals
from civiclearn.courses import markdown
from civiclearn.courses.activities import ACTIVITY_TYPES
from civiclearn.courses.media import media_url
from civiclearn.courses.pages import image_path
from civiclearn.courses.schema import Bilingual, Course, Lesson, Module, Question, Quiz
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.i18n import language, take_draft
from civiclearn.learning import practice as tries
from civiclearn.learning import quiz_steps, services
from civiclearn.learning.forms import choice_label, field_name, quiz_form
from civiclearn.learning.practice_forms import practice_form
from civiclearn.learning.visitor_pages import kept_for_visitors, placeholder_token
from civiclearn.pdf import render_pdf

bp = Blueprint("learning", __name__)
bp.before_request(lambda: access.guard_learning(request.endpoint))
bp.app_context_processor(placeholder_token)
bp.context_processor(lambda: {"read_aloud": True})  # lessons and quiz questions get Listen buttons (base.html)


def step_url(step: services.Step | None, module: Module) -> str:
    """Where a step lives; with no step left in the course, the module's completion page."""
    if step is None:
        return url_for("learning.module_done", course_key=module.course.key, module_key=module.key)
    if step.lesson is None:
        return url_for("learning.quiz", course_key=step.module.course.key, module_key=step.module.key)
    return url_for("learning.lesson", course_key=step.module.course.key, module_key=step.module.key,
                   lesson_key=step.lesson.key)


def rendered_markdown(text: Bilingual, source_path: str, course: Course, cache: dict):
    """A page's Markdown in the current language, rendered once per process and language."""
    key = (language(), request.script_root)
    if key not in cache:
        def image_url(src: str) -> str:
            return media_url(course, image_path(source_path, src))
        cache[key] = markdown.render(text.in_language(language()), image_url)
    return cache[key]


def rendered_body(lesson: Lesson):
    return rendered_markdown(lesson.body, lesson.source_path, lesson.module.course, lesson.rendered)


@bp.get("/")
@kept_for_visitors
def home():
    courses = catalogue().courses
    if not current_user.is_authenticated:
        return render_template("learning/welcome.html", courses=courses)
    statuses = services.course_statuses(current_user, courses)  # read once: the next step and the cards use them
    step = services.continue_point(current_user, catalogue(), statuses)
    finished = bool(courses) and all(status.complete for course in statuses.values() for status in course.values())
    return render_template("learning/home.html", courses=courses, statuses=statuses, step=step, finished=finished,
                           step_url=step_url(step, step.module) if step else None)


@bp.get("/courses", endpoint="catalogue")
@kept_for_visitors
def catalogue_page():
    return render_template("learning/catalogue.html", courses=catalogue().courses)


@bp.get("/courses/<course_key>")
@kept_for_visitors
def course(course_key: str):
    found = loaders.find_course(course_key)
    statuses = services.course_status(current_user, found)
    step = services.next_step(current_user, found, statuses=statuses) if current_user.is_authenticated else None
    return render_template("learning/course.html", course=found, statuses=statuses,
                           step_url=step_url(step, step.module) if step else None)


@bp.get("/courses/<course_key>/<module_key>")
@kept_for_visitors
def module(course_key: str, module_key: str):
    found = loaders.find_module(course_key, module_key)
    status = services.module_status(current_user, found)
    step = services.next_step_in_module(current_user, found, status) if current_user.is_authenticated else None
    return render_template("learning/module.html", module=found, status=status,
                           step_url=step_url(step, found) if step else None)


@bp.route("/courses/<course_key>/<module_key>/<lesson_key>", methods=["GET", "POST"])
def lesson(course_key: str, module_key: str, lesson_key: str):
    """A lesson; a POST is the learner's go at the lesson's practice activity, reviewed on the spot. After two wrong
    goes the page offers the answer: a GET with ?answer=1 shows it, with a way on (done with help)."""
    found = loaders.find_lesson(course_key, module_key, lesson_key)
    activity = ACTIVITY_TYPES[found.activity.kind] if found.activity else None
    practice = review = answer = draft = None
    if activity:
        draft = take_draft() if request.method == "GET" else None
        practice = activity.form(found.activity.spec, language(), draft)
        if practice.validate_on_submit():
            review = activity.review(found.activity.spec, practice, language())
            if not review.done:
                tries.count_wrong_try(found)
    elif request.method == "POST":
        abort(405, valid_methods=["GET"])
    done = bool(review and review.done)
    services.record_practice(current_user, found, done=done, answer_seen=done and tries.answer_seen(found))
    status = services.module_status(current_user, found.module)  # (read before the commit: one transaction)
    if done:
        signals.lesson_completed.send(current_user._get_current_object(), lesson=found, module_status=status)
    stuck = bool(activity) and not status.lesson_done(found) and tries.may_see_answer(found)
    if stuck and request.method == "GET" and request.args.get("answer") == "1":
        answer = activity.answer(found.activity.spec, language())
        tries.see_answer(found)
    db.session.commit()
    form_html = None if practice is None or answer else practice_form(
        found, activity, practice, review, blank=request.method == "GET" and draft is None)
    return render_template("learning/lesson.html", lesson=found, module=found.module, body=rendered_body(found),
                           before=found.module.previous_lesson(found), status=status,
                           then=services.step_after_lesson(found, status),
                           practice=practice, practice_form=form_html, review=review, offer_answer=stuck,
                           answer=answer)


@bp.post("/courses/<course_key>/<module_key>/<lesson_key>/complete")
def complete_lesson(course_key: str, module_key: str, lesson_key: str):
    """Finish a lesson and go on to the module's next unfinished step, or to its completion page. A practice lesson
    whose answer the learner has seen is finished with help."""
    found = loaders.find_lesson(course_key, module_key, lesson_key)
    try:
        services.finish_lesson(current_user, found, answer_seen=tries.answer_seen(found))
    except services.PracticePending:
        flash(_("Finish the practice above to go on."), "info")
        return redirect(url_for("learning.lesson", course_key=course_key, module_key=module_key,
                                lesson_key=lesson_key), code=303)
    status = services.module_status(current_user, found.module)  # (read before the commit: one transaction)
    signals.lesson_completed.send(current_user._get_current_object(), lesson=found, module_status=status)
    then = services.step_after_lesson(found, status)
    db.session.commit()
    return redirect(step_url(then, found.module), code=303)


@bp.route("/courses/<course_key>/<module_key>/quiz", methods=["GET", "POST"])
def quiz(course_key: str, module_key: str):
    """The quiz: one question at a time (by default: its first question's page, see quiz_question), or all on
    one page if the learner chose that. All on one page, a POST checks every answer, or with "One question at a
    time" keeps them and goes on one question at a time."""
    found = loaders.find_quiz_module(course_key, module_key)
    quiz = found.quiz
    if request.method == "GET":
        if quiz_steps.layout() == quiz_steps.ONE_AT_A_TIME:
            return _question_page(found, 1)
        return _all_questions_page(found, quiz_form(quiz, language(), formdata=_answers_shown(quiz, quiz.questions)))
    form = quiz_form(quiz, language())
    if not form.validate_on_submit():
        if form.token.errors:
            abort(400)
        return _all_questions_page(found, form)
    token, answers = form.token.data, form.answers()
    if sent_before := _attempt_made(quiz, token):
        return sent_before
    missing = services.unanswered(quiz, answers)
    if request.form.get("action") == "one":
        quiz_steps.keep_answers(quiz, token, answers)
        quiz_steps.choose_layout(quiz_steps.ONE_AT_A_TIME)
        return redirect(_question_url(found, _number(quiz, missing[0]) if missing else 1), code=303)
    if missing:
        quiz_steps.keep_answers(quiz, token, answers)
        form.say_unanswered(missing)
        return _all_questions_page(found, form, _no_answer(quiz, missing, lambda number: f"#question-{number}"))
    return _check(quiz, token, answers)


@bp.route("/courses/<course_key>/<module_key>/quiz/<int:number>", methods=["GET", "POST"])
def quiz_question(course_key: str, module_key: str, number: int):
    """One question of the quiz on its own page. A POST keeps its answer (or none: a question may be skipped) and
    goes Back, on to the Next question, or to all questions on one page; on the last question, "Check my answers"
    checks the answers kept, or names the questions still without one."""
    found = loaders.find_quiz_module(course_key, module_key)
    quiz = found.quiz
    if not 1 <= number <= len(quiz.questions):
        abort(404)
    if request.method == "GET":
        return _question_page(found, number)
    form = quiz_form(quiz, language(), questions=[quiz.questions[number - 1]])
    if not form.validate_on_submit():
        if form.token.errors:
            abort(400)
        return _question_page(found, number, form)
    token = form.token.data
    if sent_before := _attempt_made(quiz, token):
        return sent_before
    quiz_steps.keep_answers(quiz, token, form.answers())
    action = request.form.get("action")
    if action == "all":
        quiz_steps.choose_layout(quiz_steps.ALL_ON_ONE_PAGE)
        return redirect(url_for("learning.quiz", course_key=course_key, module_key=module_key,
                                _anchor=f"question-{number}"), code=303)
    if action == "back":
        return redirect(_question_url(found, max(number - 1, 1)), code=303)
    if action != "check" and number < len(quiz.questions):  # Next, or Enter in the form
        return redirect(_question_url(found, number + 1), code=303)
    answers = quiz_steps.kept_answers(quiz, token)
    if missing := services.unanswered(quiz, answers):
        form.say_unanswered(missing)
        return _question_page(found, number, form, _no_answer(quiz, missing, partial(_question_url, found)))
    return _check(quiz, token, answers)


def _question_url(module: Module, number: int) -> str:
    return url_for("learning.quiz_question", course_key=module.course.key, module_key=module.key, number=number)


def _number(quiz: Quiz, question: Question) -> int:
    return quiz.questions.index(question) + 1


def _no_answer(quiz: Quiz, missing: list[Question], link: Callable[[int], str]) -> list[tuple[str, str]]:
    """The error summary's lines for questions without an answer, each a link (`link(number)`) to the question."""
    return [(link(number), _("Question %(number)s has no answer", number=number))
            for number in (_number(quiz, question) for question in missing)]


def _answers_shown(quiz: Quiz, questions: list[Question]) -> MultiDict | None:
    """What a quiz page opens with: the form a language switch carried back to it, else the answers kept for the
    quiz with their attempt's token, else nothing (a new attempt, with a new token)."""
    carried = take_draft()
    if carried is not None:
        return carried
    token = quiz_steps.latest_token(quiz)
    if token is None:
        return None
    kept = quiz_steps.kept_answers(quiz, token)
    return MultiDict([("token", token), *((field_name(question), key) for question in questions
                                          for key in sorted(kept.get(question.key, ())))])


def _question_page(module: Module, number: int, form=None, problems=None):
    quiz = module.quiz
    question = quiz.questions[number - 1]
    if form is None:
        form = quiz_form(quiz, language(), formdata=_answers_shown(quiz, [question]), questions=[question])
    return render_template("learning/quiz_question.html", module=module, quiz=quiz, form=form, question=question,
                           field=form[field_name(question)], number=number, total=len(quiz.questions),
                           problems=problems)


def _all_questions_page(module: Module, form, problems=None):
    fields = [(question, form[field_name(question)]) for question in module.quiz.questions]
    return render_template("learning/quiz.html", module=module, quiz=module.quiz, form=form, fields=fields,
                           problems=problems, status=services.module_status(current_user, module))


def _attempt_made(quiz: Quiz, token: str):
    """The way to the attempt this form's token has already made (the form was sent twice), or None."""
    try:
        attempt = services.earlier_attempt(current_user, quiz, token)
    except services.TokenReused:
        abort(400)
    return redirect(url_for("learning.attempt", attempt_id=attempt.id), code=303) if attempt else None


def _check(quiz: Quiz, token: str, answers: dict[str, frozenset[str]]):
    """Grade the answers as the token's one attempt, forget the answers kept, and show the result."""
    attempt = services.submit_quiz(current_user, quiz, token, answers)
    signals.quiz_submitted.send(current_user._get_current_object(), attempt=attempt, quiz=quiz)
    quiz_steps.forget_answers(token)
    db.session.commit()
    return redirect(url_for("learning.attempt", attempt_id=attempt.id), code=303)


@bp.get("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    """Feedback on an attempt: for every question, why each choice is right or wrong."""
    found = loaders.find_attempt(attempt_id)
    quiz = catalogue().quiz_by_id(found.quiz_id)
    if quiz is None:
        abort(404)
    answers = {answer.question_key: answer for answer in found.answers}
    return render_template("learning/attempt.html", attempt=found, quiz=quiz, module=quiz.module, answers=answers,
                           status=services.module_status(current_user, quiz.module), choice_label=choice_label,
                           choices_of=lambda question: services.choices_in_order(question, found.token))


@bp.get("/courses/<course_key>/<module_key>/done")
def module_done(course_key: str, module_key: str):
    found = loaders.find_module(course_key, module_key)
    statuses = services.course_status(current_user, found.course)  # read once: the module's and the next step's
    status = statuses[found.key]
    if not status.complete:
        flash(_("This module is not finished yet. The list shows what is left."), "info")
        return redirect(url_for("learning.module", course_key=course_key, module_key=module_key), code=303)
    step = services.next_step(current_user, found.course, statuses=statuses)
    return render_template("learning/module_done.html", module=found, status=status,
                           step_url=step_url(step, step.module) if step else None)


@bp.get("/courses/<course_key>/<module_key>/guide")
@kept_for_visitors
def guide(course_key: str, module_key: str):
    """The teacher guide: objectives, the goal, the centre and school plans, discussion questions and the handout."""
    found = loaders.find_module(course_key, module_key)
    if found.guide is None:
        abort(404)
    handout = rendered_markdown(found.guide.handout, found.guide.source_path, found.course, found.guide.rendered)
    return render_template("learning/guide.html", module=found, guide=found.guide, handout=handout)


@bp.get("/courses/<course_key>/<module_key>/handout.pdf")
def handout_pdf(course_key: str, module_key: str):
    """The handout as a PDF to print, in the language asked for (the page's language by default)."""
    found = loaders.find_module(course_key, module_key)
    chosen = request.args.get("lang", language())
    if found.guide is None or chosen not in current_app.config["LANGUAGES"]:
        abort(404)
    cache_key = (chosen, request.script_root)
    if cache_key not in found.guide.pdfs:
        with force_locale(chosen):
            handout = rendered_markdown(found.guide.handout, found.guide.source_path, found.course,
                                        found.guide.rendered)
            found.guide.pdfs[cache_key] = render_pdf("pdf/handout.html", module=found, handout=handout)
    response = make_response(found.guide.pdfs[cache_key])
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{course_key}-{module_key}-{chosen}.pdf"'
    response.headers["Cache-Control"] = "public, max-age=86400"  # links carry the course version
    return response
