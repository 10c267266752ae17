"""The package's public API: ``alliancelab.__all__`` is sorted, complete and resolvable."""

from __future__ import annotations

import types

import alliancelab


def test_all_is_sorted_and_every_name_resolves():
    assert alliancelab.__all__ == sorted(alliancelab.__all__)
    for name in alliancelab.__all__:
        assert getattr(alliancelab, name) is not None


def test_all_is_complete():
    public = {n for n, v in vars(alliancelab).items()
              if not n.startswith("_") and not isinstance(v, types.ModuleType) and n != "annotations"}
    assert public <= set(alliancelab.__all__)
    assert set(dir(alliancelab)) >= set(alliancelab.__all__)


def test_forecast_from_the_top_level():
    fc = alliancelab.forecast("examples/contested_election.yaml", runs=50, seed=1, drivers=False)
    assert isinstance(fc, alliancelab.Forecast)
