"""Operationalise paper Y's two concepts, power disparity and external threat, on the dyad panel.

Every measure is computed from the previous year (t-1) so that covariates precede the outcome in year t.
The binary splits used for the 2x2 of Table 1 are constants of this module (documented in
``docs/hypotheses.md``):

* **disparity** = ``2 * (cap_share - 0.5)`` in [0, 1] (0 = parity, 1 = one side holds all the
  dyad's CINC). **High disparity**: ``cap_ratio >= 3`` (``cap_share >= 0.75``), the conventional
  "preponderance" ratio. Alternatives: ``log_cap_ratio`` (continuous) and a median split.
* **threat** (main) = 1 if the two states share a strategic rival (Thompson-Dreyer) *or* had a MID with
  the same third state in the last five years. Alternatives: ``common_rival`` only, ``shared_mid``
  only, ``strong_threat`` (strongest common threat holds >= 5% of world CINC, roughly a great power),
  and ``ls_threat_high`` (the higher Leeds-Savun threat score of the pair in the top quartile of the
  state-year distribution).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._exceptions import DataFormatError

__all__ = [
    "DISPARITY_THRESHOLD",
    "DYAD_COLUMNS",
    "GREAT_POWERS",
    "STATE_COLUMNS",
    "STRONG_THREAT_CINC",
    "THREAT_MEASURES",
    "QUADRANTS",
    "check_columns",
    "prepare_dyads",
    "quadrant_of",
]

#: cap_share at or above which disparity is "high" (stronger side holds >= 3x the weaker's CINC).
DISPARITY_THRESHOLD = 0.75
#: world CINC share of the strongest common threat at or above which the threat counts as "strong".
STRONG_THREAT_CINC = 0.05
#: quantile of the state-year Leeds-Savun score above which a state is "highly threatened".
LS_THREAT_QUANTILE = 0.75

#: COW great powers (ever), for the per-power rows of the quadrant table.
GREAT_POWERS = {2: "USA", 200: "UK", 220: "France", 255: "Germany", 300: "Austria-Hungary",
                325: "Italy", 365: "Russia/USSR", 710: "China", 740: "Japan"}

#: Table 1 of paper Y: (high threat?, high disparity?) -> cell label.
QUADRANTS = {
    (True, True): "strong alliance (high threat, high disparity)",
    (True, False): "unstable alliance (high threat, low disparity)",
    (False, True): "affiliation/control (low threat, high disparity)",
    (False, False): "no alliance (low threat, low disparity)",
}
QUADRANT_ORDER = list(QUADRANTS.values())

#: threat measures available for robustness (binary column names created by prepare_dyads).
THREAT_MEASURES = ("threat", "common_rival", "shared_mid", "strong_threat", "ls_threat_high")

#: dyad_years columns the stats track needs (a subset of docs/panel.md).
DYAD_COLUMNS = ("year", "ccode1", "ccode2", "alliance", "cap_share", "cinc1", "cinc2",
                "shared_rivals", "shared_mid_opponents", "common_threat_cinc", "conttype", "capdist",
                "any_major", "politically_relevant", "v2x_polyarchy1", "v2x_polyarchy2", "rivalry",
                "cowmid_ongoing")
#: state_years columns the elite models need.
STATE_COLUMNS = ("ccode", "year", "leader_tenure", "entry_irregular", "irregular_exits_5y",
                 "chisols_change", "regime_change_5y", "polity2", "ls_threat", "us_aid", "n_allies",
                 "us_ally", "new_major_alliance", "cinc", "major")


def check_columns(frame: pd.DataFrame, required: Sequence[str], table: str) -> None:
    """Raise a one-line :class:`DataFormatError` naming any ``required`` column missing from ``frame``."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataFormatError(f"panel table {table!r} lacks required column(s) {', '.join(missing)} "
                              "(see docs/panel.md)", field=table)


def _lag_index(dyads: pd.DataFrame) -> np.ndarray:
    """Boolean array: the previous row is the same dyad in the previous year (data sorted)."""
    c1 = dyads["ccode1"].to_numpy()
    c2 = dyads["ccode2"].to_numpy()
    yr = dyads["year"].to_numpy()
    ok = np.zeros(len(dyads), dtype=bool)
    ok[1:] = (c1[1:] == c1[:-1]) & (c2[1:] == c2[:-1]) & (yr[1:] == yr[:-1] + 1)
    return ok


def _lag(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.full(len(values), np.nan)
    out[1:] = values[:-1]
    out[~ok] = np.nan
    return out


def quadrant_of(high_threat: np.ndarray, high_disparity: np.ndarray) -> np.ndarray:
    """Table 1 label for each row (vectorised)."""
    ht = np.asarray(high_threat, dtype=bool)
    hd = np.asarray(high_disparity, dtype=bool)
    labels = np.empty(len(ht), dtype=object)
    for (t, d), name in QUADRANTS.items():
        labels[(ht == t) & (hd == d)] = name
    return labels


def _years_since(flag: np.ndarray, year: np.ndarray, new_dyad: np.ndarray) -> np.ndarray:
    """Years since ``flag`` was last 1 within a dyad (or since the dyad's first year)."""
    anchor = np.where(flag.astype(bool) | new_dyad, year, np.nan).astype(float)
    # forward-fill within dyads: new_dyad always sets an anchor, so a plain ffill stays inside a dyad
    anchor = pd.Series(anchor).ffill().to_numpy()
    return year - anchor


def prepare_dyads(dyads: pd.DataFrame, states: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the dyad panel with lagged theory measures, risk sets and Table 1 quadrants.

    Added columns (all measured at t-1 unless stated): ``disparity``, ``log_cap_ratio``,
    ``high_disparity``, ``threat`` and the alternatives in :data:`THREAT_MEASURES`, ``quadrant``,
    ``contiguous``, ``log_capdist``, ``regime_distance`` (+ ``regime_missing``), ``dyad_cinc``,
    ``strongest_other_cinc``, ``in_dyad_strongest``, ``log_common_threat``, ``mid_ongoing``,
    ``rival_pair``; risk sets ``at_risk_onset`` (no alliance at t-1) and ``at_risk_end``
    (alliance at t-1); outcomes ``onset`` and ``end`` in year t; ``alliance_free_years`` (years
    since the dyad last had an alliance, for Carter-Signorino cubic duration terms);
    ``dyad_id`` (cluster id). With an ``atop_defense`` column also ``at_risk_defense``,
    ``defense_onset`` and ``defense_free_years`` (defense pacts only, for robustness).
    """
    check_columns(dyads, DYAD_COLUMNS, "dyad_years")
    df = dyads.loc[:, [c for c in dyads.columns]].sort_values(["ccode1", "ccode2", "year"],
                                                              kind="mergesort")
    df = df.reset_index(drop=True)
    ok = _lag_index(df)
    year = df["year"].to_numpy(dtype=np.int64)
    ally = df["alliance"].to_numpy(dtype=float)

    # state-level inputs: strongest state each year, Leeds-Savun threat
    st = pd.concat([df[["year", "ccode1", "cinc1"]].set_axis(["year", "ccode", "cinc"], axis=1),
                    df[["year", "ccode2", "cinc2"]].set_axis(["year", "ccode", "cinc"], axis=1)])
    if states is not None and "cinc" in states.columns:
        st = pd.concat([st, states[["year", "ccode", "cinc"]]])
    st = st.dropna().drop_duplicates(["year", "ccode"])
    st = st.sort_values(["year", "cinc"], ascending=[True, False])
    top = st.groupby("year").head(2).copy()
    top["rank"] = top.groupby("year").cumcount()
    first = top[top["rank"] == 0].set_index("year")
    second = top[top["rank"] == 1].set_index("year")["cinc"]
    first_code = df["year"].map(first["ccode"]).to_numpy()
    first_cinc = df["year"].map(first["cinc"]).to_numpy(dtype=float)
    second_cinc = df["year"].map(second).fillna(0.0).to_numpy(dtype=float)
    in_dyad = (df["ccode1"].to_numpy() == first_code) | (df["ccode2"].to_numpy() == first_code)
    strongest_other = np.where(in_dyad, second_cinc, first_cinc)

    cinc1 = df["cinc1"].to_numpy(dtype=float)
    cinc2 = df["cinc2"].to_numpy(dtype=float)
    cap_share = df["cap_share"].to_numpy(dtype=float)
    shared_rivals = df["shared_rivals"].to_numpy(dtype=float)
    shared_mid = df["shared_mid_opponents"].to_numpy(dtype=float)
    ctc = df["common_threat_cinc"].to_numpy(dtype=float)
    v1 = df["v2x_polyarchy1"].to_numpy(dtype=float)
    v2 = df["v2x_polyarchy2"].to_numpy(dtype=float)
    conttype = df["conttype"].to_numpy(dtype=float)
    capdist = df["capdist"].to_numpy(dtype=float)

    ls_high = np.full(len(df), np.nan)
    if states is not None and "ls_threat" in states.columns:
        s = states[["ccode", "year", "ls_threat"]].dropna()
        if len(s):
            cut = float(s["ls_threat"].quantile(LS_THREAT_QUANTILE))
            key = s.set_index(["ccode", "year"])["ls_threat"]
            idx1 = pd.MultiIndex.from_arrays([df["ccode1"], df["year"]])
            idx2 = pd.MultiIndex.from_arrays([df["ccode2"], df["year"]])
            a = key.reindex(idx1).to_numpy(dtype=float)
            b = key.reindex(idx2).to_numpy(dtype=float)
            m = np.fmax(a, b)
            ls_high = np.where(np.isnan(m), np.nan, (m >= cut).astype(float))

    current = {
        "disparity": 2.0 * (cap_share - 0.5),
        "log_cap_ratio": np.log(np.clip(cap_share, 0.5, 1 - 1e-9) / np.clip(1 - cap_share, 1e-9, 0.5)),
        "high_disparity": (cap_share >= DISPARITY_THRESHOLD).astype(float),
        "common_rival": (shared_rivals > 0).astype(float),
        "shared_mid": (shared_mid > 0).astype(float),
        "threat": ((shared_rivals > 0) | (shared_mid > 0)).astype(float),
        "strong_threat": (ctc >= STRONG_THREAT_CINC).astype(float),
        "log_common_threat": np.log1p(100.0 * np.nan_to_num(ctc)),
        "ls_threat_high": ls_high,
        "contiguous": ((conttype >= 1) & (conttype <= 5)).astype(float),
        "land_contiguous": (conttype == 1).astype(float),
        "log_capdist": np.log1p(np.nan_to_num(capdist, nan=np.nanmedian(capdist)
                                              if np.isfinite(capdist).any() else 0.0) / 1000.0),
        "regime_distance": np.abs(v1 - v2),
        "dyad_cinc": np.log(np.clip(cinc1 + cinc2, 1e-6, None)),
        "strongest_other_cinc": np.log(np.clip(strongest_other, 1e-6, None)),
        "joint_vs_strongest": np.log(np.clip((cinc1 + cinc2) / np.clip(strongest_other, 1e-6, None),
                                             1e-6, None)),
        "in_dyad_strongest": in_dyad.astype(float),
        "mid_ongoing": df["cowmid_ongoing"].to_numpy(dtype=float),
        "rival_pair": df["rivalry"].to_numpy(dtype=float),
        "any_major_f": df["any_major"].to_numpy(dtype=float),
        "politically_relevant_f": df["politically_relevant"].to_numpy(dtype=float),
    }
    # lag one measure at a time and free the current-year array (memory: ~1M rows each)
    out = {name: _lag(np.asarray(current.pop(name), dtype=float), ok) for name in list(current)}
    out["regime_missing"] = np.isnan(out["regime_distance"]).astype(float)
    out["regime_distance"] = np.nan_to_num(out["regime_distance"], nan=0.0)
    for name in ("mid_ongoing", "rival_pair", "any_major_f", "politically_relevant_f", "in_dyad_strongest"):
        out[name] = np.nan_to_num(out[name], nan=0.0)
    alliance_lag = _lag(ally, ok)
    new_dyad = ~ok
    # years without an alliance completed by t-1 (0 right after an alliance or at the dyad's start)
    free = _lag(_years_since(np.nan_to_num(ally), year.astype(float), new_dyad), ok)
    out["alliance_free_years"] = np.nan_to_num(free, nan=0.0)
    if "atop_defense" in df.columns:  # robustness: defense pacts only
        dfn = df["atop_defense"].to_numpy(dtype=float)
        dlag = _lag(dfn, ok)
        dfree = _lag(_years_since(np.nan_to_num(dfn), year.astype(float), new_dyad), ok)
        out["defense_free_years"] = np.nan_to_num(dfree, nan=0.0)
        out["at_risk_defense"] = dlag == 0
        out["defense_onset"] = np.where(dlag == 0, dfn, np.nan)
    out["at_risk_onset"] = alliance_lag == 0
    out["at_risk_end"] = alliance_lag == 1
    out["onset"] = np.where(alliance_lag == 0, ally, np.nan)
    out["end"] = np.where(alliance_lag == 1, 1.0 - ally, np.nan)
    hd = out["high_disparity"]
    ht = out["threat"]
    quad = quadrant_of(ht == 1, hd == 1)
    quad[np.isnan(hd) | np.isnan(ht)] = None
    out["quadrant"] = quad
    out["dyad_id"] = (df["ccode1"].to_numpy(dtype=np.int64) * 1000
                      + df["ccode2"].to_numpy(dtype=np.int64))
    keep = [c for c in df.columns if c not in out]
    df = df[keep]
    # one new frame from the column dict (no second copy of the added columns)
    return pd.concat([df, pd.DataFrame(out, index=df.index, copy=False)], axis=1, copy=False)
