"""The analysis on the shipped fixture: known groups of comments land together, Thai words stay whole, the same
comments give the same themes, and nothing is downloaded."""

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from civiclearn.themes.analysis import MIN_THEME_SIZE, Comment, find_themes, normalise, terms, words

FIXTURE = Path(__file__).with_name("comments.csv")
THAI_COMBINING = {chr(code) for code in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))}
THAI_LEADING_VOWELS = {chr(code) for code in range(0x0E40, 0x0E45)}


def fixture_rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return fixture_rows()


@pytest.fixture(scope="module")
def comments(rows) -> list[Comment]:
    return [Comment(number, row["text"], row["module"], row["month"]) for number, row in enumerate(rows, start=1)]


def test_the_fixture_has_enough_comments_in_both_languages(rows):
    groups = Counter(row["group"] for row in rows)
    assert len(rows) >= 150 and len([group for group in groups if group != "other"]) >= 7
    thai = sum(1 for row in rows if any("\u0e00" <= letter <= "\u0e7f" for letter in row["text"]))
    assert 50 <= thai <= len(rows) - 50


@pytest.mark.parametrize("language", ["th", "en"])
def test_each_known_group_lands_in_one_theme(rows, comments, language):
    """For each known group: the largest share of its comments in a single theme is at least 0.8."""
    themes = find_themes(comments, language)
    group_of = {comment.id: row["group"] for comment, row in zip(comments, rows, strict=True)}
    for group in set(group_of.values()) - {"other"}:
        members = {number for number, found in group_of.items() if found == group}
        best = max(len(members & set(theme.comment_ids)) for theme in themes)
        assert best / len(members) >= 0.8, group


def test_themes_are_large_enough_and_hold_each_comment_once(comments):
    themes = find_themes(comments, "en")
    ids = [number for theme in themes for number in theme.comment_ids]
    assert len(ids) == len(set(ids))
    assert all(len(theme.comment_ids) >= MIN_THEME_SIZE for theme in themes)
    assert all(theme.typical == theme.comment_ids[:3] for theme in themes)


def test_a_theme_counts_its_modules_and_months(rows, comments):
    theme = next(found for found in find_themes(comments, "en") if "traffy" in found.words)
    by_id = {comment.id: comment for comment in comments}
    assert theme.about == dict(Counter(by_id[number].about for number in theme.comment_ids).most_common())
    assert sum(theme.months.values()) == len(theme.comment_ids) and list(theme.months) == sorted(theme.months)


def test_key_words_come_in_the_readers_language_where_the_theme_has_them(comments):
    english = next(found for found in find_themes(comments, "en") if "quiz" in found.words)
    thai = next(found for found in find_themes(comments, "th") if "แบบทดสอบ" in found.words)
    assert set(english.comment_ids) == set(thai.comment_ids)
    assert english.words.index("quiz") < 2 and thai.words.index("แบบทดสอบ") < 2


def test_fewer_than_five_comments_make_no_theme():
    assert find_themes([Comment(number, "quiz too hard") for number in range(1, MIN_THEME_SIZE)]) == []


def test_the_same_comments_give_the_same_themes(comments):
    first, second = find_themes(comments, "th"), find_themes(list(comments), "th")
    assert [theme.as_dict() for theme in first] == [theme.as_dict() for theme in second]


@pytest.mark.parametrize("word", ["แบบทดสอบ", "ตัวหนังสือ", "อบต.", "มิจฉาชีพ", "ทราฟฟี่", "ออกจากระบบ"])
def test_known_thai_words_stay_whole(rows, word):
    containing = [row["text"] for row in rows if word in normalise(row["text"])]
    assert containing
    for text in containing:
        assert word in words(text), text


def test_no_thai_word_is_cut_mid_syllable(rows):
    for row in rows:
        for word in words(row["text"]):
            assert word[0] not in THAI_COMBINING and word[-1] not in THAI_LEADING_VOWELS, (word, row["text"])


def test_mixed_text_is_cut_by_script_and_normalised():
    assert words("แจ้งTraffyแล้วแก้ไข๒วัน") == ["แจ้ง", "traffy", "แล้ว", "แก้ไข", "2", "วัน"]
    assert normalise("ยากมากกกก SOOO") == "ยากมาก so"
    assert terms("The quiz is too hard") == ["quiz", "hard"]
    assert terms("แบบทดสอบยาก") == ["quiz", "hard"]


def test_thai_words_need_no_download(tmp_path):
    """With an empty PyThaiNLP data folder and no network proxy, tokenising and stop words work, and nothing
    is written there (a download would be)."""
    data = tmp_path / "pythainlp-data"
    data.mkdir()
    code = ("from civiclearn.themes.analysis import terms; "
            "print(terms('ไม่มีคำตอบจากอบต.เลย ตัวหนังสือเล็กมาก'))")
    environment = {**os.environ, "PYTHAINLP_DATA_DIR": str(data), "HOME": str(tmp_path),
                   "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    found = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120,
                           check=True)
    assert found.stdout.strip() == "['answer', 'lgo', 'font', 'small']"
    assert list(data.iterdir()) == []


NOTES = {  # civic action notes, in both languages, about three things people report
    "light": ("ไฟถนนหน้าวัดดับ แจ้งแล้ว", "street light broken near the school", "ไฟทางดับสามคืน",
              "the lamp on our street is out", "เสาไฟหน้าบ้านดับ มืดมาก", "street lights off again",
              "ไฟถนนซอยสามดับ", "reported the broken light by the market"),
    "rubbish": ("ขยะไม่มีคนเก็บมาสองอาทิตย์", "rubbish not collected for two weeks", "ขยะล้นถังหน้าตลาด",
                "garbage piling up by the road", "แจ้งเรื่องขยะริมคลอง", "trash everywhere near the temple",
                "ขยะกองหน้าหมู่บ้าน", "waste bins full, nobody collects"),
    "water": ("ท่อประปาแตก น้ำไหลทั้งวัน", "water pipe burst on our lane", "น้ำท่วมขังหน้าบ้านทุกครั้งที่ฝนตก",
              "flooding after rain, the drain is blocked", "ประปาไม่ไหลสามวัน", "no tap water for three days",
              "ท่อระบายน้ำอุดตัน", "the drain by the school floods"),
}


def test_civic_action_notes_in_thai_and_english_meet_in_one_theme_per_problem():
    """The glossary's civic words (light, rubbish, water...) bring a Thai note and an English one together."""
    notes = [Comment(number, text, group) for number, (group, text) in enumerate(
        ((group, text) for group, texts in NOTES.items() for text in texts), start=1)]
    themes = find_themes(notes, "en")
    for group, texts in NOTES.items():
        ids = {note.id for note in notes if note.about == group}
        together = max(len(ids & set(theme.comment_ids)) for theme in themes)
        assert together >= 0.8 * len(texts), (group, [theme.words for theme in themes])
