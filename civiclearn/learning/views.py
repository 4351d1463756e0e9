"""The learner loop: home, catalogue, course, module, lesson, quiz, feedback, module complete."""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders, signals
from civiclearn.courses import markdown
from civiclearn.courses.activities import ACTIVITY_TYPES
from civiclearn.courses.media import media_url
from civiclearn.courses.pages import image_path
from civiclearn.courses.schema import Bilingual, Course, Lesson, Module
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.i18n import language, take_draft
from civiclearn.learning import practice as tries
from civiclearn.learning import services
from civiclearn.learning.forms import choice_label, field_name, quiz_form
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
    step = services.continue_point(current_user, catalogue())
    statuses = services.course_statuses(current_user, courses)
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
    step = services.next_step(current_user, found) if current_user.is_authenticated else None
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
    practice = review = answer = None
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
    if done:
        signals.lesson_completed.send(current_user._get_current_object(), lesson=found)
    status = services.module_status(current_user, found.module)  # (read before the commit: one transaction)
    stuck = bool(activity) and not status.lesson_done(found) and tries.may_see_answer(found)
    if stuck and request.method == "GET" and request.args.get("answer") == "1":
        answer = activity.answer(found.activity.spec, language())
        tries.see_answer(found)
    db.session.commit()
    return render_template("learning/lesson.html", lesson=found, module=found.module, body=rendered_body(found),
                           before=found.module.previous_lesson(found), status=status,
                           then=services.step_after_lesson(current_user, found, status),
                           practice=practice, review=review, activity=activity, offer_answer=stuck, answer=answer)


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
    signals.lesson_completed.send(current_user._get_current_object(), lesson=found)
    then = services.step_after_lesson(current_user, found)  # (read before the commit: one transaction)
    db.session.commit()
    return redirect(step_url(then, found.module), code=303)


@bp.route("/courses/<course_key>/<module_key>/quiz", methods=["GET", "POST"])
def quiz(course_key: str, module_key: str):
    found = loaders.find_quiz_module(course_key, module_key)
    if request.method == "GET":
        form = quiz_form(found.quiz, language(), formdata=take_draft())
    else:
        form = quiz_form(found.quiz, language())
    if form.validate_on_submit():
        try:
            attempt = services.submit_quiz(current_user, found.quiz, form.token.data, form.answers(found.quiz))
        except services.TokenReused:
            abort(400)
        signals.quiz_submitted.send(current_user._get_current_object(), attempt=attempt, quiz=found.quiz)
        db.session.commit()
        return redirect(url_for("learning.attempt", attempt_id=attempt.id), code=303)
    if form.token.errors:
        abort(400)
    fields = [(question, form[field_name(question)]) for question in found.quiz.questions]
    return render_template("learning/quiz.html", module=found, quiz=found.quiz, form=form, fields=fields,
                           status=services.module_status(current_user, found))


@bp.get("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    """Feedback on an attempt: for every question, why each choice is right or wrong."""
    found = loaders.find_attempt(attempt_id)
    quiz = catalogue().quiz_by_id(found.quiz_id)
    if quiz is None:
        abort(404)
    answers = {answer.question_key: answer for answer in found.answers}
    return render_template("learning/attempt.html", attempt=found, quiz=quiz, module=quiz.module, answers=answers,
                           status=services.module_status(current_user, quiz.module), choice_label=choice_label)


@bp.get("/courses/<course_key>/<module_key>/done")
def module_done(course_key: str, module_key: str):
    found = loaders.find_module(course_key, module_key)
    status = services.module_status(current_user, found)
    if not status.complete:
        flash(_("This module is not finished yet. The list shows what is left."), "info")
        return redirect(url_for("learning.module", course_key=course_key, module_key=module_key), code=303)
    step = services.next_step(current_user, found.course)
    return render_template("learning/module_done.html", module=found, status=status,
                           step_url=step_url(step, step.module) if step else None)


@bp.get("/courses/<course_key>/<module_key>/guide")
@kept_for_visitors
def guide(course_key: str, module_key: str):
    """The teacher guide: objectives, the 45-minute plan, discussion questions and the handout."""
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
