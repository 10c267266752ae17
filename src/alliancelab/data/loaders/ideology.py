"""Herre's Global Leader Ideology dataset (1945-2020), the official CSV (``global_leader_ideologies.csv``).

Not part of the panel build; read by the world model (:mod:`alliancelab.engine.world_data`) for the
communist / non-communist axis and economic left/right of each ruler (paper E's affinity, E14).
"""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset
from ._common import load_frame

__all__ = ["LEADER_IDEOLOGY", "load_leader_ideology"]

PathLike = str | os.PathLike[str] | None

LEADER_IDEOLOGY = Dataset(
    key="leader_ideology", title="Global Leader Ideology (Herre 2023), 1945-2020",
    folder="leader_ideology", files=("global_leader_ideologies.csv.gz", "global_leader_ideologies.csv"),
    columns={"country_code_cow": "INTEGER", "year": "INTEGER", "leader": "VARCHAR",
             "leader_ideology": "VARCHAR", "leader_party_eng": "VARCHAR", "hog_ideology": "VARCHAR",
             "democracy": "VARCHAR"},
    optional=True, version="Herre 2023 (commit 7d0d5bb)",
    citation="Herre (2023), Identifying Ideologues, BJPolS 53(2): 740-748",
)


def load_leader_ideology(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Country-years (status on 31 December): ``ccode, year, leader, leader_ideology,
    leader_party_eng, hog_ideology, democracy`` (ideology: leftist / centrist / rightist / no
    information / none / not applicable)."""
    return load_frame(LEADER_IDEOLOGY, data_dir, path, sql=(
        "SELECT country_code_cow AS ccode, year, leader, leader_ideology, leader_party_eng, "
        "hog_ideology, democracy FROM {t}"))
