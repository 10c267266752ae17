"""Test helper: make a sampler checkpoint look as an older session's code wrote it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def drop_key_field(path: Path, field: str) -> None:
    """Remove ``field`` from the configuration key of the checkpoint at ``path`` (an older code's file)."""
    with np.load(path) as z:
        d = {k: z[k] for k in z.files}
    key = json.loads(str(d["key"]))
    del key[field]
    d["key"] = np.array(json.dumps(key, sort_keys=True))
    with open(path, "wb") as fh:
        np.savez(fh, **d)
