"""Every feature's tables, imported in one place so the metadata (and so each migration) knows them all."""

from civiclearn.accounts.models import ExternalIdentity, RoleAssignment, User
from civiclearn.audit.models import AuditEvent
from civiclearn.badges.models import IssuerKey, IssuerProfile, OpenBadge
from civiclearn.centres.models import Centre, Cohort, Enrolment, Kiosk, RosterImport
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.civic.models import CivicAction
from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.demo.models import DemoState
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import AttemptAnswer, LessonProgress, QuizAttempt
from civiclearn.lti.models import (
                                   LtiContext,
                                   LtiDeployment,
                                   LtiGradeSend,
                                   LtiKey,
                                   LtiLaunchState,
                                   LtiPlatform,
                                   LtiResourceLink,
)
from civiclearn.ratelimits import RateLimitCounter
from civiclearn.records.models import XapiStatement
from civiclearn.reports.models import LearnerNote
from civiclearn.schools.models import Assignment, ClassMember, School, SchoolClass
from civiclearn.themes.models import ThemeRun

__all__ = [
    "Assignment", "AttemptAnswer", "AuditEvent", "Centre", "Certificate", "CertificateBatch", "CivicAction",
    "ClassMember", "Cohort", "IssuerKey", "IssuerProfile", "OpenBadge",
    "CourseRecord", "DemoState", "Enrolment", "ExternalIdentity", "Kiosk", "LearnerNote", "LessonProgress", "LessonRecord",
    "LtiContext", "LtiDeployment", "LtiGradeSend", "LtiKey", "LtiLaunchState", "LtiPlatform", "LtiResourceLink", "Mentee", "ModuleFeedback", "ModuleRecord", "PracticumSession", "QuizAttempt", "QuizRecord", "RateLimitCounter", "RoleAssignment", "RosterImport", "School",
    "SchoolClass", "ThemeRun", "User", "XapiStatement",
]
