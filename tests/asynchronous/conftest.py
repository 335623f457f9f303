import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture(autouse=True)
def _fixed_today():
    """Dates in these tests are about KDLA's cycles: pin the day."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def stored_files(settings):
    """Paths of every file in the private media folder, at the moment of the call."""

    def listing() -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return listing
