"""Reading help in a real browser: Listen (the browser's speech, faked with a known list of voices), the text
size kept on the device, and the language switch coming back to the part of the lesson being read."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_learner

LESSON = "/courses/getting-started/how-it-works/reading-a-lesson"
PRACTICE_LESSON = "/courses/getting-started/how-it-works/code-and-pin"
LONG_LESSON = "/courses/getting-started/take-part/ways-to-take-part"
QUIZ = "/courses/getting-started/how-it-works/quiz"
THAI_VOICE = {"name": "Thai (test)", "lang": "th-TH", "localService": True, "default": False}
ENGLISH_VOICE = {"name": "English (test)", "lang": "en-US", "localService": True, "default": True}
USUAL_SIZE, LARGE, LARGER = "18px", "22.5px", "27px"  # the root font: 112.5% of 16px, then 125% and 150% of it

# The browser's speech, replaced by one that speaks nothing: its voices arrive a moment after the page, as
# Chrome's do (then window.voicesArrived is true); what it is asked to say is kept in window.spoken; finishSpeech() ends what it is saying; a
# stop while it speaks is noted in sessionStorage, which the next page can still read.
FAKE_SPEECH = """
(voices => {
  const listeners = [];
  let queue = [];
  let ready = false;
  window.spoken = [];
  Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
    getVoices: () => ready ? voices : [],
    speak(utterance) {
      window.spoken.push({text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name});
      queue.push(utterance);
      if (utterance.onstart) utterance.onstart();
    },
    cancel() {
      if (queue.length) sessionStorage.setItem("speech-stopped", location.pathname);
      const stopped = queue;
      queue = [];
      stopped.forEach(utterance => utterance.onerror && utterance.onerror({error: "interrupted"}));
    },
    addEventListener(type, listener) { if (type === "voiceschanged") listeners.push(listener); },
  }});
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
  };
  window.finishSpeech = () => {
    const said = queue;
    queue = [];
    said.forEach(utterance => utterance.onend && utterance.onend({}));
  };
  setTimeout(() => {
    ready = true;
    listeners.forEach(listener => listener(new Event("voiceschanged")));
    window.voicesArrived = true;
  }, 50);
})(VOICES);
"""


def fake_speech(page, voices: list[dict]) -> None:
    page.add_init_script(FAKE_SPEECH.replace("VOICES", json.dumps(voices)))


def spoken(page) -> list[dict]:
    return page.evaluate("window.spoken")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def root_font_size(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).fontSize")


# Listen

def test_listen_reads_a_thai_lesson_in_a_thai_voice_and_stops(page, sample, make_learner, assert_accessible):
    fake_speech(page, [ENGLISH_VOICE, THAI_VOICE])
    sign_in_learner(page, make_learner())
    page.goto(LESSON)
    listen = page.get_by_role("button", name="ฟัง", exact=True)
    expect(listen).to_be_visible()
    expect(listen).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)

    listen.click()
    expect(listen).to_have_attribute("aria-pressed", "true")
    said = spoken(page)
    lesson_text = words(page.locator(".lesson-body").text_content())
    assert said[0]["text"] == "แต่ละบทเรียนสั้น ใช้เวลาประมาณ 5 นาที อ่านจากบนลงล่างได้เลย"
    assert " ".join(part["text"] for part in said) == lesson_text  # all of it, block by block, in order
    assert {(part["lang"], part["voice"]) for part in said} == {("th-TH", "Thai (test)")}

    listen.click()  # pressed again: it stops
    expect(listen).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("sessionStorage.getItem('speech-stopped')") == LESSON

    page.evaluate("sessionStorage.clear()")
    listen.click()
    page.evaluate("finishSpeech()")  # read to the end: no longer pressed
    expect(listen).to_have_attribute("aria-pressed", "false")

    listen.click()
    page.get_by_role("link", name=sample.modules[0].title.th).click()  # leaving the page stops it
    expect(page.get_by_role("heading", level=1)).to_have_text(sample.modules[0].title.th)
    assert page.evaluate("sessionStorage.getItem('speech-stopped')") == LESSON


def test_listen_reads_each_quiz_question_with_its_choices_one_at_a_time(page, sample, make_learner,
                                                                        assert_accessible):
    quiz = sample.modules[0].quiz
    fake_speech(page, [THAI_VOICE])
    sign_in_learner(page, make_learner())
    page.goto(QUIZ)
    buttons = page.get_by_role("button", name="ฟัง", exact=True)
    expect(buttons).to_have_count(1)  # a quiz shows one question at a time
    page.get_by_role("button", name="ดูคำถามทุกข้อในหน้าเดียว").click()
    expect(buttons).to_have_count(len(quiz.questions))
    assert_accessible(page)

    first, second = buttons.nth(0), buttons.nth(1)
    first.click()
    second.click()  # one thing speaks at a time
    expect(first).to_have_attribute("aria-pressed", "false")
    expect(second).to_have_attribute("aria-pressed", "true")
    question = quiz.questions[1]
    hints = 1 if question.kind == "multiple" else 0  # "choose all the answers that are right"
    second_said = [part["text"] for part in spoken(page)][-(1 + hints + len(question.choices)):]
    assert question.prompt.th in second_said[0]
    shown = page.locator(".question").nth(1).locator("label").all_inner_texts()  # the attempt's own order
    assert second_said[1 + hints:] == [label.strip() for label in shown]
    assert sorted(shown) == sorted(choice.text.th for choice in question.choices)
    assert all(part["lang"] == "th-TH" for part in spoken(page))


@pytest.mark.parametrize("voices", [[], [ENGLISH_VOICE]], ids=["no voice", "no Thai voice"])
def test_no_listen_button_without_a_voice_for_the_page(page, sample, make_learner, voices):
    fake_speech(page, voices)
    sign_in_learner(page, make_learner())
    for address in (LESSON, QUIZ):
        page.goto(address)
        page.wait_for_function("() => window.voicesArrived === true")
        expect(page.get_by_role("button", name="ฟัง")).to_have_count(0)


def test_an_english_page_is_read_in_an_english_voice(page, sample, make_learner):
    fake_speech(page, [THAI_VOICE, ENGLISH_VOICE])
    sign_in_learner(page, make_learner())
    page.goto(LESSON)
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Listen", exact=True).click()
    said = spoken(page)
    assert said[0]["text"] == "Each lesson is short: about 5 minutes. Just read from top to bottom."
    assert {(part["lang"], part["voice"]) for part in said} == {("en-US", "English (test)")}


# Text size

def test_the_text_size_has_three_steps_kept_on_this_device_only(browser, live_server, page, sample, make_learner,
                                                                 assert_accessible):
    page.add_init_script("""new MutationObserver((records, observer) => {
        if (document.body) { window.sizeAtFirstDraw = document.documentElement.className; observer.disconnect(); }
    }).observe(document, {childList: true, subtree: true});""")
    page.goto("/")
    sizes = page.get_by_role("group", name="ขนาดตัวอักษร")
    expect(sizes.get_by_role("button", name="ปกติ")).to_have_attribute("aria-pressed", "true")
    assert root_font_size(page) == USUAL_SIZE
    sizes.get_by_role("button", name="ใหญ่", exact=True).click()
    assert root_font_size(page) == LARGE
    sizes.get_by_role("button", name="ใหญ่มาก").click()
    assert root_font_size(page) == LARGER
    expect(sizes.get_by_role("button", name="ใหญ่มาก")).to_have_attribute("aria-pressed", "true")
    expect(sizes.get_by_role("button", name="ปกติ")).to_have_attribute("aria-pressed", "false")

    sign_in_learner(page, make_learner())
    page.goto(LESSON)  # another page: the same size, there before the page is drawn
    assert root_font_size(page) == LARGER
    assert page.evaluate("window.sizeAtFirstDraw") == "text-larger"
    expect(page.get_by_role("group", name="ขนาดตัวอักษร").get_by_role("button", name="ใหญ่มาก")).to_have_attribute(
        "aria-pressed", "true")
    assert_accessible(page)  # at the largest size, too: nothing scrolls sideways on a phone
    page.reload()
    assert root_font_size(page) == LARGER

    other_device = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    elsewhere = other_device.new_page()
    elsewhere.goto("/")
    assert root_font_size(elsewhere) == USUAL_SIZE
    other_device.close()

    page.get_by_role("group", name="ขนาดตัวอักษร").get_by_role("button", name="ปกติ").click()
    assert root_font_size(page) == USUAL_SIZE
    page.reload()
    assert root_font_size(page) == USUAL_SIZE


def test_without_javascript_no_control_needs_it(browser, live_server, sample, make_learner):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    sign_in_learner(page, make_learner())
    page.goto(LONG_LESSON)
    expect(page.get_by_role("group", name="ขนาดตัวอักษร")).to_be_hidden()
    expect(page.get_by_role("button", name="ฟัง")).to_have_count(0)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "#" not in page.url
    context.close()


# The language switch keeps the reading place

@pytest.mark.parametrize("address, part", [(LONG_LESSON, "#section-2"), (PRACTICE_LESSON, "#practice-title")],
                         ids=["a lesson's section", "the practice, whose form the switch sends"])
def test_switching_language_comes_back_to_the_part_being_read(page, sample, make_learner, address, part):
    sign_in_learner(page, make_learner())
    page.goto(address)
    page.get_by_role("button", name="English").click()  # not scrolled: the page comes back at its top
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "#" not in page.url

    english_heading = page.locator(part).text_content()
    page.locator(part).evaluate("""part => new Promise(done => {
        part.scrollIntoView();
        requestAnimationFrame(() => requestAnimationFrame(done));
    })""")
    page.get_by_role("button", name="ไทย").click()  # (Playwright scrolls up to the button first, as a reader does)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    assert page.url.endswith(address + part)
    expect(page.locator(part)).to_be_in_viewport()
    assert page.locator(part).text_content() != english_heading  # the same part, now in Thai

    page.goto(address + "#main")  # an address with its own #part, above the first heading: kept
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(address + "#main")
