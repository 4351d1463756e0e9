"""Lesson Markdown rendered: headings get ids that are the same in both languages, and no other ids get through."""

import re

from civiclearn.courses import markdown

SECTION_IDS = re.compile(r'<h[2-6] id="(section-\d+)"')


def test_headings_are_numbered_in_page_order_the_same_in_both_languages(sample):
    lesson = sample.modules[1].lesson("ways-to-take-part")
    thai, english = (markdown.render(lesson.body.in_language(language), str) for language in ("th", "en"))
    assert SECTION_IDS.findall(thai) == [f"section-{number}" for number in range(1, 4)]
    assert SECTION_IDS.findall(english) == SECTION_IDS.findall(thai)


def test_an_authors_own_ids_are_removed():
    html = markdown.render('## One\n\nPress <kbd id="main">Tab</kbd>, <abbr id="section-1" title="t">x</abbr>\n\n'
                           '<h2 id="language-form">Two</h2>', str)
    assert re.findall(r'id="([^"]*)"', html) == ["section-1"]


def test_a_table_takes_keyboard_focus_so_a_phone_user_can_scroll_it():
    html = markdown.render("| Channel | Where |\n| --- | --- |\n| Police | www.thaipoliceonline.go.th |\n", str)
    assert '<table tabindex="0">' in html
