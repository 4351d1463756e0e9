"""A practice activity's form as a learner first sees it (blank: nothing sent yet, no draft carried across a
language switch), rendered once per process, lesson, language and course version, then served from memory:
rendering the form's fields one by one is about 40 % of a practice lesson's time.

The blank form is the same for every learner but for its CSRF token. It is kept with a placeholder in the token's
place, and each page puts the learner's own token back. A form with anything of the learner's in it (a go being
reviewed, a draft) is rendered for that page alone.
"""

from flask import render_template
from markupsafe import Markup

from civiclearn.courses.activities.base import ActivityType
from civiclearn.courses.schema import Lesson
from civiclearn.learning.visitor_pages import kept_pages, page_key

PLACEHOLDER = "practice-token-placeholder"


def practice_form(lesson: Lesson, activity: ActivityType, practice, review, *, blank: bool) -> Markup:
    """The activity's part of the lesson page. `blank`: a first look, so `practice` holds nothing the learner sent
    or typed (and there is no `review`)."""
    def render() -> str:
        return render_template(activity.template, lesson=lesson, module=lesson.module, activity=activity,
                               practice=practice, review=review)
    if not blank:
        return Markup(render())
    forms = kept_pages("civiclearn.practice_forms")
    key = page_key()
    token = practice.csrf_token.current_token
    kept = forms.get(key)
    if kept is None:
        kept = render().replace(token, PLACEHOLDER)
        forms.keep(key, kept)
    return Markup(kept.replace(PLACEHOLDER, token))
