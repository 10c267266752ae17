"""Counterfactuals the papers' arguments raise, as scenario overrides (``--set`` syntax).

Each counterfactual changes facts of one built-in case with :func:`alliancelab.scenario.apply_overrides`
(dotted paths, e.g. ``support.ussr-trieste.amount=0.7``) and reports how the probability of an outcome
moves against the factual case, with the same seed and runs. ``direction`` is the sign the paper's
argument implies; the tests assert it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .._random import SeedLike
from .._validation import MAX_RUNS, check_positive_int
from ..theory.params import ModelParams
from .backtest import case_seeds
from .expected import EXPECTED, Expectation
from .outcomes import evaluate

__all__ = ["COUNTERFACTUALS", "Counterfactual", "CounterfactualResult", "counterfactuals"]


@dataclass(frozen=True)
class Counterfactual:
    """A change of facts in one case and the outcome whose probability it should move."""

    id: str
    case: str
    description: str
    argument: str
    overrides: tuple[str, ...]
    outcome: str
    criteria: tuple[dict[str, Any], ...]
    direction: int  # +1: the outcome becomes more likely, -1: less likely


COUNTERFACTUALS: tuple[Counterfactual, ...] = (
    Counterfactual(
        id="ussr-pledge-and-trieste",
        case="italy-1948",
        description="The USSR publicly pledges reconstruction aid to a PCI-led Italy and backs Italy on Trieste",
        argument="paper E: 'Moscow did not try to make up for it with diplomatic measures: the initial lack "
                 "of support on the Trieste issue made the Communist Party look like an unpatriotic agent'",
        overrides=("support.ussr-recon-pledge.amount=300", "support.ussr-recon-pledge.visibility=0.9",
                   "support.ussr-recon-pledge.breadth=0.9", "support.ussr-trieste.amount=0.7",
                   "patrons.USSR.budget=400"),
        outcome="the DC rules after the 1948 election",
        criteria=({"type": "ruling_at", "period": "1948", "faction": "DC"},),
        direction=-1,
    ),
    Counterfactual(
        id="ussr-backs-uprising",
        case="italy-1948",
        description="The USSR commits to back a PCI uprising (no Molotov cable)",
        argument="paper E: 'no promise of support if it came to power in a non-parliamentary way made the "
                 "revolution senseless' (Molotov's cable, 26 March 1948)",
        overrides=("support.ussr-uprising-backing.amount=1.0",),
        outcome="the Left attempts a coup",
        criteria=({"type": "event", "kind": "coup_attempted", "label": "Left"},),
        direction=+1,
    ),
    Counterfactual(
        id="tito-without-base",
        case="yugoslavia-1948",
        description="Tito lacks mass support and control of the army",
        argument="paper E: the Soviet-instigated challenge failed because 'the marshal's power was based on "
                 "people's support and control of the armed forces'",
        overrides=("clients.Yugoslavia.factions.Tito.baseline_support=0.3",
                   "clients.Yugoslavia.factions.Tito.coercion=0.3"),
        outcome="Tito still rules in 1958",
        criteria=({"type": "ruling_at", "period": "1958", "faction": "Tito"},),
        direction=-1,
    ),
    Counterfactual(
        id="no-barbarossa",
        case="grand-alliance-1941",
        description="Germany does not attack the USSR in 1941 (the 1940 threat level and the Nazi-Soviet "
                    "pact persist for the USSR; Germany still fights the UK)",
        argument="paper Y 4.1: 'when Hitler launched attacks on the east front ... the external threats also "
                 "pushed the Soviet Union to align'",
        overrides=("threats.nazi-1940.to=1942", "threats.barbarossa.targets=[UK]",
                   "threats.us-war.targets=[USA]"),
        outcome="the UK is allied with the USSR in 1942",
        criteria=({"type": "aligned_at", "period": "1942", "label": "USSR"},),
        direction=-1,
    ),
    Counterfactual(
        id="china-appeal-stays-low",
        case="sino-soviet-1950",
        description="China's ideological appeal stays at its 1950 level after 1956 (no 'dual leadership')",
        argument="paper Y 4.2: 'China's rising ideological authority had become intolerable' (Y11)",
        overrides=("clients.China.power.1957.ideological=3", "clients.China.power.1958.ideological=3"),
        outcome="the alliance splits by 1960",
        criteria=({"type": "event", "kind": "split", "label": "USSR"},),
        direction=-1,
    ),
)


@dataclass(frozen=True)
class CounterfactualResult:
    """Probability of the outcome with the factual and the counterfactual facts."""

    id: str
    case: str
    description: str
    outcome: str
    overrides: list[str]
    p_factual: float
    p_counterfactual: float
    change: float
    expected_direction: str
    direction_ok: bool
    runs: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _prob(fc: Any, cf: Counterfactual) -> float:
    exp = Expectation(case=cf.case, paper="", expected=cf.outcome, criteria=cf.criteria,
                      timing=EXPECTED[cf.case].timing, year=EXPECTED[cf.case].year, source="")
    return float(evaluate(fc, exp).holds.mean())


def counterfactuals(runs: int = 10_000, seed: SeedLike = 1, *, params: ModelParams | None = None,
                    which: list[str] | None = None) -> list[CounterfactualResult]:
    """Run each counterfactual against its factual case (same seed and runs).

    Parameters
    ----------
    runs, seed
        Monte Carlo runs and master seed (the case's seed is derived as in the backtest).
    params
        The one parameter set.
    which
        Subset of counterfactual ids (default: all of :data:`COUNTERFACTUALS`).
    """
    from ..engine import forecast
    from ..engine.forecast import _resolve_seed
    from ..scenario import apply_overrides, load_scenario

    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    master = _resolve_seed(seed)
    params = params or ModelParams()
    seeds = case_seeds(master, list(EXPECTED))
    chosen = [c for c in COUNTERFACTUALS if which is None or c.id in which]
    if which is not None and len(chosen) != len(set(which)):
        from .._exceptions import InputError

        raise InputError(f"unknown counterfactual; allowed: {', '.join(c.id for c in COUNTERFACTUALS)}",
                         field="which")
    out = []
    cache: dict[str, Any] = {}
    for cf in chosen:
        s = seeds[cf.case]
        if cf.case not in cache:
            cache[cf.case] = forecast(load_scenario(cf.case), runs=runs, seed=s, params=params, drivers=False)
        base = cache[cf.case]
        alt_sc = apply_overrides(load_scenario(cf.case), list(cf.overrides))
        alt = forecast(alt_sc, runs=runs, seed=s, params=params, drivers=False)
        p0, p1 = _prob(base, cf), _prob(alt, cf)
        change = p1 - p0
        out.append(CounterfactualResult(
            id=cf.id, case=cf.case, description=cf.description, outcome=cf.outcome,
            overrides=list(cf.overrides), p_factual=round(p0, 4), p_counterfactual=round(p1, 4),
            change=round(change, 4), expected_direction="up" if cf.direction > 0 else "down",
            direction_ok=bool(change * cf.direction > 0), runs=runs, seed=s))
    return out
