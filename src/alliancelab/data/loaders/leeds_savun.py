"""Leeds & Savun (2007) external-threat index, state-year."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["LEEDS_SAVUN", "load_leeds_savun"]

LEEDS_SAVUN = register(Dataset(
    key="leeds_savun", title="Leeds-Savun external threat", folder="leeds_savun_threat",
    files=("leeds-savun-threat.csv.gz",),
    columns={"ccode": "INTEGER", "year": "INTEGER", "lsthreat": "DOUBLE"}, absent=("cinc",),
    optional=True, version="arms-allies", citation="Leeds & Savun (2007), JOP 69(4): 1118-1132",
))


def load_leeds_savun(data_dir: str | os.PathLike[str] | None = None, *,
                     path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """State-years with ``lsthreat``; the few rows without a ccode are dropped."""
    return load_frame(LEEDS_SAVUN, data_dir, path, "SELECT * FROM {t} WHERE ccode IS NOT NULL")
