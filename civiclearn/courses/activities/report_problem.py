"""Report a local problem: a step-by-step imitation of a problem report (category, photo, place,
description), reviewed for the qualities of a good report. It never sends anything anywhere.

A step that is not right yet says which step and what to change (what was chosen, how many more characters),
never the right choice: that is the answer, shown after two wrong tries."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from civiclearn.courses.activities.base import ActivityType, Answer, Check, Review
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.pages import check_image
from civiclearn.courses.schema import Bilingual
from civiclearn.courses.yamlfile import LineMap
from civiclearn.forms import Form, bind

OPTION_FIELDS = {"id", "label", "right"}
PHOTO_FIELDS = {"id", "image", "alt", "clear", "why"}
PLACES_FIELDS = {"image", "alt", "options"}
DESCRIPTION_FIELDS = {"min_length", "time_words", "example"}
MIN_TYPED_PLACE = 5


@dataclass(frozen=True)
class Option:
    key: str
    label: Bilingual
    right: bool


@dataclass(frozen=True)
class Photo:
    key: str
    image: str  # course-relative path
    alt: Bilingual
    clear: bool
    why: Bilingual


@dataclass(frozen=True)
class Spec:
    scenario: Bilingual
    categories: list[Option]
    photos: list[Photo]
    map_image: str
    map_alt: Bilingual
    places: list[Option]
    min_length: int
    time_words: Bilingual  # comma-separated words that say when: "since", "days"...
    example: Bilingual | None = None  # a good description, shown with the answer


def _options(reader: FieldReader, path: str, data: LineMap, key: str, what: str) -> list[Option] | None:
    """Choices (categories, places) of which exactly one is right."""
    entries, count = reader.entries(path, data, key, what, OPTION_FIELDS)
    found = [Option(option_key, label, entry.get("right") is True) for option_key, entry in entries
             if (label := reader.text(path, entry, "label", f'label of {what} "{option_key}"'))]
    if len(found) != count or not count:
        return None
    if sum(option.right for option in found) != 1:
        reader.problem(path, data.line_of(key), f"{key}: mark exactly one {what} with right: true")
        return None
    return found


def _photos(reader: FieldReader, path: str, data: LineMap) -> list[Photo] | None:
    """Photos to choose from, at least one clear, each with the reason it is (or is not) a good one."""
    entries, count = reader.entries(path, data, "photos", "photo", PHOTO_FIELDS)
    found = []
    for key, entry in entries:
        image = check_image(reader, path, entry.line_of("image"), entry.get("image"))
        alt = reader.text(path, entry, "alt", f'alt of photo "{key}"')
        why = reader.text(path, entry, "why", f'why of photo "{key}"')
        if image and alt and why:
            found.append(Photo(key, image, alt, entry.get("clear") is True, why))
    if count < 2:
        reader.problem(path, data.line_of("photos"), "photos: give at least two photos to choose from")
        return None
    if len(found) != count:
        return None
    if not any(photo.clear for photo in found):
        reader.problem(path, data.line_of("photos"), "photos: mark at least one photo with clear: true")
        return None
    return found


def read(reader: FieldReader, path: str, data: LineMap) -> Spec | None:
    """The scenario and the choices of each step of the practice report."""
    scenario = reader.text(path, data, "scenario")
    categories = _options(reader, path, data, "categories", "category")
    photos = _photos(reader, path, data)
    places = reader.mapping(path, data.line_of("places"), data.get("places"), "places", PLACES_FIELDS)
    map_image = places and check_image(reader, path, places.line_of("image"), places.get("image"))
    map_alt = places and reader.text(path, places, "alt", "alt of the map")
    options = places and _options(reader, path, places, "options", "place")
    description = reader.mapping(path, data.line_of("description"), data.get("description"), "description",
                                 DESCRIPTION_FIELDS)
    min_length = description and reader.integer(path, description, "min_length", 10, 500, default=40)
    time_words = description and reader.text(path, description, "time_words", "time words")
    example = description and reader.text(path, description, "example", "example description", required=False)
    if None in (scenario, categories, photos, map_image, map_alt, options, min_length, time_words):
        return None
    return Spec(scenario, categories, photos, map_image, map_alt, options, min_length, time_words, example)


def _chosen(form, field) -> None:
    """A required choice, with a message in the learner's language."""
    if not field.data:
        raise ValidationError(_("Choose one."))


def form(spec: Spec, language: str, formdata=None) -> Form:
    """The four steps of a report, as one form that works without JavaScript."""
    def choices(options) -> list[SelectChoice]:
        return [SelectChoice(option.key, option.label.in_language(language)) for option in options]

    class ReportForm(Form):
        category = RadioField(_("1. What kind of problem is it?"), choices=choices(spec.categories),
                              validators=[_chosen], validate_choice=False)
        photo = RadioField(_("2. Choose the photo to send"),
                           choices=[SelectChoice(photo.key, photo.alt.in_language(language)) for photo in spec.photos],
                           validators=[_chosen], validate_choice=False)
        place = RadioField(_("3. Where is it? Choose a place on the map"), choices=choices(spec.places),
                           validators=[Optional()], validate_choice=False)
        place_typed = StringField(_("... or type where it is"),
                                  validators=[Optional(), Length(max=200, message=_("Use at most 200 characters."))],
                                  render_kw={"autocomplete": "off"})
        description = TextAreaField(_("4. Describe the problem"),
                                    description=_("Say what is wrong, where exactly, and since when."),
                                    validators=[Length(max=1000, message=_("Use at most 1000 characters."))],
                                    render_kw={"rows": 4})
    return bind(ReportForm, formdata)


def _mentions_when(text: str, time_words: Bilingual) -> bool:
    """Whether the text says since when. English words must start a word ("ago" is not in "pagoda");
    Thai has no spaces between words, so Thai time words are found anywhere: authors list whole
    words that are not part of others ("สัปดาห์", not "คืน", which is also in "คืนเงิน")."""
    text = text.lower()
    for language in ("th", "en"):
        for word in (word.strip().lower() for word in time_words.in_language(language).split(",")):
            if word and (re.search(rf"\b{re.escape(word)}", text) if word.isascii() else word in text):
                return True
    return False


def _label(options: list[Option], key: str | None, language: str) -> str | None:
    """The label of the option chosen, if it is one of them."""
    return next((option.label.in_language(language) for option in options if option.key == key), None)


def _category_check(spec: Spec, form: Form, language: str) -> Check:
    right = next(option for option in spec.categories if option.right)
    if form.category.data == right.key:
        return Check(True, _("The right kind helps the report reach the right office: here, %(kind)s.",
                             kind=right.label.in_language(language)))
    chosen = _label(spec.categories, form.category.data, language)
    return Check(False, _('Step 1: "%(chosen)s" is not the kind of problem in this story. Read "What you see" again '
                          'and choose the kind that fits.', chosen=chosen) if chosen else _("Choose one."))


def _photo_check(spec: Spec, form: Form, language: str) -> Check:
    photo = next((photo for photo in spec.photos if photo.key == form.photo.data), None)
    if photo is None:
        return Check(False, _("Choose a photo."))
    why = photo.why.in_language(language)  # the author's words say what makes this photo good, or what to change
    return Check(True, why) if photo.clear else Check(False, _("Step 2, the photo: %(why)s", why=why))


def _place_check(spec: Spec, form: Form, language: str) -> Check:
    right = next(option for option in spec.places if option.right)
    if form.place.data == right.key or len((form.place_typed.data or "").strip()) >= MIN_TYPED_PLACE:
        return Check(True, _("The officer must find the place: here, %(place)s.",
                             place=right.label.in_language(language)))
    chosen = _label(spec.places, form.place.data, language)
    if chosen:
        return Check(False, _('Step 3: "%(chosen)s" is not where the problem is. Read "What you see" again and choose '
                              'that place on the map, or type where it is.', chosen=chosen))
    return Check(False, _("Step 3: say where it is: choose the place on the map, or type it in at least %(count)s "
                          "characters.", count=MIN_TYPED_PLACE))


def _description_checks(spec: Spec, form: Form) -> list[Check]:
    description = (form.description.data or "").strip()
    missing = spec.min_length - len(description)
    if missing <= 0:
        long_enough = Check(True, _("A description of at least %(count)s characters says what is wrong and where.",
                                    count=spec.min_length))
    else:
        long_enough = Check(False, ngettext(
            "Step 4: write at least %(num)s more character in the description: say what is wrong and exactly where.",
            "Step 4: write at least %(num)s more characters in the description: say what is wrong and exactly where.",
            missing))
    if _mentions_when(description, spec.time_words):
        when = Check(True, _("It says since when."))
    else:
        when = Check(False, _("Step 4: say since when in the description, for example: since last week."))
    return [long_enough, when]


def review(spec: Spec, form: Form, language: str) -> Review:
    """The four qualities of a good report; done when the practice report has them all."""
    checks = [_category_check(spec, form, language), _photo_check(spec, form, language),
              _place_check(spec, form, language), *_description_checks(spec, form)]
    return Review(done=all(check.passed for check in checks), checks=checks)


def answer(spec: Spec, language: str) -> list[Answer]:
    """Each step done right: the kind, a clear photo, the place, and a description that says what, where and when."""
    category = next(option for option in spec.categories if option.right)
    photo = next(photo for photo in spec.photos if photo.clear)
    place = next(option for option in spec.places if option.right)
    example = (spec.example.in_language(language) if spec.example
               else _("Say what is wrong, where exactly, and since when: for example, since last week."))
    return [
        Answer(_("1. What kind of problem is it?"), category.label.in_language(language),
               _("The right kind helps the report reach the right office.")),
        Answer(_("2. Choose the photo to send"), photo.alt.in_language(language), photo.why.in_language(language)),
        Answer(_("3. Where is it? Choose a place on the map"), place.label.in_language(language),
               _("The officer must find the place.")),
        Answer(_("4. Describe the problem"), example,
               _("A good description says what is wrong, where exactly, and since when, in at least %(count)s "
                 "characters.", count=spec.min_length)),
    ]


TYPE = ActivityType("report-problem", frozenset({"scenario", "categories", "photos", "places", "description"}),
                    read, form, review, answer, "activities/report-problem.html")
