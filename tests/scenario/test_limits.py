"""Documented limits: checked before work starts, one line naming the limit and how to raise it."""

from __future__ import annotations

import copy
from importlib import resources

import pytest
import yaml

from alliancelab import ScenarioError
from alliancelab import limits as L
from alliancelab.cli import main
from alliancelab.scenario import load_scenario, parse_scenario


@pytest.fixture()
def italy() -> dict:
    text = resources.files("alliancelab.cases").joinpath("data", "italy-1948.yaml").read_text()
    return yaml.safe_load(text)


@pytest.fixture(autouse=True)
def _reset_limits():
    L.configure(None)
    yield
    L.configure(None)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ex:
        main(list(args))
    out = capsys.readouterr()
    return ex.value.code, out.out, out.err


def test_named_limits(italy):
    big = copy.deepcopy(italy)
    big["periods"] = list(range(1000, 1300))
    with pytest.raises(ScenarioError, match="field 'periods': the number of periods is 300, over the "
                                            "limit periods=200; raise it deliberately with 'alliancelab --limit"):
        parse_scenario(big, source="x.yaml")
    big = copy.deepcopy(italy)
    factions = big["clients"]["Italy"]["factions"]
    one = next(iter(factions.values()))
    big["clients"]["Italy"]["factions"] = {f"F{i}": one for i in range(60)}
    with pytest.raises(ScenarioError, match="clients.Italy.factions': the number of factions is 60"):
        parse_scenario(big, source="x.yaml")
    big = copy.deepcopy(italy)
    big["support"] = big["support"] * 400
    with pytest.raises(ScenarioError, match="limit support=5,000"):
        parse_scenario(big, source="x.yaml")


def test_generic_items_limit_covers_any_list(italy):
    big = copy.deepcopy(italy)
    big["metadata"]["tags"] = ["t"] * 6000
    with pytest.raises(ScenarioError, match="field 'metadata.tags': the number of entries is 6,000, over the limit items"):
        parse_scenario(big, source="x.yaml")
    big["metadata"]["tags"] = ["t"]
    big["some_future_field"] = {"deep": [[0] * 6000]}
    with pytest.raises(ScenarioError, match="field 'some_future_field.deep.0': the number of entries"):
        parse_scenario(big, source="x.yaml")


def test_limits_are_raised_deliberately(italy):
    big = copy.deepcopy(italy)
    big["periods"] = [str(y) for y in range(1946, 1946 + 250)]
    with pytest.raises(ScenarioError, match="limit periods=200"):
        parse_scenario(big, source="x.yaml")
    L.configure(L.parse_limits(["periods=300"]))
    assert len(parse_scenario(big, source="x.yaml").periods) == 250


def test_env_setting(monkeypatch):
    monkeypatch.setenv(L.LIMITS_ENV, "periods=3")
    L.configure(None)
    with pytest.raises(ScenarioError, match="limit periods=3"):
        load_scenario("italy-1948")
    monkeypatch.setenv(L.LIMITS_ENV, "bogus=3")
    with pytest.raises(Exception, match="not a limit"):
        L.configure(None)


def test_overrides_limit():
    many = [f"patrons.USA.budget={i}" for i in range(101)]
    with pytest.raises(ScenarioError, match="the number of overrides is 101, over the limit overrides=100"):
        load_scenario("italy-1948", overrides=many)
    with pytest.raises(ScenarioError, match="fixed on the web explorer"):
        load_scenario("italy-1948", overrides=many[:51], limits=L.WEB_LIMITS)


def test_work_limit_in_the_cli(capsys):
    code, _, err = _run(capsys, "forecast", "italy-1948", "--runs", "10000000")
    assert code == 2 and err.count("\n") == 1 and "over the limit work=3e+08" in err
    assert "--limit work=N" in err
    code, _, err = _run(capsys, "--limit", "work=2e9", "--limit", "periods=3", "validate", "italy-1948")
    assert code == 2 and "limit periods=3" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "--limit", "runs=5", "validate", "italy-1948")
    assert code == 2 and "is not a limit" in err


def test_work_size_counts_periods_and_drivers():
    sc = load_scenario("italy-1948")
    base = L.work_size(sc, 100)
    assert base == 5 * (100 * L.cells(sc) + L.PERIOD_OVERHEAD)
    assert L.work_size(sc, 100, drivers=True, driver_runs=2000) > 10 * base


def test_builtin_cases_fit_the_limits_with_a_margin():
    """Every built-in case runs at the CLI's default and the web's largest request (no false refusal)."""
    from alliancelab.scenario import builtin_case_ids
    from alliancelab.web.api import _DRIVER_RUNS, MAX_RUNS

    for case in builtin_case_ids():
        sc = load_scenario(case, limits=L.WEB_LIMITS)
        L.check_work(sc, MAX_RUNS, drivers=True, driver_runs=_DRIVER_RUNS, limits=L.WEB_LIMITS)  # fits
        assert L.work_size(sc, 2000, drivers=True, driver_runs=_DRIVER_RUNS) < 0.4 * L.WEB_LIMITS.work, case
        assert L.check_work(sc, 10_000, drivers=True, driver_runs=2000) < 0.1 * L.current().work, case


def test_work_counts_only_the_driver_reruns_forecast_makes():
    """Drivers rerun only mechanisms that can change the scenario (forecast._inert); the estimate agrees."""
    from alliancelab.engine._simulate import MECHANISMS
    from alliancelab.engine.forecast import driver_reruns

    sc = load_scenario("pakistan-1954")
    n = driver_reruns(sc)
    assert 0 < n < len(MECHANISMS)          # e.g. no challenge (Y15) in this case: no rerun for it
    periods, c = len(sc.periods), L.cells(sc)
    without = L.work_size(sc, 1000)
    assert L.work_size(sc, 1000, drivers=True, driver_runs=500) - without == \
        n * periods * (500 * c + L.PERIOD_OVERHEAD)
