"""Teacher guides: the one goal of the session, a 45-minute plan for a community digital centre, a 50-minute
plan for a school period, discussion questions and a printable handout."""

from civiclearn.courses.fields import FieldReader
from civiclearn.courses.pages import read_page
from civiclearn.courses.schema import Bilingual, PlanStep, TeacherGuide
from civiclearn.courses.yamlfile import LineMap

SESSION_MINUTES = 45  # a session at a community digital centre
SCHOOL_MINUTES = 50  # a school period
GOAL_LENGTH = 120  # characters in each language: one short sentence, to write on the board in one line
GUIDE_FIELDS = {"goal", "plan", "school_plan", "discussion"}
STEP_FIELDS = {"minutes", "step"}
MISSING_SCHOOL = {
    "goal": "missing goal: this course requires teacher guides, and each names the one goal of the session "
            "in one short sentence (goal: with th: วันนี้เราจะ... and en: Today we will...)",
    "school_plan": f"missing school_plan: this course requires teacher guides, and each has a {SCHOOL_MINUTES}-minute "
                   f"plan for a school period as well (school_plan: steps with minutes and step, adding up to "
                   f"{SCHOOL_MINUTES}; see Teacher guides in docs/content-format.md)",
}


def read_guide(reader: FieldReader, path: str, school_required: bool) -> TeacherGuide | None:
    """The guide in `path`: its front matter holds the goal, the plans and questions, its sections the handout.

    A course that requires teacher guides is taught in schools too (`school_required`): its guides must
    have the goal and the school-period plan; elsewhere both are optional, and checked when given.
    """
    page = read_page(reader, path, GUIDE_FIELDS)
    if page is None:
        return None
    front = page.front
    for key in MISSING_SCHOOL:
        if school_required and key not in front:
            reader.problem(path, front.line_of(key), MISSING_SCHOOL[key])
    goal = _goal(reader, path, front)
    plan = _plan(reader, path, front, "plan", SESSION_MINUTES, "session plan")
    school_plan = []
    if "school_plan" in front:
        school_plan = _plan(reader, path, front, "school_plan", SCHOOL_MINUTES, "school-period plan")
    discussion = reader.bilingual_list(path, front, "discussion", "discussion question", required=True)
    if not plan or not discussion:
        return None
    return TeacherGuide(plan, discussion, page.body, path, goal=goal, school_plan=school_plan)


def _goal(reader: FieldReader, path: str, front: LineMap) -> Bilingual | None:
    goal = reader.text(path, front, "goal", "goal of the session", required=False)
    if goal and max(len(goal.th), len(goal.en)) > GOAL_LENGTH:
        reader.problem(path, front.line_of("goal"), f"goal is longer than {GOAL_LENGTH} characters: keep the one goal "
                                                    "to one short sentence that fits on one line of the board")
    return goal


def _plan(reader: FieldReader, path: str, front: LineMap, key: str, total: int, what: str) -> list[PlanStep]:
    """The steps of the plan in `key`, which must add up to `total` minutes."""
    plan = []
    for item, line in reader.items(path, front, key, "step", required=True):
        step = reader.mapping(path, line, item, f"a step of the {what}", STEP_FIELDS)
        minutes = step and reader.integer(path, step, "minutes", 1, total)
        text = step and reader.text(path, step, "step", f"step of the {what}")
        if minutes and text:
            plan.append(PlanStep(minutes, text))
    found = sum(step.minutes for step in plan)
    if plan and found != total:
        reader.problem(path, front.line_of(key), f"the {what} ({key}:) adds up to {found} minutes; make it {total}")
    return plan
