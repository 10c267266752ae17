"""The browser tests' Chromium: found here, and its absence reported at the end of every run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SKIP_REASON = "Chromium not found (/usr/bin/chromium; apt-get install chromium, as .ci/run does)"


def find_chromium() -> str | None:
    """Debian's Chromium (or ``$ALLIANCELAB_CHROMIUM``), else ``None``."""
    for cand in (os.environ.get("ALLIANCELAB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return None


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """Print why the browser tests were skipped (pytest -q shows no skip reasons by default)."""
    if find_chromium() is None and any("test_browser" in r.nodeid
                                       for r in terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(f"tests/web/test_browser.py skipped: {SKIP_REASON}")
