"""The explorer in headless Chromium (Playwright): structure, not pixels.

Uses Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``); the tests skip with a printed
reason only when no Chromium can be found. One browser and one server serve the whole module.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alliancelab.scenario import builtin_case_ids
from alliancelab.web.server import make_server

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
RUNS = 300


def _chromium() -> str | None:
    for cand in (os.environ.get("ALLIANCELAB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    exe = _chromium()
    if exe is None:
        reason = "Chromium not found (/usr/bin/chromium; apt-get install chromium, as .ci/run does)"
        print(f"SKIP browser tests: {reason}")
        pytest.skip(reason)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server() -> Iterator:
    data = SHARED_DATA if SHARED_DATA.is_dir() else None
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True, data_dir=data)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors
    yield pg
    ctx.close()


def _open(page, server, frag: str = "") -> None:
    page.goto(server.url + f"#runs={RUNS}&seed=1" + frag)
    page.wait_for_selector("#bars-alignment .bars li")
    page.wait_for_selector("#lab-fields .lab-row")


def test_lab_loads_and_a_slider_changes_the_forecast(page, server):
    _open(page, server, "&id=italy-1948")
    page.uncheck("#drivers")
    assert page.locator("#lab-fields details.lab-sec").count() >= 5
    assert page.locator("#lab-fields .lab-row").count() > 50
    budget = page.locator('#lab-fields input[type=number][data-path="patrons.USA.budget"]')
    budget.fill("0")
    budget.dispatch_event("change")
    page.wait_for_selector("#bars-alignment .track.alt")
    assert "patrons.USA.budget=0" in page.locator("#whatif-list").inner_text()
    text = page.locator("#bars-alignment").inner_text()
    assert "pts" in text and "95%" in text  # the change with its paired interval
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
