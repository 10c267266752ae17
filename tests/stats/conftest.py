"""Fixtures of the stats tests: synthetic panels with known coefficients, a small real panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancelab.stats._synthetic import synthetic_panel
from alliancelab.stats.operationalize import prepare_dyads


@pytest.fixture(scope="session")
def synth():
    """Synthetic dyad/state panel from the estimators' own specifications (seeded)."""
    return synthetic_panel(seed=1)


@pytest.fixture(scope="session")
def prepared(synth):
    return prepare_dyads(synth.dyad_years, synth.state_years)


@pytest.fixture(scope="session")
def synth_duckdb(synth, tmp_path_factory) -> Path:
    """The synthetic panel written as a DuckDB file with the contract's table names."""
    import duckdb

    path = tmp_path_factory.mktemp("panel") / "synthetic.duckdb"
    con = duckdb.connect(str(path))
    dy, st = synth.dyad_years, synth.state_years  # noqa: F841 - referenced by DuckDB
    con.execute("CREATE TABLE dyad_years AS SELECT * FROM dy")
    con.execute("CREATE TABLE state_years AS SELECT * FROM st")
    con.close()
    return path


@pytest.fixture(scope="session")
def real_panel(shared_data_dir, tmp_path_factory) -> Path:
    """A real panel restricted to 1900-1960, built once per session."""
    from alliancelab.data.panel import build_panel

    out = tmp_path_factory.mktemp("real") / "panel.duckdb"
    build_panel(shared_data_dir, out, start=1900, end=1960)
    return out
