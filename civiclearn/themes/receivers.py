"""What the comment themes do when something happens elsewhere (see civiclearn.signals)."""

from civiclearn import signals
from civiclearn.accounts.models import User
from civiclearn.themes import services


def person_deleted(person: User) -> None:
    """Their own runs go; their comments, blanked by privacy, drop out of everyone's themes on the page."""
    services.forget_requester(person)


def connect() -> None:
    """Called once the app is built (connecting again changes nothing)."""
    signals.person_deleted.connect(person_deleted)
