"""Where the real datasets live: ``--data-dir`` or ``ALLIANCELAB_DATA_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

from ._exceptions import InputError

__all__ = ["DATA_DIR_ENV", "resolve_data_dir"]

DATA_DIR_ENV = "ALLIANCELAB_DATA_DIR"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory from the argument, else from ``$ALLIANCELAB_DATA_DIR``.

    Raises
    ------
    InputError
        If neither is given or the directory does not exist.
    """
    value = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV)
    if not value:
        raise InputError(f"no data directory: pass --data-dir DIR or set {DATA_DIR_ENV}", field="data_dir")
    path = Path(value).expanduser()
    if not path.is_dir():
        raise InputError(f"data directory {str(path)!r} does not exist", field="data_dir")
    return path
