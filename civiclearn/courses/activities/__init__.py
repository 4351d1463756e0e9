"""Practice activities: safe imitations of real steps, done on a lesson page, never sent anywhere.

A registry of types, not a plugin framework (see STYLE.md): each type is a module that knows
the fields of its `activity:` block in a lesson's front matter, how to read them, the form a
learner fills in, how to review what they did (a failing check says what to change) and the right
answer, shown after two wrong tries. Add a type by writing such a module and
listing its TYPE here, with a template in templates/activities/.
"""

from civiclearn.courses.activities import check_before_you_pay, report_problem, spot_the_scam, strong_pin
from civiclearn.courses.activities.base import ActivityType, Answer, Review

ACTIVITY_TYPES: dict[str, ActivityType] = {
    activity_type.key: activity_type
    for activity_type in (check_before_you_pay.TYPE, report_problem.TYPE, spot_the_scam.TYPE, strong_pin.TYPE)
}

__all__ = ["ACTIVITY_TYPES", "ActivityType", "Answer", "Review"]
