"""The privacy pages as staff use them for a learner they may see: the same views as the learner's own
(views.py), at /learners/<id>/..., behind the staff guard."""

from flask import Blueprint

from civiclearn import access
from civiclearn.privacy import views

bp = Blueprint("privacy_staff", __name__)
bp.before_request(access.require_staff)
bp.add_url_rule("/learners/<int:learner_id>/data", view_func=views.learner_data)
bp.add_url_rule("/learners/<int:learner_id>/data.json", view_func=views.learner_data_json)
bp.add_url_rule("/learners/<int:learner_id>/edit", view_func=views.correct, methods=["GET", "POST"])
bp.add_url_rule("/learners/<int:learner_id>/delete", view_func=views.delete, methods=["GET", "POST"])
