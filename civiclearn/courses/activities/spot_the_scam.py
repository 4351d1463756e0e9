"""Spot the scam: judge a series of messages and calls, and learn the reason for each.

A message judged wrongly gets a clue to look for, not its verdict: the verdicts and reasons are the answer,
shown after two wrong tries."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from civiclearn.courses.activities.base import ActivityType, Answer, Review, decision, review_decisions
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.schema import Bilingual
from civiclearn.courses.yamlfile import LineMap
from civiclearn.forms import Form, bind

CHANNELS = {
    "sms": _l("SMS"), "call": _l("Phone call"), "video-call": _l("Video call"), "line": _l("LINE message"),
    "app": _l("App"), "email": _l("Email"), "website": _l("Website"), "social": _l("Social media post"),
}
MESSAGE_FIELDS = {"id", "channel", "sender", "text", "scam", "why", "clue"}


@dataclass(frozen=True)
class Message:
    key: str
    channel: str
    sender: Bilingual
    text: Bilingual
    scam: bool
    why: Bilingual
    clue: Bilingual | None = None  # what to look at again, without giving the verdict away

    @property
    def field(self) -> str:
        return "message_" + self.key.replace("-", "_")


def read(reader: FieldReader, path: str, data: LineMap) -> list[Message] | None:
    """The messages to judge; at least one must be a scam."""
    entries, count = reader.entries(path, data, "messages", "message", MESSAGE_FIELDS,
                                    "is already used in this activity")
    messages = []
    for key, entry in entries:
        channel, scam = entry.get("channel"), entry.get("scam")
        if not isinstance(channel, str) or channel not in CHANNELS:
            reader.problem(path, entry.line_of("channel"), f"channel must be one of {', '.join(CHANNELS)}")
        if not isinstance(scam, bool):
            reader.problem(path, entry.line_of("scam"), "scam must be true or false")
        texts = [reader.text(path, entry, name, f'{name} of message "{key}"') for name in ("sender", "text", "why")]
        clue = reader.text(path, entry, "clue", f'clue of message "{key}"', required=False)
        if isinstance(channel, str) and channel in CHANNELS and isinstance(scam, bool) and all(texts):
            messages.append(Message(key, channel, *texts[:2], scam, texts[2], clue))
    if count and len(messages) == count and not any(message.scam for message in messages):
        reader.problem(path, data.line_of("messages"), "spot-the-scam needs at least one message with scam: true")
        return None
    return messages if count and len(messages) == count else None


def form(messages: list[Message], language: str, formdata=None) -> Form:
    """A verdict (scam or real) for each message."""
    verdicts = [SelectChoice("scam", _("It is a scam")), SelectChoice("real", _("It seems real"))]
    fields = {message.field: decision(message.sender.in_language(language), verdicts) for message in messages}
    return bind(type("SpotTheScamForm", (Form,), fields), formdata)


def clue(message: Message, language: str) -> str:
    """What to look at again in a message judged wrongly: its own clue, else the questions that fit every message."""
    if message.clue:
        return message.clue.in_language(language)
    return _("Who sent it? Did you ask for it? What does it ask you to do? Does it rush you?")


def review(messages: list[Message], form: Form, language: str) -> Review:
    """Each message: judged right, with the reason it is (or is not) a scam; or judged wrongly, with a clue to look
    for, so that the second go is the learner's own. Done when all are right."""
    return review_decisions(messages, form, language, lambda message: "scam" if message.scam else "real", clue)


def answer(messages: list[Message], language: str) -> list[Answer]:
    """Every message's verdict and the reason for it."""
    return [Answer(_("Message %(number)s, from %(sender)s", number=number, sender=message.sender.in_language(language)),
                   _("It is a scam") if message.scam else _("It seems real"), message.why.in_language(language),
                   message.text.in_language(language))
            for number, message in enumerate(messages, start=1)]


TYPE = ActivityType("spot-the-scam", frozenset({"messages"}), read, form, review, answer,
                    "activities/spot-the-scam.html", labels=CHANNELS)
