"""Audit actions in words, for pages that show them to people (the privacy page's "what staff did with this
account"). The keys stay as they are in the database and in downloads, which are read by programs.

Every key the code records has its words here (tests/privacy/test_data_page.py reads the code for them); a key
without words (an action added later, or one of an older version) is still shown readably."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ACTIONS = {
    # A person's account and data
    "data.export": _l("Data viewed or downloaded"),
    "person.correct": _l("Personal details corrected"),
    "person.delete": _l("Data deleted"),
    "learner.add": _l("Learner account created"),
    "staff.create": _l("Staff account created"),
    "pin.reset": _l("New starting PIN given"),
    "password.change": _l("Password changed"),
    "role.grant": _l("Role given"),
    "role.revoke": _l("Role taken away"),
    "learner.note": _l("Note about the learner written"),
    "feedback.answer": _l("Comment on a module answered"),
    # Certificates and files
    "certificate.issue": _l("Certificate issued"),
    "certificate.revoke": _l("Certificate revoked"),
    "certificate.reissue": _l("Certificate reissued"),
    "certificate.download": _l("Certificate downloaded"),
    "credential.download": _l("Digital credential downloaded"),
    "certificate.batch": _l("Certificates printed for a whole cohort or class"),
    "batch.download": _l("Certificates of a cohort or class downloaded"),
    "cards.print": _l("Learner cards printed"),
    "pin_slips.print": _l("Starting-PIN slips printed"),
    "report.export": _l("Report downloaded"),
    # The Digital Citizen Leader pathway
    "leader.session.log": _l("Practicum session logged"),
    "leader.session.confirm": _l("Practicum session confirmed"),
    "leader.mentee.add": _l("Mentee added"),
    "leader.mentee.agree": _l("Mentee said the leader helped them"),
    "leader.mentee.refuse": _l("Mentee said the leader did not help them"),
    "leader.mentee.confirm": _l("Mentee confirmed"),
    "leader.withdraw": _l("Practicum entry withdrawn by the leader"),
    "leader.decline": _l("Practicum entry declined by the trainer"),
    "leader.endorse": _l("Endorsed as a Digital Citizen Leader"),
    "leader.renew": _l("Leader certificate renewed"),
    # Civic actions
    "civic.log_for": _l("Action logged for you by a leader who helped you"),
    # Centres, schools and classes
    "centre.create": _l("Centre added"),
    "centre.update": _l("Centre details changed"),
    "school.create": _l("School added"),
    "school.update": _l("School details changed"),
    "cohort.create": _l("Cohort added"),
    "roster.upload": _l("Roster uploaded"),
    "roster.import": _l("Roster imported"),
    "kiosk.create": _l("Kiosk set up"),
    "kiosk.revoke": _l("Kiosk removed"),
    "class.create": _l("Class created"),
    "assignment.set": _l("Module assigned or its due date changed"),
    "assignment.remove": _l("Assignment removed"),
    # Schools' learning management systems (LTI)
    "lti.platform.add": _l("LMS added"),
    "lti.platform.register": _l("LMS registered itself"),
    "lti.platform.update": _l("LMS details changed"),
    "lti.platform.approve": _l("LMS approved for a school"),
    "lti.platform.disable": _l("LMS turned off"),
    "lti.key.rotate": _l("New signing key put in use"),
    "lti.roster.sync": _l("Class list updated from the LMS"),
    "lti.grade.resend": _l("Score sent to the LMS again"),
    "badges.profile": _l("How credentials name the programme changed"),
    "badges.logo": _l("Programme logo for credentials put in use"),
    "badges.logo.remove": _l("Programme logo for credentials removed"),
    "badges.key.rotate": _l("New key for signing credentials put in use"),
    "demo.remove": _l("Demo data removed"),
}


def describe(action: str) -> str:
    """The action in the page's language; a key without words as its own words: "Another action (pin unlock)"."""
    words = ACTIONS.get(action)
    if words is not None:
        return str(words)
    return _("Another action (%(name)s)", name=action.replace(".", " ").replace("_", " "))
