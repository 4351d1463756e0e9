"""Who may see what: the one place that decides it.

Today there are learners only: course pages and teacher guides are public, learning needs a
signed-in learner, and a learner sees only their own attempts. Roles, centres and classes add their rules here.
"""

from flask import abort
from flask_login import current_user

from civiclearn.accounts.models import User
from civiclearn.extensions import login_manager
from civiclearn.learning.models import QuizAttempt

PUBLIC_LEARNING_PAGES = frozenset({"learning.home", "learning.catalogue", "learning.course", "learning.module",
                                   "learning.guide", "learning.handout_pdf"})


def guard_learning(endpoint: str | None):
    """before_request of the learning pages: everything but the public pages needs a signed-in person."""
    if endpoint not in PUBLIC_LEARNING_PAGES and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def may_view_attempt(user: User, attempt: QuizAttempt) -> bool:
    return user.is_authenticated and attempt.user_id == user.id


def authorise(allowed: bool) -> None:
    """Stop with 404 (not 403) when not allowed, so a guessed id does not reveal that a record exists."""
    if not allowed:
        abort(404)
