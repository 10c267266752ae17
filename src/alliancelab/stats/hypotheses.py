"""Run every test of both theories on the panel: ``run_hypotheses(...) -> HypothesesResult``.

One public function: it builds or reuses the DuckDB panel (``alliancelab.data``), prepares the
operationalisations, and fits the quadrant table, the onset logits, the Cox duration model, the elite
theory's H1/H2 and the out-of-sample comparison. Same input -> same numbers (no sampling anywhere).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError, ModelError
from .duration import (CoxResult, DurationCox, alliance_spells, fit_termination_logit, km_by_quadrant,
                       link_spells, ph_tests, termination_models)
from .elite import EliteResult, fit_elite
from .expanding import ExpandingResult, expanding_design, expanding_window
from .network import NETWORK_TERMS
from .onset import ONSET_TERMS, LogitResult, fit_onset, onset_design, treaty_groups
from .types import (disparity_sensitivity, firth_ussr, fit_types, primary_tests,
                    threat_window_sensitivity)
from .oos import OutOfSampleResult, out_of_sample
from .operationalize import (DISPARITY_THRESHOLD, DYAD_COLUMNS, STATE_COLUMNS, STRONG_THREAT_CINC,
                             check_columns, prepare_dyads)
from .quadrants import QuadrantTable, quadrant_table
from .treaties import link_events, link_summary, load_members

__all__ = ["HypothesesResult", "load_panel", "run_hypotheses"]

Progress = Callable[[str], None]
#: optional dyad columns read when present (used for per-great-power samples)
OPTIONAL_DYAD = ("major1", "major2", "cap_ratio", "peace_years", "atop_defense")
ONSET_THREAT_VARIANTS = ("common_rival", "shared_mid", "strong_threat", "ls_threat_high")
#: first origin of the expanding-window forecasts (refit every 5 years from here)
FIRST_ORIGIN = 1900
#: seed of every bootstrap (results are reproducible)
SEED = 20261201


@dataclass(frozen=True)
class HypothesesResult:
    """Everything ``alliancelab hypotheses`` reports."""

    quadrants: QuadrantTable
    quadrant_variants: dict[str, QuadrantTable]
    onset: dict[str, LogitResult]
    duration: dict[str, CoxResult]
    elite: EliteResult | None
    out_of_sample: OutOfSampleResult | None
    survival: dict[str, pd.DataFrame]
    meta: dict[str, Any] = field(default_factory=dict)
    termination: dict[str, LogitResult] = field(default_factory=dict)
    treaty_level: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    expanding: ExpandingResult | None = None

    def summary(self) -> pd.DataFrame:
        """Key coefficients of every model, one row per (model, term)."""
        parts = {name: r.summary()
                 for name, r in {**self.onset, **self.duration, **self.termination}.items()}
        if self.elite is not None:
            parts.update({m: g.droplevel(0) for m, g in self.elite.summary().groupby(level=0)})
        return pd.concat(parts, names=["model", "term"])

    def _oos_dict(self) -> dict[str, Any] | None:
        if self.out_of_sample is None and self.expanding is None:
            return None
        out = self.out_of_sample.to_dict() if self.out_of_sample is not None else {}
        if self.out_of_sample is not None:
            out["single_split_note"] = ("legacy single split (train before the split year, test after), "
                                        "shared cubic in alliance-free years; see 'expanding' for the "
                                        "headline test")
        if self.expanding is not None:
            e = self.expanding.to_dict()
            out["expanding"] = e["models"]
            out["theory_increment"] = e["theory_increment"]
            out["expanding_windows"] = e["windows"]
            out["expanding_calibration"] = e["calibration"]
            out["expanding_wartime"] = e["wartime"]
            out["network_vs_theory"] = e["network_vs_theory"]
            out["expanding_settings"] = e["settings"]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers under ``quadrants``, ``models``, ``out_of_sample``, ``elite``, ``meta``."""
        q = self.quadrants.to_dict()
        q["threat_variants_all_dyads"] = {
            k: v.to_dict()["samples"].get("all dyads", {}) for k, v in self.quadrant_variants.items()}
        return _finite({
            "quadrants": q,
            "models": {"onset": {k: v.to_dict() for k, v in self.onset.items()},
                       "duration": {k: v.to_dict() for k, v in self.duration.items()},
                       "termination": {k: v.to_dict() for k, v in self.termination.items()}},
            "out_of_sample": self._oos_dict(),
            "elite": self.elite.to_dict() if self.elite else None,
            "survival": {k: {"timeline": v["timeline"].tolist(), "survival": v["survival"].tolist(),
                             "n_spells": int(v["n"].iloc[0])} for k, v in self.survival.items()},
            "treaty_level": self.treaty_level.to_dict() if self.treaty_level is not None else None,
            **{k: v for k, v in self.extra.items()},
            "meta": self.meta,
        })


def _read_duckdb(path: Path, start: int | None, end: int | None) -> dict[str, pd.DataFrame]:
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception as err:  # noqa: BLE001 - duckdb raises several types
        raise InputError(f"cannot open DuckDB panel: {str(err).splitlines()[0]}", source=str(path)) from err
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for t in ("dyad_years", "state_years"):
            if t not in tables:
                raise InputError(f"panel has no table {t!r} (build it with 'alliancelab data build')",
                                 source=str(path))
        out = {}
        for t, need, opt in (("dyad_years", DYAD_COLUMNS, OPTIONAL_DYAD),
                             ("state_years", STATE_COLUMNS, ())):
            cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()]
            check_columns(pd.DataFrame(columns=cols), need, t)
            sel = [c for c in (*need, *opt) if c in cols]
            where = []
            if start is not None:
                where.append(f"year >= {int(start)}")
            if end is not None:
                where.append(f"year <= {int(end)}")
            sql = f"SELECT {', '.join(chr(34) + c + chr(34) for c in sel)} FROM {t}"
            if where:
                sql += " WHERE " + " AND ".join(where)
            out[t] = con.execute(sql).df()
        return out
    finally:
        con.close()


def load_panel(data_dir: str | os.PathLike[str] | None = None,
               panel: str | os.PathLike[str] | Mapping[str, pd.DataFrame] | Any | None = None, *,
               start: int | None = None, end: int | None = None,
               progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Return ``{"dyad_years", "state_years"}`` frames from a mapping, a DuckDB file, or a fresh build.

    ``panel`` may be a mapping of frames (or an object with ``dyad_years``/``state_years``
    attributes), a path to an existing DuckDB panel (reused), or a path where the panel is built from
    ``data_dir``. With ``panel=None`` the panel is built in a temporary file and removed afterwards.
    """
    say = progress or (lambda m: None)
    if panel is not None and not isinstance(panel, (str, os.PathLike)):
        frames = dict(panel) if isinstance(panel, Mapping) else {
            "dyad_years": getattr(panel, "dyad_years", None), "state_years": getattr(panel, "state_years", None)}
        for t in ("dyad_years", "state_years"):
            if not isinstance(frames.get(t), pd.DataFrame):
                raise InputError(f"panel lacks a {t!r} DataFrame", field="panel")
        check_columns(frames["dyad_years"], DYAD_COLUMNS, "dyad_years")
        check_columns(frames["state_years"], STATE_COLUMNS, "state_years")
        return frames
    if panel is not None and Path(panel).is_file():
        say(f"reusing panel {panel}")
        return _read_duckdb(Path(panel), start, end)
    from .._config import resolve_data_dir

    data = resolve_data_dir(data_dir)
    from ..data.panel import build_panel

    if panel is not None:
        say(f"building panel {panel} from {data}")
        build_panel(data, panel, start=start, end=end, progress=progress)
        return _read_duckdb(Path(panel), start, end)
    with tempfile.TemporaryDirectory(prefix="alliancelab-") as tmp:
        target = Path(tmp) / "panel.duckdb"
        say(f"building a temporary panel from {data}")
        build_panel(data, target, start=start, end=end, progress=progress)
        return _read_duckdb(target, start, end)


def run_hypotheses(data_dir: str | os.PathLike[str] | None = None,
                   panel: str | os.PathLike[str] | Mapping[str, pd.DataFrame] | Any | None = None, *,
                   start: int | None = None, end: int | None = None, split_year: int = 1946,
                   horizon: int = 3, robustness: bool = True, oos: bool = True,
                   treaties: pd.DataFrame | None | bool = None, seed: int = SEED,
                   progress: Progress | None = None) -> HypothesesResult:
    """Test paper Y (quadrants, onset logit, Cox duration) and paper E (H1, H2) on the panel.

    Parameters
    ----------
    data_dir
        Folder with the datasets (``$ALLIANCELAB_DATA_DIR`` when None); used only to build a panel.
    panel
        Frames, an existing DuckDB panel, or where to build one (see :func:`load_panel`).
    start, end
        Restrict years (e.g. for a quick run); default all.
    split_year
        First test year of the out-of-sample split (train on earlier years).
    horizon
        Years ahead for the elite outcomes (new alliance in t+1..t+horizon).
    robustness
        Also fit the onset model with alternative threat measures and on politically relevant dyads.
    oos
        Run the out-of-sample comparison.
    treaties
        ATOP member-level frame for the treaty link (:mod:`alliancelab.stats.treaties`); None reads
        ``atop4.01_member-level.csv`` from ``data_dir`` (or from ``$ALLIANCELAB_DATA_DIR`` when the
        panel is built here from that folder) when present; False, or an absent file, leaves events
        unlinked (one pseudo-treaty per year).
    seed
        Seed of the bootstraps and of the case-control training sample (same seed, same numbers).
    progress
        Callable receiving progress lines (the CLI prints them on stderr).
    """
    from threadpoolctl import threadpool_limits

    # one BLAS thread: the products here are small (k x k) or row-bound, and on a shared machine a
    # multi-threaded BLAS spins for cores it does not get (15x slower measured under load)
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(data_dir, panel, start=start, end=end, split_year=split_year, horizon=horizon,
                    robustness=robustness, oos=oos, treaties=treaties, seed=seed, progress=progress)


def _run(data_dir: Any, panel: Any, *, start: int | None, end: int | None, split_year: int, horizon: int,
         robustness: bool, oos: bool, treaties: Any, seed: int,
         progress: Progress | None) -> HypothesesResult:
    say = progress or (lambda m: None)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, t: float) -> None:
        import resource

        timings[name] = round(time.perf_counter() - t, 2)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say(f"[{time.perf_counter() - t0:6.1f}s] {name} done (peak memory {peak:,.0f} MB)")

    t = time.perf_counter()
    panel_existed = isinstance(panel, (str, os.PathLike)) and Path(panel).is_file()
    frames = load_panel(data_dir, panel, start=start, end=end, progress=progress)
    dyads, states = frames["dyad_years"], frames["state_years"]
    if start is not None or end is not None:
        lo = start if start is not None else -10**9
        hi = end if end is not None else 10**9
        dyads = dyads[(dyads["year"] >= lo) & (dyads["year"] <= hi)]
        states = states[(states["year"] >= lo) & (states["year"] <= hi)]
    if len(dyads) == 0:
        raise InputError("panel has no dyad-years in the requested years", field="dyad_years")
    lap("panel", t)

    t = time.perf_counter()
    prepared = prepare_dyads(dyads, states)
    del dyads
    frames.pop("dyad_years", None)  # the raw panel is not needed again (memory)
    lap("operationalisation", t)

    t = time.perf_counter()
    # $ALLIANCELAB_DATA_DIR's ATOP file is used only when the panel is built from that folder here;
    # a panel given as frames or as an existing file is linked only with an explicit data_dir/treaties
    built_here = panel is None or (isinstance(panel, (str, os.PathLike)) and not panel_existed)
    members = _members(data_dir, treaties, allow_env=built_here)
    link = link_events(prepared.loc[prepared["onset"] == 1, ["ccode1", "ccode2", "year"]],
                       prepared.loc[prepared["end"] == 1, ["ccode1", "ccode2", "year"]], members)
    lap("treaty link", t)

    t = time.perf_counter()
    quads = quadrant_table(prepared)
    variants = {}
    for v in ("common_rival", "shared_mid", "strong_threat", "ls_threat_high"):
        if prepared[v].notna().any():
            variants[v] = quadrant_table(prepared, threat=v)
    lap("quadrant table", t)

    t = time.perf_counter()
    design = onset_design(prepared)
    from .oos import MODELS as _OOS_MODELS

    # keep only what the legacy forecasts and the types need (memory)
    design = design[["year", "dyad_id", "ccode1", "ccode2", "onset",
                     *sorted({t for terms in _OOS_MODELS.values() for t in terms} | set(ONSET_TERMS))]]
    extra: dict[str, Any] = {}
    onset: dict[str, LogitResult] = {"onset: disparity x threat": fit_onset(
        prepared, name="onset: disparity x threat", link=link, se="treaty")}
    if robustness:
        specs: list[tuple[str, dict[str, Any]]] = [
            ("onset: politically relevant", {"subset": "politically_relevant"}),
            ("onset: Russia/USSR dyads", {"subset": "ussr"})]
        if "at_risk_defense" in prepared.columns:
            specs.append(("onset: defense pacts", {"pledge": "defense"}))
        specs += [(f"onset: threat = {v}", {"threat": v}) for v in ONSET_THREAT_VARIANTS
                     if prepared[v].notna().any()]
        for label, kwargs in specs:
            try:
                onset[label] = fit_onset(prepared, name=label, link=link, se="treaty", se_types=("treaty",),
                                         **kwargs)
            except ModelError as err:
                say(f"skipped {label}: {err}")
    lap("onset logits", t)

    t = time.perf_counter()
    spells = alliance_spells(prepared)
    duration = {"duration: Cox": DurationCox(name="duration: Cox").fit(spells).result_}
    if robustness:
        ussr = spells[(spells["dyad_id"] // 1000 == 365) | (spells["dyad_id"] % 1000 == 365)]
        try:
            duration["duration: Russia/USSR dyads"] = DurationCox(
                ("disparity", "threat", "gap_narrowing", "threat_gone"),
                name="duration: Russia/USSR dyads").fit(ussr).result_
        except Exception as err:  # noqa: BLE001 - lifelines raises its own convergence errors
            say(f"skipped the Russia/USSR duration model: {str(err).splitlines()[0]}")
    survival = km_by_quadrant(spells)
    termination: dict[str, LogitResult] = {}
    try:
        res = fit_termination_logit(spells)
        termination[res.name] = res
    except ModelError as err:
        say(f"skipped the discrete-time termination logit: {err}")
    spells = link_spells(spells, link)
    termination.update(termination_models(spells))
    try:
        extra["duration_ph_tests"] = ph_tests(spells)
    except ModelError as err:
        say(f"skipped the proportional-hazards tests: {err}")
    lap("Cox duration model", t)

    t = time.perf_counter()
    try:
        elite = fit_elite(states, horizon=horizon, members=members)
    except ModelError as err:
        say(f"skipped elite models: {err}")
        elite = None
    lap("elite H1/H2", t)

    if robustness:
        t = time.perf_counter()
        slim = ["year", "dyad_id", "ccode1", "ccode2", "onset", *ONSET_TERMS]
        typed = treaty_groups(design[slim], link)
        if members is not None:
            onset.update(fit_types(typed))
            try:
                extra["firth_russia_ussr"] = firth_ussr(typed)
            except (ModelError, ValueError, np.linalg.LinAlgError) as err:
                say(f"skipped the Firth model: {err}")
        extra["sensitivity"] = {"disparity_threshold": disparity_sensitivity(prepared)}
        if members is not None:
            extra["sensitivity"]["threat_window"] = threat_window_sensitivity(prepared, typed)
        del typed
        lap("alliance types and sensitivity", t)

    result_oos = None
    expanding = None
    if oos:
        t = time.perf_counter()
        years = design["year"]
        if years.min() < split_year <= years.max():
            result_oos = out_of_sample(design, split_year=split_year)
        else:
            say(f"skipped out-of-sample: years {years.min()}-{years.max()} do not straddle {split_year}")
        lap("out-of-sample (single split)", t)
        t = time.perf_counter()
        exp_design = expanding_design(prepared, link)
        first = max(FIRST_ORIGIN, int(years.min()) + 10)
        if first < int(years.max()):
            try:
                expanding = expanding_window(exp_design, first_origin=first, seed=seed)
            except ModelError as err:
                say(f"skipped the expanding-window forecasts: {err}")
        lap("expanding-window forecasts", t)
        t = time.perf_counter()
        try:
            onset["onset: with network terms"] = fit_onset(
                prepared, design=exp_design, terms=ONSET_TERMS + NETWORK_TERMS, se="treaty",
                se_types=("treaty",), name="onset: with network terms")
        except ModelError as err:
            say(f"skipped the network logit: {err}")
        del exp_design
        lap("network logit", t)

    treaty_level = None
    if members is not None:
        t = time.perf_counter()
        from .joiners import fit_joiners

        try:
            treaty_level = fit_joiners(prepared, members)
        except ModelError as err:
            say(f"skipped the treaty-level model: {err}")
        lap("treaty-level model", t)

    extra["primary_tests"] = _primary(onset, termination, elite, expanding, design)

    meta = {
        "treaty_link": link_summary(link),
        "treaty_source": ("ATOP 4.01 member-level (atop4.01_member-level.csv)" if members is not None
                          else "absent: every event is its year's pseudo-treaty"),
        "years": [int(prepared["year"].min()), int(prepared["year"].max())],
        "n_dyad_years": int(len(prepared)), "n_state_years": int(len(states)),
        "n_onset_risk": int(prepared["at_risk_onset"].sum()),
        "n_allied_dyad_years": int(prepared["at_risk_end"].sum()),
        "disparity_threshold_cap_share": DISPARITY_THRESHOLD,
        "strong_threat_cinc": STRONG_THREAT_CINC,
        "split_year": split_year, "elite_horizon": horizon,
        "seconds": round(time.perf_counter() - t0, 2), "timings": timings,
        "panel_source": "frames" if panel is not None and not isinstance(panel, (str, os.PathLike))
        else str(panel or "temporary build"),
    }
    return HypothesesResult(quadrants=quads, quadrant_variants=variants, onset=onset, duration=duration,
                            elite=elite, out_of_sample=result_oos, survival=survival, meta=meta,
                            termination=termination, treaty_level=treaty_level, extra=extra,
                            expanding=expanding)


#: the pre-specified primary tests (docs/hypotheses.md): (id, claim, model, term or combination, sign)
PRIMARY = (
    ("P1", "Y5: a common threat raises the onset of defence/offence pacts",
     "onset: defence/offence pact", "threat at mean disparity", +1),
    ("P2", "Y2: under threat, wider disparity raises the onset of defence/offence pacts",
     "onset: defence/offence pact", "disparity + disparity x threat", +1),
    ("P3", "Y6: alliances end when the threat present at formation is gone",
     "termination: peacetime spells (main)", "threat_gone", +1),
    ("P4", "Y2/Y11: a narrowing gap raises the termination hazard",
     "termination: peacetime spells (main)", "gap_narrowing", +1),
    ("P5", "E-H2: short tenure raises new bilateral defence/offence pacts with a major power",
     "H2 precarity -> bilateral defence/offence pact with a major power", "log_tenure", -1),
    ("P6", "E-H1: U.S. aid raises new bilateral defence/offence pacts with the U.S.",
     "H1 U.S. aid -> bilateral defence/offence pact with the U.S.", "log_us_aid", +1),
    ("P7", "Out of sample, disparity x threat beats the best baseline (expanding window)",
     "out_of_sample.theory_increment", "AUC difference", +1),
)


def _primary(onset: dict[str, LogitResult], termination: dict[str, LogitResult], elite: Any,
             expanding: Any, design: pd.DataFrame) -> list[dict[str, Any]]:
    """Estimates, two-sided p and Holm/BH adjusted p of the pre-specified primary tests."""
    from scipy.stats import norm

    out = []
    for pid, claim, model, term, sign in PRIMARY:
        est = se = p = None
        n = events = None
        se_type = None
        r = onset.get(model) or termination.get(model)
        if r is None and elite is not None:
            r = {m.name: m for m in (elite.h2_pact, elite.h1_pact) if m is not None}.get(model)
        if r is not None:
            if term == "threat at mean disparity":
                lc = r.lincom({"threat": 1.0, "disparity_x_threat": float(design["disparity"].mean())})
            elif term == "disparity + disparity x threat":
                lc = r.lincom({"disparity": 1.0, "disparity_x_threat": 1.0})
            else:
                lc = r.lincom({term: 1.0})
            est, se, p = lc["coef"], lc["se"], lc["p"]
            n, events, se_type = r.nobs, r.n_events, r.se_type
        elif pid == "P6" and elite is not None and elite.h1_pact_firth:
            f = elite.h1_pact_firth
            est, se, p = f["coef"]["log_us_aid"], f["se"]["log_us_aid"], f["p"]["log_us_aid"]
            n, events, se_type = f["nobs"], f["n_events"], "firth"
        elif pid == "P7" and expanding is not None and expanding.increment:
            inc = expanding.increment
            est = inc["auc"]
            share = inc["share_of_replicates_above_0"]
            p = float(min(1.0, 2 * min(share, 1 - share) + 1.0 / expanding.settings["bootstrap_reps"]))
            se_type = "year-block bootstrap"
            n = int(expanding.metrics["n"].iloc[0])
            events = int(expanding.metrics["events"].iloc[0])
        rec = {"id": pid, "claim": claim, "model": model, "term": term, "predicted_sign": sign,
               "estimate": est, "se": se, "p": p, "se_type": se_type, "n": n, "events": events}
        if est is not None and se is not None and se > 0 and p is None:
            rec["p"] = float(2 * norm.sf(abs(est / se)))
        rec["sign_as_predicted"] = None if est is None else bool(np.sign(est) == sign)
        out.append(rec)
    return primary_tests(out)


def _members(data_dir: Any, treaties: pd.DataFrame | None | bool, *,
             allow_env: bool = True) -> pd.DataFrame | None:
    if treaties is False:
        return None
    if isinstance(treaties, pd.DataFrame):
        return treaties
    if data_dir is None and (not allow_env or not os.environ.get("ALLIANCELAB_DATA_DIR")):
        return None
    from .._config import resolve_data_dir

    try:
        return load_members(resolve_data_dir(data_dir))
    except InputError:
        return None


def _finite(obj: Any) -> Any:
    """Replace non-finite floats by None recursively (JSON without NaN)."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj
