"""Compare patron strategies by cost and forecast probability of alignment (paper E, E16)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._exceptions import InputError
from .._random import SeedLike, as_generator
from .._validation import MAX_RUNS, check_positive_int
from ..scenario import Scenario, load_scenario
from ._strategies import STRATEGIES, AdviseParams, apply_strategy, friendly_faction, scheduled_cost

if TYPE_CHECKING:
    from ..theory.params import ModelParams

__all__ = ["COLUMNS", "advise", "advice_to_dict"]

#: Columns of the advice table, in order.
COLUMNS: tuple[str, ...] = (
    "strategy", "description", "cost", "cost_ratio", "p_align", "p_align_lo", "p_align_hi",
    "delta_p_align", "periods_aligned", "p_friendly_rules", "p_friendly_rules_lo",
    "p_friendly_rules_hi", "p_hedge", "p_split", "p_split_lo", "p_split_hi",
)


def _seed_int(seed: SeedLike) -> int:
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return int(seed)
    return int(as_generator(seed).integers(0, 2**31 - 1))


def _notes(s: Scenario, patron: str, names: Sequence[str]) -> list[str]:
    notes = []
    if scheduled_cost(s, patron) <= 0:
        notes.append(f"{patron} schedules no money for {s.primary}: the money strategies change "
                     "nothing (add support items to compare them)")
    if "R2_revise_by_compliance" in names or "R1-R4" in names:
        if s.clients[s.primary].aid_need <= 0:
            notes.append(f"{s.primary} has no aid_need: R2 cannot cap support at need and only adds "
                         "the compliance condition")
    if "R3_engage_opposition" in names or "R1-R4" in names:
        friend = friendly_faction(s, patron)
        others = [n for n, f in s.clients[s.primary].factions.items()
                  if n != friend and f.affinity.get(patron, 0.0) >= 0.0]
        if not others:
            notes.append(f"no faction of {s.primary} other than {friend} is open to {patron} "
                         "(affinity >= 0): R3 changes nothing")
    return notes


def advise(scenario: Scenario | str | Path, patron: str, runs: int = 2000, seed: SeedLike = None, *,
           strategies: Sequence[str] | None = None, params: ModelParams | None = None,
           advise_params: AdviseParams | None = None) -> pd.DataFrame:
    """Forecast every strategy for ``patron`` and tabulate cost and P(align with patron) (E16).

    Every strategy is forecast with the same seed (common random numbers), so differences between
    rows are due to the strategy, not to Monte Carlo noise in the shared parts.

    Parameters
    ----------
    scenario
        A scenario, a path to a scenario YAML, or a built-in case id.
    patron
        The patron taking the advice.
    runs
        Monte Carlo runs per strategy.
    seed
        ``int``, ``Generator`` or ``None`` (drawn once and recorded in ``df.attrs["seed"]``).
    strategies
        Keys of :data:`STRATEGIES` (default: all, in that order).
    params
        The model's :class:`~alliancelab.theory.params.ModelParams` (default parameters if None).
    advise_params
        :class:`AdviseParams` for the strategies.

    Returns
    -------
    pandas.DataFrame
        One row per strategy with :data:`COLUMNS`: ``cost`` is the money the patron schedules for
        the primary client over all periods (million USD; payment conditions ignored),
        ``cost_ratio`` the ratio to the status quo, ``p_align`` the probability that the primary
        client is aligned with ``patron`` in the final period with its 95% Wilson interval
        (``_lo``/``_hi``), ``delta_p_align`` the change against the status quo, ``periods_aligned``
        the expected share of periods aligned with ``patron``, ``p_friendly_rules`` the probability
        that the faction the patron backs most rules in the final period, ``p_hedge`` the
        probability that the client is aligned with ``patron`` although another faction rules (what
        engaging the opposition buys, R3), ``p_split`` the probability of a split between the client
        and ``patron`` at some period (E11/E12), with its interval. ``df.attrs`` holds
        ``patron``, ``client``, ``friendly_faction``, ``runs``, ``seed`` and ``notes``.

    Examples
    --------
    >>> df = advise("examples/contested_election.yaml", "West", runs=200, seed=1)  # doctest: +SKIP
    >>> list(df["strategy"])[:3]  # doctest: +SKIP
    ['status_quo', 'invisible_loans', 'double_budget']
    """
    from ..engine import forecast, wilson_interval

    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if patron not in s.patrons:
        raise InputError(f"unknown patron {patron!r}; allowed: one of: {', '.join(s.patrons)}",
                         source=s.origin, field="patron")
    names = list(strategies) if strategies is not None else list(STRATEGIES)
    bad = [n for n in names if n not in STRATEGIES]
    if bad:
        raise InputError(f"unknown strategy {bad[0]!r}; allowed: one of: {', '.join(STRATEGIES)}",
                         field="strategy")
    seed_int = _seed_int(seed)
    p_idx = list(s.patrons).index(patron)
    friend = friendly_faction(s, patron)
    f_idx = list(s.clients[s.primary].factions).index(friend)
    base_cost = scheduled_cost(s, patron)
    rows: list[dict[str, Any]] = []
    for name in names:
        variant = apply_strategy(s, patron, name, advise_params)
        fc = forecast(variant, runs=runs, seed=seed_int, params=params, drivers=False)
        aligned = fc.result.aligned[:, :, 0]                       # (T, R) primary client
        ruling = fc.result.ruling[-1, :, 0]
        k_align = int(np.sum(aligned[-1] == p_idx))
        k_rule = int(np.sum(ruling == f_idx))
        k_split = int(np.sum(fc.result.by["split"][:, 0, p_idx]))
        a_lo, a_hi = wilson_interval(k_align, runs)
        r_lo, r_hi = wilson_interval(k_rule, runs)
        s_lo, s_hi = wilson_interval(k_split, runs)
        cost = scheduled_cost(variant, patron)
        rows.append({
            "strategy": name, "description": STRATEGIES[name], "cost": round(cost, 6),
            "cost_ratio": round(cost / base_cost, 6) if base_cost > 0 else float("nan"),
            "p_align": k_align / runs, "p_align_lo": float(a_lo), "p_align_hi": float(a_hi),
            "periods_aligned": float(np.mean(aligned == p_idx)),
            "p_friendly_rules": k_rule / runs, "p_friendly_rules_lo": float(r_lo),
            "p_friendly_rules_hi": float(r_hi),
            "p_hedge": float(np.mean((aligned[-1] == p_idx) & (ruling != f_idx))),
            "p_split": k_split / runs, "p_split_lo": float(s_lo), "p_split_hi": float(s_hi),
        })
    df = pd.DataFrame(rows)
    if "status_quo" in names:
        ref = float(df.loc[df["strategy"] == "status_quo", "p_align"].iloc[0])
    else:
        ref = float(forecast(s, runs=runs, seed=seed_int, params=params, drivers=False)
                    .result.aligned[-1, :, 0].__eq__(p_idx).mean())
    df["delta_p_align"] = df["p_align"] - ref
    df = df[list(COLUMNS)]
    df.attrs.update(patron=patron, client=s.primary, friendly_faction=friend, runs=runs,
                    seed=seed_int, notes=_notes(s, patron, names), scenario=s.metadata.id)
    return df


def advice_to_dict(df: pd.DataFrame) -> dict[str, Any]:
    """The JSON-able form of an :func:`advise` table (floats rounded to 6 decimals).

    Examples
    --------
    >>> import pandas as pd
    >>> d = advice_to_dict(pd.DataFrame({"strategy": ["status_quo"], "p_align": [0.1234567]}))
    >>> d["strategies"][0]["p_align"]
    0.123457
    """
    def clean(v: Any) -> Any:
        if isinstance(v, (float, np.floating)):
            return None if not np.isfinite(v) else round(float(v), 6)
        if isinstance(v, np.integer):
            return int(v)
        return v

    out: dict[str, Any] = {k: clean(v) for k, v in df.attrs.items()}
    out["strategies"] = [{k: clean(v) for k, v in row.items()} for row in df.to_dict("records")]
    return out
