"""``ModelParams``: the ONE parameter set of the combined model (paper E + paper Y + the engine).

:class:`ModelParams` composes :class:`~alliancelab.theory.elite.EliteParams`,
:class:`~alliancelab.theory.disparity.DisparityParams` and :class:`EngineParams` (the few constants
with which the engine composes the two theories). Every field of the three carries
``metadata={"unit", "range", "source"}``; :func:`parameters_markdown` renders them as
``docs/parameters.md`` (``alliancelab params --markdown``), and a test keeps the committed file current.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .._exceptions import InputError
from .._validation import check_interval
from .disparity import DisparityParams
from .elite import EliteParams

__all__ = ["EngineParams", "ModelParams", "parameter_rows", "parameters_markdown"]


def _p(default: float, unit: str, low: float, high: float, source: str) -> Any:
    return field(default=default, metadata={"unit": unit, "range": (low, high), "source": source})


@dataclass(frozen=True)
class EngineParams:
    """Constants of the engine's composition of the two theories (docs/theory.md, 'one period').

    Examples
    --------
    >>> EngineParams().shock_sd
    0.3
    """

    shock_sd: float = _p(
        0.3, "logit units (s.d. of a normal shock per faction per period)", 0.0, 5.0,
        "MODELING_NOTES: probabilistic voting with a stochastic shock (Lindbeck & Weibull 1987); "
        "judgement: ±0.3 logit moves a 50/50 race by about 7 points")
    single_target_threat_weight: float = _p(
        0.5, "fraction", 0.0, 1.0,
        "paper Y, Y5: the alliance forms against a *common* threat; a threat to only one member of "
        "the dyad counts at this fraction (judgement)")
    reconcile_rate: float = _p(
        0.1, "fraction of estrangement healed per period", 0.0, 1.0,
        "paper E, E13/E14: the Soviet–Yugoslav split of 1948 was normalised in 1955–56; ~7 periods "
        "until a split patron is an option again (estrangement < 1/2)")
    counterweight_weight: float = _p(
        0.1375, "hazard per unit counterweight propensity", 0.0, 1.0,
        "calibrated: docs/calibration.md (default before calibration 0.2); paper Y, Y4: a stronger ally 'tend[s] to introduce a counterweight'; the propensity enters "
        "the crisis hazard with this weight (judgement)")
    dominance_weight: float = _p(
        0.1375, "yearly crisis probability per unit gap narrowing", 0.0, 1.0,
        "paper Y, Y2/Y11 (mechanism Y14): a narrowing gap 'makes the Soviet Union sense threats to its "
        "dominant position' and the patron moves against the ally (Y3: punish while wide, expel when "
        "narrow); judgement, not calibrated: the same weight as the ally's side of the same narrowing, "
        "engine.counterweight_weight (Yu §3's centrifugal force), so neither side is favoured")
    split_tolerance_pivot: float = _p(
        0.5, "tolerance", 0.01, 1.0,
        "paper E, E11: how much ambition the patron perceives as disloyalty scales with "
        "(1 - tolerance) / (1 - pivot); at the default tolerance 0.5 the kernel hazard is unchanged")

    # --- Y13 (issue #10)
    client_threat_weight: float = _p(
        1.0, "fraction", 0.0, 1.0,
        "Walt 1987: states balance against threats to themselves; paper Y, Y5 (Grand Alliance) and "
        "Sino-Soviet section: the alliance is against the threat the client faces; a threat to the "
        "client alone counts fully for the client's dyads with patrons that are not its source "
        "(engine.single_target_threat_weight remains the weight of a threat to the patron alone)")

    def __post_init__(self) -> None:
        for f in fields(self):
            low, high = f.metadata["range"]
            check_interval(getattr(self, f.name), f.name, low, high)


_SECTIONS = {"elite": EliteParams, "disparity": DisparityParams, "engine": EngineParams}


@dataclass(frozen=True)
class ModelParams:
    """The one parameter set: ``elite`` (paper E), ``disparity`` (paper Y) and ``engine``.

    Examples
    --------
    >>> p = ModelParams()
    >>> p.elite.r_election, p.disparity.d_star > 0.5, p.engine.shock_sd
    (2.0, True, 0.3)
    >>> ModelParams.from_dict({"elite": {"r_election": 3.0}}).elite.r_election
    3.0
    >>> ModelParams.from_dict(p.to_dict()) == p
    True
    """

    elite: EliteParams = field(default_factory=EliteParams)
    disparity: DisparityParams = field(default_factory=DisparityParams)
    engine: EngineParams = field(default_factory=EngineParams)

    def to_dict(self) -> dict[str, dict[str, float]]:
        """Return ``{"elite": {...}, "disparity": {...}, "engine": {...}}`` (JSON-able)."""
        return {name: asdict(getattr(self, name)) for name in _SECTIONS}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, *, source: str | None = None) -> ModelParams:
        """Build from a (partial) nested mapping; unknown sections or fields raise ``InputError``."""
        data = data or {}
        if not isinstance(data, dict):
            raise InputError("must be a mapping with sections elite, disparity, engine", source=source,
                             field="params")
        parts: dict[str, Any] = {}
        for section, values in data.items():
            if section not in _SECTIONS:
                raise InputError(f"unknown section; allowed: {', '.join(_SECTIONS)}", source=source,
                                 field=str(section))
            klass = _SECTIONS[section]
            names = {f.name for f in fields(klass)}
            values = values or {}
            if not isinstance(values, dict):
                raise InputError("must be a mapping of parameter -> value", source=source, field=section)
            for key in values:
                if key not in names:
                    raise InputError(f"unknown parameter; allowed: {', '.join(sorted(names))}",
                                     source=source, field=f"{section}.{key}")
            try:
                parts[section] = klass(**values)
            except InputError as err:
                msg = str(err).split(": ", 1)[1] if err.field else str(err)
                raise InputError(msg, source=source,
                                 field=f"{section}.{err.field}" if err.field else section) from None
        return cls(**parts)

    def replace(self, **dotted: float) -> ModelParams:
        """Return a copy with ``section__field=value`` replaced, e.g. ``elite__r_election=3``."""
        d = self.to_dict()
        for key, value in dotted.items():
            section, _, name = key.partition("__")
            d.setdefault(section, {})[name] = value
        return ModelParams.from_dict(d)


def parameter_rows() -> list[dict[str, Any]]:
    """One row per parameter of every section: section, name, default, unit, range, source."""
    rows = []
    for section, klass in _SECTIONS.items():
        for f in fields(klass):
            meta = f.metadata
            rows.append({"section": section, "name": f.name, "default": f.default,
                         "unit": meta.get("unit"), "range": meta.get("range"),
                         "source": meta.get("source")})
    return rows


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def parameters_markdown() -> str:
    """Render ``docs/parameters.md`` from the fields' metadata (deterministic)."""
    lines = [
        "# Parameters",
        "",
        "<!-- generated by `alliancelab params --markdown` from the dataclass metadata; do not edit -->",
        "",
        "One parameter set (`alliancelab.ModelParams`) serves every scenario and case. Sections:",
        "`elite` (paper E, `EliteParams`), `disparity` (paper Y, `DisparityParams`) and `engine`",
        "(how the engine composes the two, `EngineParams`). Override with",
        "`ModelParams.from_dict({\"elite\": {\"r_election\": 3}})`.",
        "",
        "The defaults below are the **source defaults** (`ModelParams()`, the point calibration of issue #3).",
        "The commands run the **calibrated set** instead: `alliancelab.calibration.calibrated_params()`, the",
        "shipped posterior's median (its free parameters; every other parameter at the default below or at",
        "the value the calibration fixed it to), in `backtest`, `forecast --point`, `advise --point` and the",
        "web explorer's point mode; `--params defaults` selects these defaults. `forecast` and `advise`",
        "integrate over the whole posterior by default (docs/calibration.md, \"One parameter set\").",
        "",
    ]
    for section in _SECTIONS:
        lines += [f"## `{section}`", "", "| name | default | unit | range | source |", "|---|---|---|---|---|"]
        for r in (r for r in parameter_rows() if r["section"] == section):
            lo, hi = r["range"] if r["range"] else ("", "")
            src = str(r["source"]).replace("|", "\\|").replace("\n", " ")
            unit = str(r["unit"]).replace("|", "\\|")
            lines.append(f"| `{r['name']}` | {_fmt(r['default'])} | {unit} | [{_fmt(lo)}, {_fmt(hi)}] "
                         f"| {src} |")
        lines.append("")
    return "\n".join(lines)
