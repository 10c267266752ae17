from __future__ import annotations

import pytest

from alliancelab._io import atomic_path, write_text_atomic


def test_failed_write_keeps_old_file(tmp_path):
    target = tmp_path / "out.txt"
    write_text_atomic(target, "good")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
