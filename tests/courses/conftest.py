"""Fixtures of the course tests."""

from pathlib import Path

import pytest


@pytest.fixture
def course(courses_dir) -> Path:
    """The sample course's folder in a writable copy, for checker tests that edit its files."""
    return courses_dir / "getting-started"
