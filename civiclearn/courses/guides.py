"""Teacher guides: a 45-minute session plan, discussion questions and a printable handout."""

from civiclearn.courses.fields import FieldReader
from civiclearn.courses.pages import read_page
from civiclearn.courses.schema import PlanStep, TeacherGuide

SESSION_MINUTES = 45
GUIDE_FIELDS = {"plan", "discussion"}
STEP_FIELDS = {"minutes", "step"}


def read_guide(reader: FieldReader, path: str) -> TeacherGuide | None:
    """The guide in `path`: its front matter holds the plan and questions, its sections the handout."""
    page = read_page(reader, path, GUIDE_FIELDS)
    if page is None:
        return None
    plan = []
    for item, line in reader.items(path, page.front, "plan", "step", required=True):
        step = reader.mapping(path, line, item, "a step of the plan", STEP_FIELDS)
        minutes = step and reader.integer(path, step, "minutes", 1, SESSION_MINUTES)
        text = step and reader.text(path, step, "step", "step of the plan")
        if minutes and text:
            plan.append(PlanStep(minutes, text))
    total = sum(step.minutes for step in plan)
    if plan and total != SESSION_MINUTES:
        reader.problem(path, page.front.line_of("plan"), f"the session plan adds up to {total} minutes; make it {SESSION_MINUTES}")
    discussion = reader.bilingual_list(path, page.front, "discussion", "discussion question", required=True)
    if not plan or not discussion:
        return None
    return TeacherGuide(plan, discussion, page.body, path)
