"""How long the comment themes take for 10,000 comments (goal: under 60 s on a centre's server).

The comments are the test fixture's (tests/themes/comments.csv), each written many times with small changes
(a word dropped, a polite ending or an emphasis added, another module and month), as real comments repeat.

    python benchmarks/themes.py [count]
"""

import csv
import random
import sys
import time
from pathlib import Path

from civiclearn.themes.analysis import Comment, find_themes

FIXTURE = Path(__file__).parents[1] / "tests" / "themes" / "comments.csv"
ENDINGS = ["", " ค่ะ", " ครับ", " นะ", " จริงๆ", "!!", " please", " :("]
MONTHS = [f"2026-{month:02d}" for month in range(1, 13)]


def varied(text: str, chance: random.Random) -> str:
    """The comment with one word dropped (sometimes) and an ending added."""
    parts = text.split()
    if len(parts) > 2 and chance.random() < 0.3:
        parts.pop(chance.randrange(len(parts)))
    return " ".join(parts) + chance.choice(ENDINGS)


def comments(count: int) -> list[Comment]:
    with FIXTURE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    chance = random.Random(16)
    return [Comment(number, varied(row["text"], chance), chance.choice(["m1", "m2", "m3", "m4", "m5", "m6"]),
                    chance.choice(MONTHS))
            for number, row in enumerate((chance.choice(rows) for _ in range(count)), start=1)]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    found = comments(count)
    started = time.perf_counter()
    themes = find_themes(found, "th")
    took = time.perf_counter() - started
    print(f"{count} comments -> {len(themes)} themes in {took:.1f} s (goal: under 60 s)")
    for theme in themes:
        print(f"  {len(theme.comment_ids):5d}  {', '.join(theme.words)}")


if __name__ == "__main__":
    main()
