"""What happened in one feature, for the features above it to act on (Blinker signals, as Flask's own).

A lower feature never calls up into a higher one: it sends a signal here, and the higher feature
connects a receiver when the app is built (see `create_app`). Receivers run inside the request's
transaction, so what they write is committed, or rolled back, with what caused it.

- `lesson_completed`: sender the person, `lesson=` the lesson they finished (first time or again),
  `module_status=` the person's status in the lesson's module with it finished (learning.services.ModuleStatus).
- `quiz_submitted`: sender the person, `attempt=` the new quiz attempt (passed or not), `quiz=` its quiz.
  Sent once per attempt: the same form sent twice does not send it again.
- `launched`: sender the person, `module=` the module an LMS launch opened for them.
- `person_deleted`: sender the person whose data is being deleted (anonymised), before the request commits:
  a feature above privacy removes what it keeps about them.
- `certificate_printing`: sender the certificate whose PDF is about to be made; a receiver returns files to embed
  in it, each a dict of "name", "text", "mime" and "description" (the Open Badges credential, from badges).
"""

from blinker import Namespace

_signals = Namespace()

lesson_completed = _signals.signal("lesson-completed")
quiz_submitted = _signals.signal("quiz-submitted")
launched = _signals.signal("launched")
person_deleted = _signals.signal("person-deleted")
certificate_printing = _signals.signal("certificate-printing")
