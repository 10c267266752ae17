"""``alliancelab data fetch`` against a local HTTP server serving copies of ../shared/data (never the
internet): verified downloads, resume, checksum mismatch, a server that does not answer."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alliancelab import InputError
from alliancelab.cli import main
from alliancelab.data.fetch import MANIFEST, fetch

SMALL = ("states", "leeds_savun", "mida")   # small files keep the tests fast
_SHARED = {"states": "cow_states/states2016.csv", "leeds_savun": "leeds_savun_threat/leeds-savun-threat.csv.gz",
           "mida": "cow_mid5/MIDA 5.0.csv"}


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with HTTP Range support; ``cut`` bytes of a file make the server drop the connection."""

    cut: dict[str, int] = {}

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.end_headers()
                return
            self.send_response(206)
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        limit = self.cut.pop(path.name, None)
        self.wfile.write(body if limit is None else body[:limit])
        if limit is not None:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


@pytest.fixture()
def mirror(tmp_path: Path, shared_data_dir: Path) -> Iterator[tuple[str, Path]]:
    """A folder laid out as <repo>/<commit>/<path> with the shared files (uncompressed), served locally."""
    root = tmp_path / "mirror"
    for item in MANIFEST:
        if item.name not in SMALL:
            continue
        src = shared_data_dir / _SHARED[item.name]
        dst = root / item.repo / item.commit / item.path
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(gzip.decompress(src.read_bytes()) if src.suffix == ".gz" else src.read_bytes())
    handler = lambda *a, **k: _RangeHandler(*a, directory=str(root), **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", root
    finally:
        srv.shutdown()
        srv.server_close()


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.rglob("*") if p.is_file())


def test_fetch_verifies_and_is_idempotent(mirror, tmp_path):
    url, _ = mirror
    out_dir = tmp_path / "data"
    out = fetch(out_dir, only=list(SMALL), base_url=url, progress=False)
    assert sorted(out["fetched"]) == sorted(f"{i.folder}/{i.target}" for i in MANIFEST if i.name in SMALL)
    assert (out_dir / "cow_states" / "states2016.csv").is_file()
    assert not [n for n in _leftovers(out_dir) if n.endswith(".part")]
    again = fetch(out_dir, only=list(SMALL), base_url=url, progress=False)
    assert again["fetched"] == [] and len(again["present"]) == len(SMALL)


def test_fetched_files_are_found_by_the_loaders(mirror, tmp_path):
    from alliancelab.data import load_states

    url, _ = mirror
    fetch(tmp_path / "data", only=["states"], base_url=url, progress=False)
    assert len(load_states(tmp_path / "data")) > 200


def test_checksum_mismatch_leaves_nothing(mirror, tmp_path):
    url, root = mirror
    item = next(i for i in MANIFEST if i.name == "states")
    f = root / item.repo / item.commit / item.path
    f.write_bytes(f.read_bytes().replace(b"2016", b"2017", 1))
    with pytest.raises(InputError, match="checksum mismatch") as err:
        fetch(tmp_path / "data", only=["states"], base_url=url, progress=False)
    assert "\n" not in str(err.value)
    assert _leftovers(tmp_path / "data") == []


def test_interrupted_download_resumes(mirror, tmp_path):
    url, _ = mirror
    item = next(i for i in MANIFEST if i.name == "leeds_savun")
    _RangeHandler.cut[Path(item.path).name] = 50_000
    with pytest.raises(InputError, match="interrupted"):
        fetch(tmp_path / "data", only=["leeds_savun"], base_url=url, progress=False)
    part = tmp_path / "data" / item.folder / (item.target + ".part")
    assert part.is_file() and part.stat().st_size == 50_000
    assert not (tmp_path / "data" / item.folder / item.target).exists()
    out = fetch(tmp_path / "data", only=["leeds_savun"], base_url=url, progress=False)
    assert out["fetched"] == [f"{item.folder}/{item.target}"] and not part.exists()


def test_unanswering_server_is_one_line_exit_2(tmp_path, capsys):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections, never answers
    try:
        port = silent.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["data", "fetch", "--dir", str(tmp_path / "d"), "--only", "states",
                  "--mirror", f"http://127.0.0.1:{port}", "--timeout", "1", "-q"])
    finally:
        silent.close()
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "cannot download" in lines[0] and "Traceback" not in err
    assert not [n for n in _leftovers(tmp_path / "d") if not n.endswith(".part")]


def test_unknown_names_are_refused(tmp_path):
    with pytest.raises(InputError, match="unknown dataset 'nope'; allowed: .*states"):
        fetch(tmp_path, only=["nope"], progress=False)


def test_r_data_objects_are_converted_to_the_loaders_csv(mirror, tmp_path, shared_data_dir):
    """An .rda holding the shared majors table converts back to the same CSV; its checksum is recorded
    on the first download and a changed file is then refused."""
    import json

    import pandas as pd
    pyreadr = pytest.importorskip("pyreadr")
    from alliancelab.data import load_majors
    from alliancelab.data.fetch import DERIVED

    url, root = mirror
    item = next(i for i in DERIVED if i.name == "majors")
    shared = pd.read_csv(shared_data_dir / "cow_states" / "majors2016_peacesciencer.csv")
    rda = root / item.repo / item.commit / item.path
    rda.parent.mkdir(parents=True, exist_ok=True)
    pyreadr.write_rdata(str(rda), shared.astype(float), df_name="cow_majors")  # R stores numbers as doubles
    out_dir = tmp_path / "data"
    assert fetch(out_dir, only=["majors"], base_url=url, progress=False)["fetched"]
    csv = out_dir / item.folder / item.target
    assert pd.read_csv(csv).equals(shared)  # whole numbers back as integers
    assert len(load_majors(out_dir)) == len(shared)
    sums = json.loads((out_dir / "checksums.json").read_text())
    assert f"{item.folder}/cow_majors.rda" in sums
    # a changed upstream file no longer matches the recorded checksum
    (out_dir / item.folder / "cow_majors.rda").unlink()
    pyreadr.write_rdata(str(rda), shared.head(3).astype(float), df_name="cow_majors")
    with pytest.raises(InputError, match="checksum mismatch"):
        fetch(out_dir, only=["majors"], base_url=url, progress=False)
    assert pd.read_csv(csv).equals(shared)  # the good CSV is kept


def test_an_archive_member_is_unpacked_to_its_target(mirror, tmp_path, monkeypatch):
    import dataclasses
    import zipfile

    from alliancelab.data import fetch as fetch_mod

    url, root = mirror
    base = next(i for i in MANIFEST if i.name == "states")
    src = root / base.repo / base.commit / base.path
    item = dataclasses.replace(base, path="states.zip", member="data/states2016.csv")
    with zipfile.ZipFile(root / item.repo / item.commit / "states.zip", "w") as zf:
        zf.writestr("README.txt", "not this one")
        zf.writestr("data/states2016.csv", src.read_bytes())
    monkeypatch.setattr(fetch_mod, "MANIFEST", (item,))
    monkeypatch.setattr(fetch_mod, "DERIVED", ())
    out = fetch_mod.fetch(tmp_path / "data", base_url=url, progress=False)
    assert out["fetched"] == ["cow_states/states2016.csv"]
    assert (tmp_path / "data" / "cow_states" / "states2016.csv").read_bytes() == src.read_bytes()
    assert _leftovers(tmp_path / "data") == ["states2016.csv"]
