"""Synthetic panels with the contract's column names (docs/panel.md) and known coefficients.

Used to test that every estimator recovers the parameters that generated the data, and to exercise the
report and CLI without the real datasets. Not a model of the world: the data-generating process is the
estimators' own specification.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._random import SeedLike, as_generator

__all__ = ["SyntheticPanel", "synthetic_panel", "ONSET_TRUTH", "END_TRUTH", "H2_TRUTH", "H1_TRUTH"]

#: logit of onset at t on covariates at t-1 (names as in onset.ONSET_TERMS)
ONSET_TRUTH = {"const": -4.0, "disparity": 0.8, "threat": 1.0, "disparity_x_threat": 0.8,
               "contiguous": 0.7, "log_capdist": -0.3, "regime_distance": -0.8, "regime_missing": 0.0,
               "any_major_f": 0.4, "ps1": -0.5, "ps2": 0.1, "ps3": -0.006}
#: complementary log-log (grouped proportional hazards) of alliance end at t on covariates at t-1
END_TRUTH = {"const": -2.5, "disparity": -1.0, "threat": -0.8}
#: logit of a new major-power alliance in t+1 on state-year covariates at t
H2_TRUTH = {"const": -3.0, "entry_irregular": 0.8, "log_tenure": -0.3, "irregular_exit_recent": 0.5,
            "chisols_change": 0.4, "regime_unstable": 0.5, "log_cinc": 0.2, "polity": 0.0,
            "ls_threat": 0.6, "has_allies": 0.3}
#: logit of a new U.S. alliance in t+1 on aid in t-4..t (non-allies of the U.S. at t)
H1_TRUTH = {"const": -4.0, "log_us_aid": 0.5, "log_cinc": 0.2, "ls_threat": 0.5}

MAJORS = (2, 200, 220, 365, 710)


@dataclass(frozen=True)
class SyntheticPanel:
    """A synthetic panel: ``dyad_years`` and ``state_years`` frames plus the true coefficients."""

    dyad_years: pd.DataFrame
    state_years: pd.DataFrame
    truth: dict = field(default_factory=dict)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _markov(rng: np.random.Generator, shape: tuple[int, int], p_on: float, p_off: float) -> np.ndarray:
    n, t = shape
    out = np.zeros(shape)
    out[:, 0] = rng.random(n) < p_on / (p_on + p_off)
    for k in range(1, t):
        u = rng.random(n)
        out[:, k] = np.where(out[:, k - 1] == 1, u >= p_off, u < p_on)
    return out


def synthetic_panel(n_states: int = 60, years: tuple[int, int] = (1900, 1959),
                    seed: SeedLike = 0) -> SyntheticPanel:
    """Simulate a dyad-year and a state-year panel from the estimators' own specifications."""
    rng = as_generator(seed)
    y0, y1 = years
    yrs = np.arange(y0, y1 + 1)
    T = len(yrs)
    codes = np.array(list(MAJORS) + [400 + 5 * i for i in range(n_states - len(MAJORS))])
    S = len(codes)
    # state capabilities: log random walk, normalised to world shares each year
    logc = rng.normal(0, 1.2, S)[:, None] + np.cumsum(rng.normal(0, 0.05, (S, T)), axis=1)
    logc[: len(MAJORS)] += 2.0
    cinc = np.exp(logc) / np.exp(logc).sum(axis=0, keepdims=True)
    poly = np.clip(rng.uniform(0, 1, S)[:, None] + np.cumsum(rng.normal(0, 0.03, (S, T)), axis=1), 0, 1)
    poly_obs = np.where(rng.random((S, T)) < 0.05, np.nan, poly)

    i1, i2 = np.triu_indices(S, k=1)
    D = len(i1)
    c1, c2 = codes[i1], codes[i2]
    ci1, ci2 = cinc[i1], cinc[i2]
    share = np.maximum(ci1, ci2) / (ci1 + ci2)
    disparity = 2 * (share - 0.5)
    rivals = _markov(rng, (D, T), 0.04, 0.15) * rng.integers(1, 3, (D, 1))
    mids = _markov(rng, (D, T), 0.03, 0.2)
    threat = ((rivals > 0) | (mids > 0)).astype(float)
    ctc = np.where(threat == 1, rng.uniform(0.01, 0.2, (D, T)), 0.0)
    conttype = np.where(rng.random(D) < 0.12, 1, 0)
    capdist = np.exp(rng.normal(8.0, 0.7, D))
    major1 = np.isin(c1, MAJORS)
    major2 = np.isin(c2, MAJORS)
    any_major = (major1 | major2).astype(float)
    regdist = np.abs(poly_obs[i1] - poly_obs[i2])

    ally = np.zeros((D, T))
    anchor = np.full(D, float(y0))
    ally[:, 0] = rng.random(D) < 0.05
    anchor = np.where(ally[:, 0] == 1, y0, anchor)
    for k in range(1, T):
        t = yrs[k]
        free = (t - 1) - anchor
        free = np.where(ally[:, k - 1] == 1, 0.0, free)
        tt = free / 10.0
        reg_missing = np.isnan(regdist[:, k - 1])
        x = {"const": 1.0, "disparity": disparity[:, k - 1], "threat": threat[:, k - 1],
             "disparity_x_threat": disparity[:, k - 1] * threat[:, k - 1],
             "contiguous": conttype.astype(float), "log_capdist": np.log1p(capdist / 1000.0),
             "regime_distance": np.nan_to_num(regdist[:, k - 1]), "regime_missing": reg_missing,
             "any_major_f": any_major, "ps1": tt, "ps2": tt**2, "ps3": tt**3}
        eta_on = sum(ONSET_TRUTH[n] * x[n] for n in ONSET_TRUTH)
        eta_end = (END_TRUTH["const"] + END_TRUTH["disparity"] * disparity[:, k - 1]
                   + END_TRUTH["threat"] * threat[:, k - 1])
        p_end = 1 - np.exp(-np.exp(eta_end))
        u = rng.random(D)
        ally[:, k] = np.where(ally[:, k - 1] == 1, u >= p_end, u < _sigmoid(eta_on))
        anchor = np.where(ally[:, k] == 1, t, anchor)

    def flat(a: np.ndarray) -> np.ndarray:
        return np.asarray(a).reshape(D * T) if np.ndim(a) == 2 else np.repeat(a, T)

    dy = pd.DataFrame({
        "year": np.tile(yrs, D), "ccode1": flat(c1), "ccode2": flat(c2),
        "alliance": flat(ally).astype(int),
        "cinc1": flat(ci1), "cinc2": flat(ci2), "cap_share": flat(share),
        "cap_ratio": flat(share / (1 - share)),
        "shared_rivals": flat(rivals).astype(int), "shared_mid_opponents": flat(mids).astype(int),
        "common_threat_cinc": flat(ctc), "conttype": flat(conttype), "capdist": flat(capdist),
        "major1": flat(major1.astype(int)), "major2": flat(major2.astype(int)),
        "any_major": flat(any_major).astype(int),
        "politically_relevant": flat(((conttype > 0) | (any_major > 0)).astype(int)),
        "v2x_polyarchy1": flat(poly_obs[i1]), "v2x_polyarchy2": flat(poly_obs[i2]),
        "rivalry": flat(_markov(rng, (D, T), 0.01, 0.1)).astype(int),
        "cowmid_ongoing": flat((rng.random((D, T)) < 0.02).astype(int)),
        "peace_years": flat(np.tile(np.arange(T), (D, 1))),
    })
    dy["atop_defense"] = dy["alliance"] * flat((rng.random(D) < 0.6).astype(int))
    prev = dy.groupby(["ccode1", "ccode2"])["alliance"].shift(1)
    dy["alliance_onset"] = ((dy["alliance"] == 1) & (prev == 0)).astype(int)
    dy["alliance_end"] = ((dy["alliance"] == 0) & (prev == 1)).astype(int)

    states = _synthetic_states(rng)
    return SyntheticPanel(dyad_years=dy, state_years=states,
                          truth={"onset": ONSET_TRUTH, "end": END_TRUTH, "h2": H2_TRUTH, "h1": H1_TRUTH})


def _synthetic_states(rng: np.random.Generator, n: int = 160,
                      years: tuple[int, int] = (1946, 2010)) -> pd.DataFrame:
    yrs = np.arange(years[0], years[1] + 1)
    T = len(yrs)
    codes = np.array([2] + [20 + 5 * i for i in range(n - 1)])
    tenure = np.zeros((n, T))
    irregular = np.zeros((n, T))
    ten = rng.integers(0, 10, n).astype(float)
    irr = (rng.random(n) < 0.3).astype(float)
    for k in range(T):
        change = rng.random(n) < 0.15
        ten = np.where(change, 0.0, ten + 1)
        irr = np.where(change, (rng.random(n) < 0.3).astype(float), irr)
        tenure[:, k] = ten
        irregular[:, k] = irr
    exits = (rng.random((n, T)) < 0.15).astype(float)
    chis = (rng.random((n, T)) < 0.08).astype(float)
    regch = (rng.random((n, T)) < 0.2).astype(float)
    cinc = np.exp(rng.normal(-6, 1.5, n))[:, None] * np.exp(np.cumsum(rng.normal(0, 0.02, (n, T)), 1))
    polity = np.clip(rng.normal(0, 6, (n, T)), -10, 10)
    ls = rng.uniform(0, 1, (n, T))
    allies = (rng.random((n, T)) < 0.5).astype(float)
    aid = np.where(rng.random((n, T)) < 0.6, np.exp(rng.normal(16, 2, (n, T))), 0.0)
    aid[0] = 0.0
    x = {"const": 1.0, "entry_irregular": irregular, "log_tenure": np.log1p(tenure),
         "irregular_exit_recent": exits, "chisols_change": chis, "regime_unstable": regch,
         "log_cinc": np.log(cinc), "polity": polity / 10, "ls_threat": ls, "has_allies": allies}
    eta = sum(H2_TRUTH[k] * x[k] for k in H2_TRUTH)
    new_major = np.zeros((n, T))
    new_major[:, 1:] = rng.random((n, T - 1)) < _sigmoid(eta[:, :-1])
    # aid averaged over t-4..t (years before the start count as zero)
    csum = np.cumsum(np.pad(aid, ((0, 0), (4, 0))), axis=1)
    mean5 = (csum[:, 4:] - np.pad(csum, ((0, 0), (1, 0)))[:, :T]) / 5.0
    eta1 = (H1_TRUTH["const"] + H1_TRUTH["log_us_aid"] * np.log1p(mean5 / 1e6)
            + H1_TRUTH["log_cinc"] * np.log(cinc) + H1_TRUTH["ls_threat"] * ls)
    us = np.zeros((n, T))
    for k in range(1, T):
        us[:, k] = np.where(us[:, k - 1] == 1, rng.random(n) >= 0.02, rng.random(n) < _sigmoid(eta1[:, k - 1]))
    us[0] = 0
    return pd.DataFrame({
        "ccode": np.repeat(codes, T), "year": np.tile(yrs, n), "leader": "x",
        "leader_tenure": tenure.ravel(), "entry_irregular": irregular.ravel(),
        "irregular_exits_5y": exits.ravel(), "chisols_change": chis.ravel(),
        "polity2": polity.ravel(), "v2x_polyarchy": (polity.ravel() + 10) / 20,
        "regime_change_5y": regch.ravel(), "ls_threat": ls.ravel(), "us_aid": aid.ravel(),
        "n_allies": allies.ravel() * 2, "n_major_allies": allies.ravel(), "us_ally": us.ravel(),
        "new_major_alliance": new_major.ravel(), "cinc": cinc.ravel(),
        "major": np.isin(np.repeat(codes, T), MAJORS).astype(int),
    })
