"""The explorer in headless Chromium (Playwright): structure, not pixels.

Uses Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``); the tests skip with a printed
reason only when no Chromium can be found. One browser and one server serve the whole module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alliancelab.scenario import builtin_case_ids
from alliancelab.web.server import make_server

from .conftest import SKIP_REASON, find_chromium

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
RUNS = 300


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    exe = find_chromium()
    if exe is None:
        pytest.skip(SKIP_REASON)
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


def _open(page, server, frag: str = "", runs: int = RUNS) -> None:
    page.goto(server.url + f"#runs={runs}&seed=1" + frag)
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
    # the slider itself, moved from the keyboard: a new what-if replaces the old one
    page.click("#lab-reset")
    page.wait_for_function("() => document.querySelector('#legend-compare').hidden")
    slider = page.locator('#lab-fields input[type=range][data-path="patrons.USA.tolerance"]')
    slider.focus()
    page.keyboard.press("Home")  # tolerance 0
    page.wait_for_function("() => document.querySelector('#whatif-list').textContent.includes('patrons.USA.tolerance=0')")
    assert page.locator("#lab-changed").inner_text() == "1 fact changed"
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def _pick(page, scenario_id: str) -> None:
    page.select_option("#scenario", scenario_id)
    page.wait_for_function("id => document.querySelector('#result-meta').textContent.includes('runs') && "
                           "!document.querySelector('#status').classList.contains('busy')", arg=scenario_id)


def test_each_case_loads_with_facts_sliders_and_a_forecast(page, server):
    _open(page, server, "&id=italy-1948", runs=50)
    page.uncheck("#drivers")
    for case in builtin_case_ids():
        _pick(page, case)
        page.wait_for_function("() => document.querySelector('#lab-fields .lab-row') !== null")
        assert page.locator("#bars-alignment .bars li").count() >= 2, case
        assert page.locator("#lab-fields details.lab-sec").count() >= 3, case
        assert page.locator("#facts table").count() >= 2, case
        assert page.locator("#error").is_hidden(), (case, page.locator("#error").inner_text())
    assert not page.errors, page.errors


def test_editor_shows_the_validator_error_at_the_field_and_forecasts_the_fixed_file(page, server):
    _open(page, server, "&id=italy-1948")
    page.click("#tab-editor")
    page.wait_for_selector("#ed-status:has-text('Valid')")
    text = page.input_value("#ed-text")
    lines = text.splitlines()
    line = next(i for i, x in enumerate(lines, 1) if x.strip().startswith("tolerance:"))
    lines[line - 1] = lines[line - 1].split("tolerance:")[0] + "tolerance: 7"
    bad = "\n".join(lines)
    page.fill("#ed-text", bad)
    page.wait_for_selector("#ed-error:visible")
    msg = page.locator("#ed-error .ed-msg").inner_text()
    assert "field 'patrons." in msg and "tolerance" in msg and "allowed: a share in [0, 1]" in msg, msg
    assert page.locator("#ed-gutter .bad").inner_text() == str(line)  # the error points at its line
    assert page.get_attribute("#ed-text", "aria-invalid") == "true"
    page.fill("#ed-text", text.replace("title: \"", "title: \"Edited ", 1))
    page.wait_for_selector("#ed-status:has-text('Valid')")
    page.click("#ed-share")
    link = page.wait_for_selector("#ed-share-link").input_value()
    assert "#yaml=" in link
    page.click("#ed-use")
    page.wait_for_selector("#result-title:has-text('(edited)')")
    page.wait_for_selector("#bars-alignment .bars li")
    # the share link rebuilds the edited scenario in a fresh page
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_selector("#result-title:has-text('Edited')", timeout=60_000)
    other.wait_for_selector("#bars-alignment .bars li", timeout=60_000)


def test_network_steps_through_the_periods(page, server):
    _open(page, server, "&id=italy-1948")
    page.click("#tab-network")
    page.wait_for_selector("#net-graph canvas")
    periods = page.evaluate("() => window.AL.state.base.periods")
    assert page.inner_text("#net-period-label") == periods[0]
    n_nodes = page.evaluate("() => window.AL.networkGraph().nodes().length")
    assert n_nodes >= 2 + 1 + 4  # two patrons, the client and its four factions
    page.click("#net-next")
    assert page.inner_text("#net-period-label") == periods[1]
    assert page.locator("#net-table caption").inner_text() == f"Edges in {periods[1]}"
    assert "support" in page.locator("#net-table tbody th").all_inner_texts()
    page.focus("#net-period")
    page.keyboard.press("End")  # the slider by keyboard: the final period, when Italy is aligned
    assert page.inner_text("#net-period-label") == periods[-1]
    assert "alignment" in page.locator("#net-table tbody th").all_inner_texts()
    page.keyboard.press("Home")
    widths = page.evaluate("() => window.AL.networkGraph().edges('[kind = \"support\"]').map(e => e.data('width'))")
    assert len(set(widths)) > 1  # width by amount
    page.click("#net-prev")
    assert page.inner_text("#net-period-label") == periods[0]
    page.click("#net-play")
    page.wait_for_function("p => document.querySelector('#net-period-label').textContent === p", arg=periods[2],
                           timeout=10_000)
    page.click("#net-play")  # pause
    assert "rules" in page.inner_text("#net-side").lower() or "Who rules" in page.inner_text("#net-side")


def test_world_view_from_the_shared_data(page, server, shared_data_dir):
    server.data_dir = shared_data_dir
    _open(page, server, "&id=italy-1948")
    page.evaluate("() => { document.querySelector('#world-states').value = 15;"
                  " document.querySelector('#world-runs').value = 200; }")
    page.click("#tab-world")
    page.wait_for_selector("#world-table table", timeout=120_000)
    assert "World of 1950" in page.inner_text("#world-meta")
    assert page.locator("#world-table tbody tr").count() >= 3
    st, x, y = page.evaluate("() => { const n = window.AL.worldGraph().nodes('[kind = \"state\"]')[0];"
                             " const p = n.renderedPosition(); return [n.id(), p.x, p.y]; }")
    page.locator("#world-graph").click(position={"x": x, "y": y})
    page.wait_for_selector(f"#world-side h3:has-text('{st}')")
    side = page.inner_text("#world-side")
    assert "Capabilities" in side and "Rivals" in side and "affinity" in side, side
    # the same from the keyboard: every state in the camps table is a button
    other = page.locator("#world-table button.state-btn").last
    name = other.get_attribute("data-state")
    other.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#world-side h3:has-text('{name}')")
    # 1950 has a reference partition: each listed state's record camp, the model's, the errors marked
    page.wait_for_selector("#world-score table", timeout=120_000)
    count = page.inner_text("#world-score-count")
    n_errors = int(count.split()[0])
    assert "listed states" in count
    assert page.locator("#world-score tbody .camp-error").count() == n_errors
    assert page.locator("#world-score tbody tr").count() >= 40
    assert "world camps --year 1950" in page.inner_text("#world-score")


def test_validation_tab_table_sorts_and_opens_a_case(page, server):
    _open(page, server, "&id=italy-1948")
    page.click("#tab-validation")
    page.wait_for_selector("#val-table tbody tr", timeout=120_000)
    rows = page.locator("#val-table tbody tr")
    assert rows.count() >= 5
    totals = page.inner_text("#val-totals-line")
    assert "Model" in totals and "Balance of power" in totals and "Persistence" in totals
    assert "R-hat max" in page.inner_text("#val-summary") and "converge" in page.inner_text("#val-summary")
    # every miss is marked: a red row with a 'miss' badge
    assert page.locator("#val-table tr.miss").count() == page.locator("#val-table .badge.fail").count()
    # sort by P(history): ascending, then descending
    page.click("#val-table th button[data-col='4']")
    cells = page.locator("#val-table tbody tr td:nth-child(5)").all_inner_texts()
    values = [float(c.rstrip("%")) for c in cells]
    assert values == sorted(values)
    assert page.get_attribute("#val-table th:nth-child(5)", "aria-sort") == "ascending"
    page.click("#val-table th button[data-col='4']")
    cells = page.locator("#val-table tbody tr td:nth-child(5)").all_inner_texts()
    assert [float(c.rstrip("%")) for c in cells] == sorted(values, reverse=True)
    # a case id opens the case in the Forecast view
    link = page.locator("#val-table a.case-link").first
    case = link.inner_text()
    link.click()
    assert page.get_attribute("#tab-forecast", "aria-selected") == "true"
    page.wait_for_function(f"() => document.querySelector('#scenario').value === {case!r}")
    assert not [e for e in page.errors if "Failed to load resource" not in e], page.errors


def test_advice_table_and_plot(page, server):
    _open(page, server, "&id=italy-1948")
    page.click("#tab-advice")
    page.select_option("#adv-patron", "USA")
    page.click("#adv-run")
    page.wait_for_selector("#adv-table table", timeout=120_000)
    rows = page.locator("#adv-table tbody tr").count()
    assert rows >= 5
    assert page.locator("#adv-plot circle.adv-pt").count() == rows


def test_advice_over_the_posterior_when_the_box_is_ticked(page, server):
    """The advice tab asks for the same posterior forecasts as the forecast tab (paired strategies)."""
    _open(page, server, "&id=italy-1948")
    page.check("#use-posterior")
    page.click("#tab-advice")
    page.select_option("#adv-patron", "USA")
    page.click("#adv-run")
    page.wait_for_selector("#adv-table table", timeout=120_000)
    text = page.inner_text("#adv-table")
    assert "over the posterior" in text and "P(best)" in text and "paired" in text


def test_glossary_keyboard_and_errors_in_view(page, server):
    _open(page, server, "&id=italy-1948")
    page.focus("#tab-forecast")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#tab-editor", "aria-selected") == "true"
    page.keyboard.press("End")
    assert page.get_attribute("#tab-glossary", "aria-selected") == "true"
    page.wait_for_selector("#gl-out dt")
    page.fill("#gl-filter", "precarity")
    terms = page.locator("#gl-out dt").all_inner_texts()
    assert "precarity" in terms
    assert page.locator("#gl-out tbody tr").count() >= 1  # E9 mentions precarity
    page.click("#tab-forecast")
    assert page.locator(".gloss").count() > 0  # hover definitions on the page's terms
    # a bad value typed in the lab: the one-line error appears in the lab, where the user is looking
    tol = page.locator('#lab-fields input[type=number][data-path="patrons.USA.tolerance"]')
    tol.fill("3")
    tol.dispatch_event("change")
    err = page.locator("#lab-error")
    assert err.is_visible() and "patrons.USA.tolerance" in err.inner_text() and "allowed" in err.inner_text()
    box = err.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000


def test_optional_forecast_keys_are_rendered_when_present(page, server):
    """alignment_form (E19) and a posterior ``uncertainty`` block appear only when the API sends them."""
    import json

    def add_keys(route):
        resp = route.fetch()
        body = resp.json()
        for blk in [body, *body["clients"].values()]:
            blk["alignment_form"] = {"alliance:USA": 0.6, "aid:USA": 0.1, "neutral": 0.3}
            blk.setdefault("ci", {})["alignment_form"] = {"alliance:USA": [0.5, 0.7], "aid:USA": [0.05, 0.15],
                                                          "neutral": [0.2, 0.4]}
            for row in blk["timeline"]:
                row["alignment_form"] = {"alliance:USA": 0.6, "neutral": 0.4}
        body["uncertainty"] = {"parameter_draws": 8, "input_draws": 4, "alignment": {
            "USA": {"probability": 0.8, "interval_95": [0.6, 0.9],
                    "sd": {"monte_carlo": 0.01, "parameter": 0.05, "input": 0.04, "interaction": 0.01}}}}
        route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-length": ""})

    page.route("**/api/forecast", add_keys)
    _open(page, server, "&id=italy-1948")
    page.wait_for_selector("#card-form:not([hidden]) .bars li")
    assert "alliance:USA" in page.inner_text("#bars-form")
    assert page.locator("#uncertainty tbody tr").count() == 1
    assert page.locator("#card-baselines").is_visible()  # the baselines key of main's forecast JSON
    page.click("#tab-network")
    page.wait_for_selector("#net-side li:has-text('Alignment form')")


def test_posterior_uncertainty_from_the_server(page, server):
    """Ticking 'Integrate over the posterior' asks the server for the posterior forecast; its
    ``uncertainty`` block is shown (runs split over posterior draws x input draws)."""
    _open(page, server, "&id=italy-1948")
    page.uncheck("#drivers")
    page.check("#use-posterior")
    page.click("#run-btn")
    page.wait_for_function("() => !document.querySelector('#card-uncertainty').hidden || "
                           "!document.querySelector('#error').hidden")
    assert page.locator("#error").is_hidden(), page.inner_text("#error")
    page.wait_for_selector("#card-uncertainty:not([hidden]) tbody tr")
    assert "posterior draws" in page.inner_text("#uncertainty")
    assert "unc=1" in page.url
