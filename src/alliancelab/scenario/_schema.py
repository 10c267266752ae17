"""The pydantic v2 schema of a scenario file (see ``docs/scenarios.md`` for every field).

Every model forbids unknown fields. Ranges are checked by the field types below, references between
sections (a support item's patron, a threat's targets, ...) by :class:`Scenario`'s validator, which
reports the dotted path of the offending field in the error's context so that the loader can print
``<file>: field '<path>': <what is wrong>; allowed: <...>``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, Strict,
                      model_validator)
from pydantic_core import PydanticCustomError

from ..theory.instruments import (ALL_INSTRUMENTS, INTERVENTION, MONEY_INSTRUMENTS, NEGATIVE_INSTRUMENTS,
                                  SIGNED_INSTRUMENTS)
from ._dates import date_key, format_date

__all__ = [
    "ALIGNMENT_FORMS", "Actor", "Challenge", "Client", "TreatyTerm", "CONDITIONS", "Event", "Faction", "Metadata", "Mistrust",
    "NON_ALIGNED", "POWER_COMPONENTS", "POWER_GRAB_KINDS", "Patron", "PowerEntry", "PowerGrab",
    "Provenance", "RULING", "Scenario", "SupportItem", "Threat",
]

#: The alignment label of a client aligned with no patron (reserved: no actor may use it).
NON_ALIGNED = "non-aligned"

#: Power components (paper Y, Y1); kept equal to ``theory.disparity.POWER_COMPONENTS``.
POWER_COMPONENTS: tuple[str, ...] = ("military", "economic", "ideological", "cultural", "institutional")

#: When a scheduled support item is actually paid (evaluated each period, per run).
CONDITIONS: tuple[str, ...] = ("always", "while_aligned", "unless_aligned_with_rival", "after_split")

_RESERVED = {NON_ALIGNED, "none", "ruling", "*"}

#: ``faction: ruling`` in a support item or power grab: whichever faction rules in that run and period.
RULING = "ruling"

#: Forms of alignment (E13, E19, Y5/Y10): a client's initial ``alignment_form``.
ALIGNMENT_FORMS: tuple[str, ...] = ("alliance", "aid", "tacit", "neutral", "both")

#: Scriptable incumbent power grabs and army defections (E20), dated facts.
POWER_GRAB_KINDS: tuple[str, ...] = ("self_coup", "election_postponed", "election_cancelled",
                                     "election_rigged", "purge", "army_defection")


# --------------------------------------------------------------------------------------------- types
def _err(what: str, allowed: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError("alliancelab", "{what}; got {value}; allowed: {allowed}",
                               {"what": what, "allowed": allowed, "value": repr(value)})


def _in_range(lo: float, hi: float, allowed: str):  # noqa: ANN202
    def check(v: float) -> float:
        if not math.isfinite(v) or not lo <= v <= hi:
            raise _err("out of range", allowed, v)
        return float(v)
    return check


def _nonneg(v: float) -> float:
    if not math.isfinite(v) or v < 0:
        raise _err("must not be negative", "a finite number >= 0", v)
    return float(v)


def _not_bool(v: Any) -> Any:
    if isinstance(v, bool):
        raise _err("not a number", "a number", v)
    return v


def _date(v: Any) -> str:
    try:
        return format_date(v)
    except ValueError:
        raise _err("not a date", "a year like 1948, \"1948-04\" or 1948-04-18", v) from None


def _name(v: Any) -> str:
    if not isinstance(v, str) or not v or v.strip() != v or "." in v or "=" in v or v in _RESERVED:
        raise _err("not a valid name", "a non-empty name without dots, '=' or surrounding spaces, "
                   f"not one of {sorted(_RESERVED)}", v)
    return v


def _scalar_to_all(v: Any) -> Any:
    """A scalar given for a per-client mapping applies to every client (key ``"*"``)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return {"*": v}
    return v


def _date_to_all(v: Any) -> Any:
    """A single date given for a per-client mapping applies to every client (key ``"*"``)."""
    if v is None:
        return {}
    if not isinstance(v, dict):
        return {"*": v}
    return v


Share = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_in_range(0, 1, "a share in [0, 1]"))]
Signed = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_in_range(-1, 1, "a number in [-1, 1]"))]
NonNeg = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_nonneg)]
Date = Annotated[str, BeforeValidator(_date)]
Name = Annotated[str, BeforeValidator(_name)]
FactionRef = Annotated[str, BeforeValidator(lambda v: v if v == RULING else _name(v))]
ClientKey = Annotated[str, BeforeValidator(lambda v: v if v == "*" else _name(v))]
#: true or false only (not 1, 0, "yes" or "true", which a lax bool would accept)
Flag = Annotated[bool, Strict()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Cited(_Strict):
    source: str | None = None
    judgement: bool = False
    note: str = ""
    low: float | None = None      # the band a judgement value varies in (forecast uncertainty)
    high: float | None = None

    @model_validator(mode="after")
    def _band(self) -> Provenance:
        if (self.low is None) != (self.high is None) or (self.low is not None and self.low > self.high):
            raise ValueError("low and high go together, with low <= high")
        return self


# --------------------------------------------------------------------------------------------- models
class Provenance(_Strict):
    """Where one numeric fact comes from (filled from ``{value, source, judgement}`` forms)."""

    source: str | None = None
    judgement: bool = False
    note: str = ""
    low: float | None = None      # the band a judgement value varies in (forecast uncertainty)
    high: float | None = None

    @model_validator(mode="after")
    def _band(self) -> Provenance:
        if (self.low is None) != (self.high is None) or (self.low is not None and self.low > self.high):
            raise ValueError("low and high go together, with low <= high")
        return self


class Metadata(_Strict):
    """What the scenario is and where its facts come from."""

    id: Name
    title: str
    description: str = ""
    sources: dict[str, str] = Field(default_factory=dict)
    scope_notes: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class PowerEntry(_Cited):
    """Power components from a date on (Y1). Omitted components carry the previous value forward."""

    military: NonNeg | None = None
    economic: NonNeg | None = None
    ideological: NonNeg | None = None
    cultural: NonNeg | None = None
    institutional: NonNeg | None = None


class Actor(_Cited):
    """A state that is neither patron nor client, e.g. the source of a threat (Germany 1939)."""

    description: str = ""
    power: dict[Date, PowerEntry] = Field(default_factory=dict)


class Patron(_Cited):
    """A great power that may back factions inside the clients."""

    description: str = ""
    interest: Annotated[dict[ClientKey, Share], BeforeValidator(_scalar_to_all)]
    budget: NonNeg
    ideology: str = ""
    tolerance: Share = 0.5
    power: dict[Date, PowerEntry]
    distance_km: Annotated[dict[ClientKey, NonNeg], BeforeValidator(_scalar_to_all)] = \
        Field(default_factory=dict)
    projection: Share = 1.0
    alliance_from: Annotated[dict[ClientKey, Date], BeforeValidator(_date_to_all)] = \
        Field(default_factory=dict)
    #: E13p: the other patrons this one treats as rivals (a client allied with one loses its aid);
    #: None = every other patron. A pair is rivals only if each lists the other (or lists nothing)
    rivals: list[Name] | None = None


class Faction(_Cited):
    """An elite group inside a client competing for power."""

    description: str = ""
    baseline_support: Share
    coercion: Share
    affinity: dict[Name, Signed] = Field(default_factory=dict)
    pro_patron_share: dict[Name, Share] = Field(default_factory=dict)
    incumbent: bool = False


class Client(_Cited):
    """A (potential) client state: its factions, power, elections and alignment at the start."""

    description: str = ""
    factions: dict[Name, Faction] = Field(min_length=1)
    power: dict[Date, PowerEntry]
    elections: list[Date] = Field(default_factory=list)
    #: elections that cannot replace the ruler (a legislature's in a presidential system, a midterm)
    legislative_elections: list[Date] = Field(default_factory=list)
    aligned_with: Name | None = None
    aid_need: NonNeg = 0.0
    alignment_form: Literal[ALIGNMENT_FORMS] | None = None  # type: ignore[valid-type]
    also_aligned_with: Name | None = None
    neutral_by_treaty: bool = False
    guarantors: list[Name] = Field(default_factory=list)
    army_loyalty: Share | None = None


class SupportItem(_Cited):
    """Dated support by one patron to one faction through one instrument (per period active)."""

    id: str | None = None
    from_: Date = Field(alias="from")
    to: Date | None = None
    patron: Name
    client: Name | None = None
    faction: FactionRef
    instrument: Literal[ALL_INSTRUMENTS]  # type: ignore[valid-type]
    amount: Annotated[float, BeforeValidator(_not_bool)]
    visibility: Share = 1.0
    breadth: Share = 1.0
    condition: Literal[CONDITIONS] = "always"  # type: ignore[valid-type]
    #: money a state raised on a bond market (private lenders buying its issues) rather than a patron
    #: government's grant or credit: it counts for H1 like any money, but builds no ambition (E11m)
    market: Flag = False

    @model_validator(mode="after")
    def _check_amount(self) -> SupportItem:
        a = self.amount
        if self.instrument in SIGNED_INSTRUMENTS:
            ok, allowed = (math.isfinite(a) and -1 <= a <= 1), "a number in [-1, 1] for " + self.instrument
        elif self.instrument in ("armed_action_commitment", INTERVENTION):
            ok, allowed = (math.isfinite(a) and 0 <= a <= 1), "a commitment in [0, 1]"
        elif self.instrument in NEGATIVE_INSTRUMENTS:
            ok, allowed = (math.isfinite(a) and a >= 0), f"a finite amount >= 0 (the damage {self.instrument} " \
                "does per period, in the scenario's money units)"
        else:
            ok, allowed = (math.isfinite(a) and a >= 0), "a finite amount >= 0"
        if not ok:
            raise PydanticCustomError("alliancelab", "{what}; got {value}; allowed: {allowed}",
                                      {"what": "bad amount", "value": repr(a), "allowed": allowed,
                                       "path": "amount"})
        if self.market and self.instrument not in MONEY_INSTRUMENTS:
            raise PydanticCustomError("alliancelab", "{what}; got {value}; allowed: {allowed}",
                                      {"what": "market borrowing is money", "value": repr(self.instrument),
                                       "allowed": "market: true only with a money instrument ("
                                                  + ", ".join(MONEY_INSTRUMENTS) + ")",
                                       "path": "market"})
        return self


class Threat(_Cited):
    """An external threat by ``actor`` against ``targets`` (Y5, Y6, Y10)."""

    id: str | None = None
    actor: Name
    targets: list[Name] = Field(min_length=1)
    from_: Date = Field(alias="from")
    to: Date | None = None
    severity: Share
    imminence: Share
    clarity: Share
    accommodation: Share = 0.0
    wedge: Share = 0.0
    severity_by_target: dict[Name, Share] = Field(default_factory=dict)
    offensive: Share | None = None


class Mistrust(_Cited):
    """Mutual mistrust between two actors (Y5, Y10), optionally dated."""

    between: tuple[Name, Name]
    level: Share
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None


class Event(_Cited):
    """A scripted exogenous fact: from ``date`` on, the fields in ``set`` take new values.

    ``set`` maps dotted paths (the syntax of :func:`apply_overrides`) under ``patrons.`` or
    ``clients.`` to values. Outcomes (who rules, alignment) cannot be scripted.
    """

    date: Date
    kind: str = "event"
    description: str = ""
    set: dict[str, Any] = Field(default_factory=dict)


class PowerGrab(_Cited):
    """A scripted incumbent power grab or army defection in one client (E20), a dated fact."""

    id: str | None = None
    date: Date
    to: Date | None = None
    client: Name | None = None
    kind: Literal[POWER_GRAB_KINDS]  # type: ignore[valid-type]
    faction: FactionRef = RULING
    target: Name | None = None
    strength: Share = 1.0
    description: str = ""


class Challenge(_Cited):
    """A client's open challenge to its patron's leadership (Y15), a dated fact: a claim to lead the
    camp, a refusal of the patron's demands, a unilateral course. ``level`` in [0, 1]: 1 an open
    challenge, less one the client still frames as deference. Active from ``from`` to ``to``
    (inclusive; without ``to``, the period of ``from`` only)."""

    id: str | None = None
    client: Name | None = None
    patron: Name
    from_: Date = Field(alias="from")
    to: Date | None = None
    level: Share = 1.0
    description: str = ""


class TreatyTerm(_Cited):
    """The end of an alliance treaty's term between a client and a patron (Y17), a dated fact: the date
    the treaty in force (ATOP's specified duration) expires unless both sides renew it. Not an outcome:
    whether an alliance is in force then, and whether it is renewed, is the model's."""

    id: str | None = None
    client: Name | None = None
    patron: Name
    expires: Date
    description: str = ""


class Scenario(_Strict):
    """A client–patrons system over dated periods."""

    version: Literal[1] = 1
    metadata: Metadata
    periods: list[Date] = Field(min_length=1)
    patrons: dict[Name, Patron] = Field(min_length=1)
    clients: dict[Name, Client] = Field(min_length=1)
    actors: dict[Name, Actor] = Field(default_factory=dict)
    support: list[SupportItem] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    mistrust: list[Mistrust] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    power_grabs: list[PowerGrab] = Field(default_factory=list)
    challenges: list[Challenge] = Field(default_factory=list)
    treaty_terms: list[TreatyTerm] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    _origin: str = PrivateAttr(default="<scenario>")

    @property
    def origin(self) -> str:
        """The file (or built-in case id) the scenario was loaded from, for error messages."""
        return self._origin

    # ------------------------------------------------------------------ derived
    @property
    def primary(self) -> str:
        """The name of the primary client (the first in the file)."""
        return next(iter(self.clients))

    @property
    def period_keys(self) -> list[tuple[int, int, int]]:
        return [date_key(p) for p in self.periods]

    def period_index(self, date: str) -> int:
        """Index of the period a date falls in (-1 if before the first period)."""
        k = date_key(date)
        idx = -1
        for i, pk in enumerate(self.period_keys):
            if pk <= k:
                idx = i
        return idx

    # ------------------------------------------------------------------ cross-references
    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        from ._checks import check_scenario  # local: the checks module imports this one

        check_scenario(self)
        return self


def ref_error(path: str, what: str, allowed: str) -> PydanticCustomError:
    """An error about ``path`` raised by the cross-reference checks (the loader prints the path)."""
    return PydanticCustomError("alliancelab", "{what}; allowed: {allowed}",
                               {"what": what, "allowed": allowed, "path": path})
