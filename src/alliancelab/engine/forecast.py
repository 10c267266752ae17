"""``forecast``: the Monte Carlo distribution of outcomes of a scenario, with intervals and drivers."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._exceptions import InputError
from .._random import SeedLike, as_generator
from .._validation import MAX_RUNS, check_positive_int
from ..scenario import NON_ALIGNED, Scenario, load_scenario, scope_warnings
from ..theory import disparity as Y
from ..theory.params import ModelParams
from ._compile import Compiled, compile_scenario
from ._simulate import EVENT_KINDS, MECHANISMS, SimResult, simulate, simulate_many, split_result
from .baselines import baselines

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_DRIVER_RUNS", "Forecast", "forecast", "forecast_many", "scenario_warnings", "wilson_interval"]

#: Runs per rerun when measuring drivers (each mechanism switched off in turn, same seed).
DEFAULT_DRIVER_RUNS = 2_000
_Z95 = 1.959963984540054
_DIGITS = 6


def wilson_interval(k: np.ndarray | int, n: int, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for ``k`` successes in ``n`` trials (vectorised).

    Examples
    --------
    >>> lo, hi = wilson_interval(50, 100)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4038, 0.5962)
    """
    k = np.asarray(k, dtype=float)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(k >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


def _r(x: float) -> float:
    v = round(float(x), _DIGITS)
    return 0.0 if v == 0 else v


def _dist(counts: np.ndarray, labels: list[str], n: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    lo, hi = wilson_interval(counts, n)
    probs = {lab: _r(c / n) for lab, c in zip(labels, counts)}
    cis = {lab: [_r(a), _r(b)] for lab, a, b in zip(labels, lo, hi)}
    return probs, cis


def _resolve_seed(seed: SeedLike) -> int:
    if isinstance(seed, bool):
        raise InputError(f"must be a whole number >= 0; got {seed!r}", field="seed")
    if isinstance(seed, (int, np.integer)):
        if seed < 0:
            raise InputError(f"must be a whole number >= 0; got {seed!r}", field="seed")
        return int(seed)
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return int(as_generator(seed).integers(0, 2**63))


def scenario_warnings(scenario: Scenario, comp: Compiled) -> list[str]:
    """Scope (E7, via the elite kernel) and consistency warnings of a compiled scenario."""
    out = scope_warnings(scenario)
    over = comp.scheduled_spend > comp.budget + 1e-9
    for pi, pn in enumerate(comp.patrons):
        ts = [comp.periods[t] for t in np.nonzero(over[:, pi])[0]]
        if ts:
            out.append(f"patron {pn}'s scheduled support exceeds its budget in {', '.join(ts)}")
    if not scenario.threats:
        out.append("no threats given: paper Y's threat terms are 0 (alliances rest on domestic "
                   "precarity only and dissolve at the no-threat hazard)")
    return out


@dataclass(frozen=True)
class Forecast:
    """The distribution of outcomes of a scenario (see :func:`forecast`).

    ``to_dict()`` gives the JSON object of ``alliancelab forecast --json``; ``trajectories`` the tidy
    per-run history; ``period_summary()`` the per-period probabilities for plots.
    """

    scenario_id: str
    title: str
    periods: list[str]
    clients: list[str]
    patrons: list[str]
    factions: list[list[str]]
    runs: int
    seed: int
    disabled: tuple[str, ...]
    warnings: list[str]
    result: SimResult = field(repr=False)
    drivers: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    driver_runs: int = 0
    params: ModelParams = field(default_factory=ModelParams, repr=False)
    baselines: dict[str, Any] = field(default_factory=dict, repr=False)  # engine/baselines.py

    # ------------------------------------------------------------------ labels
    @property
    def primary(self) -> str:
        """Name of the primary client (the first in the scenario)."""
        return self.clients[0]

    @property
    def alignment_labels(self) -> list[str]:
        return [*self.patrons, NON_ALIGNED]

    # ------------------------------------------------------------------ distributions
    def _client_block(self, ci: int) -> dict[str, Any]:
        res, n, T = self.result, self.runs, len(self.periods)
        P, F = len(self.patrons), len(self.factions[ci])
        types = list(Y.ALLIANCE_TYPES)
        out: dict[str, Any] = {"ci": {}}
        finals = {
            "alignment": (np.bincount(res.aligned[-1, :, ci], minlength=P + 1), self.alignment_labels),
            "ruling": (np.bincount(res.ruling[-1, :, ci], minlength=F)[:F], self.factions[ci]),
            "alliance_type": (np.bincount(res.atype[-1, :, ci], minlength=len(types)), types),
        }
        for key, (counts, labels) in finals.items():
            out[key], out["ci"][key] = _dist(counts, labels, n)
        out["alignment_form"], out["ci"]["alignment_form"] = self._forms(ci, T - 1)
        out["events"] = self._events(ci)
        timeline = []
        for t in range(T):
            row: dict[str, Any] = {"period": self.periods[t]}
            for key, arr, labels, m in (("alignment", res.aligned, self.alignment_labels, P + 1),
                                        ("ruling", res.ruling, self.factions[ci], F),
                                        ("alliance_type", res.atype, types, len(types))):
                row[key], row[f"{key}_ci"] = _dist(np.bincount(arr[t, :, ci], minlength=m)[:m], labels, n)
            row["alignment_form"], row["alignment_form_ci"] = self._forms(ci, t)
            row["precarity_mean"] = _r(res.precarity[t, :, ci].mean())
            row["ruler_support_mean"] = _r(res.ruler_share[t, :, ci].mean())
            timeline.append(row)
        out["timeline"] = timeline
        return out

    def _form_labels(self, ci: int, t: int) -> np.ndarray:
        """Alignment-form label of every run in period ``t`` (E19): ``alliance:P``, ``aid:P``,
        ``tacit:P``, ``both:P+Q`` (names sorted) or ``neutral``."""
        from ..theory.mechanisms import FORMS

        res, P = self.result, len(self.patrons)
        if res.form is None:
            al = res.aligned[t, :, ci]
            return np.array([f"alliance:{self.patrons[a]}" if a < P else "neutral" for a in al])
        names = [*self.patrons, ""]
        code = (res.form[t, :, ci].astype(np.int64) * (P + 1) + res.partner[t, :, ci]) * (P + 1) \
            + res.second[t, :, ci]
        uniq, inv = np.unique(code, return_inverse=True)
        labels = []
        for c in uniq:
            f, rest = divmod(int(c), (P + 1) ** 2)
            a, b = divmod(rest, P + 1)
            form = FORMS[f]
            if form == "neutral" or a >= P:
                labels.append("neutral")
            elif form == "both" and b < P:
                labels.append("both:" + "+".join(sorted((names[a], names[b]))))
            else:
                labels.append(f"{'alliance' if form == 'both' else form}:{names[a]}")
        return np.asarray(labels, dtype=object)[inv]

    def _forms(self, ci: int, t: int) -> tuple[dict[str, float], dict[str, list[float]]]:
        """Distribution of the alignment form in period ``t`` (sums to 1), with Wilson intervals."""
        labs, counts = np.unique(self._form_labels(ci, t).astype(str), return_counts=True)
        return _dist(counts, [str(x) for x in labs], self.runs)

    def _events(self, ci: int) -> dict[str, Any]:
        res, n = self.result, self.runs
        out: dict[str, Any] = {}
        for kind, what in EVENT_KINDS.items():
            first = res.first[kind][:, ci]
            happened = first >= 0
            k = int(happened.sum())
            lo, hi = wilson_interval(k, n)
            labels = self.factions[ci] if what == "faction" else self.patrons
            by_counts = res.by[kind][:, ci, : len(labels)].sum(0)
            by_lo, by_hi = wilson_interval(by_counts, n)
            timing = np.bincount(first[happened], minlength=len(self.periods)) if k else \
                np.zeros(len(self.periods), dtype=int)
            entry: dict[str, Any] = {
                "probability": _r(k / n), "ci": [_r(lo), _r(hi)],
                "by": {lab: {"probability": _r(c / n), "ci": [_r(a), _r(b)]}
                       for lab, c, a, b in zip(labels, by_counts, by_lo, by_hi)},
                "first_period": {self.periods[t]: _r(c / k) for t, c in enumerate(timing) if c} if k else {},
                "first_period_ci": {self.periods[t]: [_r(a), _r(b)] for t, (c, a, b) in
                                    enumerate(zip(timing, *wilson_interval(timing, k))) if c} if k else {},
                "modal_first_period": self.periods[int(np.argmax(timing))] if k else None,
            }
            out[kind] = entry
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able result: top-level keys describe the primary client; ``clients`` all of them."""
        blocks = {c: self._client_block(i) for i, c in enumerate(self.clients)}
        top = blocks[self.primary]
        return {
            "scenario": {"id": self.scenario_id, "title": self.title},
            "primary_client": self.primary,
            "periods": list(self.periods),
            "final_period": self.periods[-1],
            "runs": self.runs,
            "seed": self.seed,
            "disabled": list(self.disabled),
            "params_changed": self._params_changed(),
            "warnings": list(self.warnings),
            "alignment": top["alignment"],
            "ruling": top["ruling"],
            "alliance_type": top["alliance_type"],
            "alignment_form": top["alignment_form"],
            "ci": top["ci"],
            "events": top["events"],
            "timeline": top["timeline"],
            "drivers": self.drivers,
            "driver_runs": self.driver_runs,
            "clients": blocks,
            "baselines": self.baselines,
        }

    def _params_changed(self) -> dict[str, float]:
        """Parameters that differ from the defaults, as ``{"section.name": value}``."""
        cur, ref = self.params.to_dict(), ModelParams().to_dict()
        return {f"{sec}.{k}": v for sec in cur for k, v in cur[sec].items() if ref[sec].get(k) != v}

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON (sorted keys, floats rounded to 6 decimals, no timestamps)."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, allow_nan=False)

    # ------------------------------------------------------------------ frames
    @cached_property
    def trajectories(self) -> pd.DataFrame:
        """Tidy per-run history: run, period, client, ruling, alignment, alliance_type, precarity, ..."""
        import pandas as pd

        res = self.result
        T, R, C = res.ruling.shape
        t_idx, r_idx, c_idx = np.meshgrid(np.arange(T), np.arange(R), np.arange(C), indexing="ij")
        fac_names = np.array([[*f, *[""] * (max(map(len, self.factions)) - len(f))] for f in self.factions])
        return pd.DataFrame({
            "run": r_idx.ravel(),
            "period": pd.Categorical.from_codes(t_idx.ravel(), self.periods),
            "client": pd.Categorical.from_codes(c_idx.ravel(), self.clients),
            "ruling": fac_names[c_idx.ravel(), res.ruling.ravel()],
            "alignment": pd.Categorical.from_codes(res.aligned.ravel().astype(int), self.alignment_labels),
            "alliance_type": pd.Categorical.from_codes(res.atype.ravel().astype(int), list(Y.ALLIANCE_TYPES)),
            "precarity": res.precarity.ravel(),
            "ruler_support": res.ruler_share.ravel(),
        })

    @cached_property
    def event_table(self) -> pd.DataFrame:
        """Tidy first occurrences: one row per (run, client, event) that happened, with its period."""
        import pandas as pd

        frames = []
        for kind in EVENT_KINDS:
            first = self.result.first[kind]                                # (R, C)
            r, c = np.nonzero(first >= 0)
            frames.append(pd.DataFrame({"run": r, "client": np.asarray(self.clients)[c], "event": kind,
                                        "period": np.asarray(self.periods)[first[r, c]]}))
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["run", "client", "event"], kind="stable").reset_index(drop=True)

    def period_summary(self) -> pd.DataFrame:
        """Tidy per-period probabilities: period, client, variable, label, probability, ci_low, ci_high."""
        import pandas as pd

        rows = []
        for ci, cname in enumerate(self.clients):
            for row in self._client_block(ci)["timeline"]:
                for var in ("alignment", "ruling", "alliance_type"):
                    for lab, p in row[var].items():
                        lo, hi = row[f"{var}_ci"][lab]
                        rows.append({"period": row["period"], "client": cname, "variable": var, "label": lab,
                                     "probability": p, "ci_low": lo, "ci_high": hi})
                rows.append({"period": row["period"], "client": cname, "variable": "precarity_mean",
                             "label": "", "probability": row["precarity_mean"], "ci_low": math.nan,
                             "ci_high": math.nan})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """Final-period probabilities of the primary client with 95% intervals (one row per label)."""
        import pandas as pd

        d = self._client_block(0)
        rows = [{"variable": var, "label": lab, "probability": p, "ci_low": d["ci"][var][lab][0],
                 "ci_high": d["ci"][var][lab][1]}
                for var in ("alignment", "ruling", "alliance_type") for lab, p in d[var].items()]
        return pd.DataFrame(rows)


def _inert(mech: str, comp: Compiled) -> bool:
    """True when switching ``mech`` off cannot change any run of this scenario (so its rerun is skipped).

    Exact: every period draws the same random numbers whatever is switched off, so a switch that
    changes no input gives identical histories.
    """
    from ..theory.instruments import INSTRUMENTS

    sup = comp.support if comp.support_ruling is None else \
        np.concatenate([comp.support.reshape(-1, comp.support.shape[-1]),
                        comp.support_ruling.reshape(-1, comp.support.shape[-1])])
    if mech == "E4":
        return not sup[..., INSTRUMENTS.index("diplomatic_gesture")].any()
    if mech in ("E5", "E2t"):           # E2t: no commitment to back anyone's armed action to scale
        return not sup[..., INSTRUMENTS.index("armed_action_commitment")].any()
    if mech == "E17":
        return bool(np.all(comp.visibility == 1.0))
    if mech == "E6":
        return bool(np.all(comp.breadth == 1.0))
    if mech == "Y7":
        return not (comp.aid_need > 0).any()
    if mech in ("Y16", "Y21", "E8g"):        # without mistrust every talk concludes at once
        return not comp.mistrust.any()
    if mech == "Y19":                   # only Y15's challenges read the fields' narrowing
        return comp.challenge is None
    if mech == "E20j":                  # no scheduled election: a junta has no calendar to ignore
        return not comp.election_due.any()
    if mech == "E21b":                  # no intolerant donor, no averse faction, or nothing to withhold
        return (comp.support_ruling is None and comp.intervention is None) or \
            not (comp.tolerance < 0.5).any() or not (comp.affinity < 0.0).any()
    if mech == "Y10":
        return not (comp.mistrust.any() or comp.accommodation.any() or comp.wedge.any())
    if mech == "Y12":
        return bool(np.all(comp.control >= 1.0))
    if mech == "E21":
        return comp.pressure is None
    if mech == "E21c":                  # no pressure aimed at a faction by name: no affront
        return comp.pressure is None or not comp.pressure[..., :-1, :].any()
    if mech == "E22":
        return comp.intervention is None
    if mech == "Y15":
        return comp.challenge is None
    if mech == "Y22":                   # no patron's ideological appeal falls: no legitimacy shock
        return comp.appeal_drop is None
    if mech == "Y17":
        return comp.term_end is None
    if mech == "E11m":
        return comp.market_frac is None
    if mech == "E13b":                  # no aid to the state: no rival state aid to forfeit
        return comp.support_ruling is None
    if mech in ("E20f", "E20r"):        # no rigged count scripted: no stolen count, nothing to switch
        from ._compile import GRAB_KINDS

        return not any(g[3] == GRAB_KINDS.index("election_rigged") for g in comp.grabs)
    if mech == "Y13":
        return comp.y13 is None or not (comp.threat_any.any() or comp.y13["threat_any"].any())
    return False


def driver_reruns(scenario: Scenario, params: ModelParams | None = None) -> int:
    """How many reruns a forecast's drivers make for ``scenario``: one per mechanism that can change
    it (:func:`_inert` skips the others), as :func:`forecast` does."""
    comp = compile_scenario(scenario, params if params is not None else ModelParams())
    return sum(not _inert(m, comp) for m in MECHANISMS)


def _modal(res: SimResult, n_labels: int) -> int:
    return int(np.argmax(np.bincount(res.aligned[-1, :, 0], minlength=n_labels)))


def forecast(scenario: Scenario | str | Path, *, runs: int = 10_000, seed: SeedLike = None,
             params: ModelParams | None = None, disable: set[str] | frozenset[str] | tuple[str, ...] = (),
             drivers: bool = True, driver_runs: int = DEFAULT_DRIVER_RUNS) -> Forecast:
    """Forecast a scenario: the Monte Carlo distribution of ruling faction, alignment, type, events.

    Parameters
    ----------
    scenario
        A :class:`~alliancelab.scenario.Scenario`, or a path / built-in case id to load.
    runs
        Monte Carlo runs (1 to ``MAX_RUNS``).
    seed
        ``int`` (recorded), a ``Generator`` (an int seed is drawn from it), or ``None`` (fresh entropy,
        recorded in the result so the forecast can be reproduced).
    params
        The one parameter set (default :class:`ModelParams`).
    disable
        Mechanism ids to switch off (see :data:`MECHANISMS`), e.g. ``{"E10", "Y3"}``.
    drivers
        Also measure each mechanism's effect: rerun with it switched off, same seed,
        ``min(runs, driver_runs)`` runs each, and report the change of the modal alignment's
        probability against a baseline of the same size (common random numbers).

    Examples
    --------
    >>> fc = forecast("examples/contested_election.yaml", runs=500, seed=1, drivers=False)  # doctest: +SKIP
    >>> sum(fc.to_dict()["alignment"].values())  # doctest: +SKIP
    1.0
    """
    driver_runs = check_positive_int(driver_runs, "driver_runs", maximum=MAX_RUNS)
    params = params if params is not None else ModelParams()
    if not isinstance(params, ModelParams):
        raise InputError(f"must be a ModelParams; got {type(params).__name__}", field="params")
    runs, scenario, seed_int, off = _checked(scenario, runs, seed, disable)
    comp = compile_scenario(scenario, params)
    res = simulate(comp, params, runs, as_generator(seed_int), off)

    drv: dict[str, dict[str, Any]] = {}
    n_drv = 0
    if drivers:
        n_drv = min(runs, driver_runs)
        labels = [*comp.patrons, NON_ALIGNED]
        modal = _modal(res, len(labels))
        base = res if n_drv == runs else simulate(comp, params, n_drv, as_generator(seed_int), off, light=True)
        p_on = float(np.mean(base.aligned[-1, :, 0] == modal))
        for mech, desc in MECHANISMS.items():
            if mech in off:
                continue
            if _inert(mech, comp):
                p_off = p_on
            else:
                alt = simulate(comp, params, n_drv, as_generator(seed_int), off | {mech}, light=True)
                p_off = float(np.mean(alt.aligned[-1, :, 0] == modal))
            drv[mech] = {"description": desc, "outcome": f"alignment={labels[modal]}",
                         "p_with": _r(p_on), "p_without": _r(p_off), "change_when_off": _r(p_off - p_on)}
        ranked = sorted(drv, key=lambda m: (-abs(drv[m]["change_when_off"]), m))
        for i, m in enumerate(ranked, 1):
            drv[m]["rank"] = i

    return Forecast(scenario_id=scenario.metadata.id, title=scenario.metadata.title,
                    periods=list(comp.periods), clients=list(comp.clients), patrons=list(comp.patrons),
                    factions=[list(f) for f in comp.factions], runs=runs, seed=seed_int,
                    disabled=tuple(sorted(off)), warnings=scenario_warnings(scenario, comp), result=res,
                    drivers=drv, driver_runs=n_drv, params=params, baselines=baselines(scenario))


def _checked(scenario: Scenario | str | Path, runs: int, seed: SeedLike,
             disable: set[str] | frozenset[str] | tuple[str, ...]) -> tuple[int, Scenario, int, frozenset[str]]:
    """The checked ``runs``, the loaded scenario, the seed as an int and the switched-off mechanisms."""
    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    bad = sorted(set(disable) - set(MECHANISMS))
    if bad:
        raise InputError(f"unknown mechanism {bad[0]!r}; allowed: {', '.join(MECHANISMS)}", field="disable")
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return runs, scenario, _resolve_seed(seed), frozenset(disable)


def forecast_many(scenario: Scenario | str | Path, params_list: Sequence[ModelParams], *, runs: int,
                  seed: SeedLike, disable: set[str] | frozenset[str] | tuple[str, ...] = (),
                  compiled: Compiled | None = None, reports: bool = True) -> list[Forecast]:
    """One forecast per parameter set, all simulated in ONE engine call (``len(params_list) * runs``
    runs, :func:`~alliancelab.engine._simulate.simulate_many`); each equals, bit for bit,
    ``forecast(scenario, runs=runs, seed=seed, params=p, disable=disable, drivers=False)``.

    The sets may differ only in the posterior's free parameters (``engine._batch.VARYING``; another
    differing field is an :class:`InputError`). Used by the calibration to evaluate a whole
    (half-)ensemble of walkers at once: the engine's cost is mostly per period, not per run.

    ``compiled``: the scenario compiled with parameters equal to the sets' outside the free ones
    (compilation reads none of those), to reuse it across calls; ``reports=False`` leaves the
    warnings and baselines empty (what the likelihood does not read).
    """
    params_list = list(params_list)
    runs, scenario, seed_int, off = _checked(scenario, runs, seed, disable)
    from ._batch import make_batch

    make_batch(params_list, runs)                     # checks the sets before compiling
    comp = compile_scenario(scenario, params_list[0]) if compiled is None else compiled
    res = simulate_many(comp, params_list, runs, as_generator(seed_int), off)
    warnings, base = (scenario_warnings(scenario, comp), baselines(scenario)) if reports else ([], {})
    return [Forecast(scenario_id=scenario.metadata.id, title=scenario.metadata.title,
                     periods=list(comp.periods), clients=list(comp.clients), patrons=list(comp.patrons),
                     factions=[list(f) for f in comp.factions], runs=runs, seed=seed_int,
                     disabled=tuple(sorted(off)), warnings=list(warnings), result=part, drivers={},
                     driver_runs=0, params=p, baselines=base)
            for p, part in zip(params_list, split_result(res, len(params_list)))]
