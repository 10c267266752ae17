"""Cross-reference and ordering checks of a scenario (run by ``Scenario``'s validator)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ._dates import date_key
from ._paths import get_path, set_path
from ._schema import POWER_COMPONENTS, RULING, ref_error

if TYPE_CHECKING:
    from ._schema import PowerEntry, Scenario

__all__ = ["check_scenario", "FORBIDDEN_EVENT_FIELDS"]

#: Fields an event may not set: they are outcomes of the model, or structure.
FORBIDDEN_EVENT_FIELDS = frozenset({"incumbent", "aligned_with", "elections", "legislative_elections",
                                    "factions", "power",
                                    "metadata", "periods", "support", "threats", "mistrust", "events",
                                    "alignment_form", "also_aligned_with", "army_loyalty",
                                    "power_grabs", "challenges", "treaty_terms"})


def _one_of(names: object) -> str:
    names = list(names)  # type: ignore[call-overload]
    return ", ".join(map(str, names)) if names else "(none defined)"


def _check_power(power: dict[str, PowerEntry], path: str, first_period: str, *, required: bool) -> None:
    if not power:
        if required:
            raise ref_error(path, "no power components given",
                            f"a mapping date -> {{{', '.join(POWER_COMPONENTS)}}}")
        return
    dates = sorted(power, key=date_key)
    first = dates[0]
    if date_key(first) > date_key(first_period):
        raise ref_error(f"{path}.{first}", f"first power entry is after the first period {first_period}",
                        f"a first entry dated at or before {first_period}")
    missing = [c for c in POWER_COMPONENTS if getattr(power[first], c) is None]
    if missing:
        raise ref_error(f"{path}.{first}", f"first power entry lacks {', '.join(missing)}",
                        f"all of {', '.join(POWER_COMPONENTS)} in the first entry (later ones may omit)")


def _check_dates(item_from: str | None, item_to: str | None, path: str, last_period: str,
                 first_period: str | None = None) -> None:
    if item_from is not None and item_to is not None and date_key(item_to) < date_key(item_from):
        raise ref_error(f"{path}.to", f"dates out of order: 'to' {item_to} is before 'from' {item_from}",
                        "'to' on or after 'from'")
    if item_to is not None and first_period is not None and date_key(item_to) < date_key(first_period):
        raise ref_error(f"{path}.to", f"ends before the first period {first_period}",
                        f"a date on or after {first_period}")
    if item_from is not None and after_last(item_from, last_period):
        raise ref_error(f"{path}.from", f"starts after the last period {last_period}",
                        f"a date up to {last_period}")


def after_last(date: str, last_period: str) -> bool:
    """True if ``date`` falls after the span of the last period (a year, a month or a day)."""
    y, m, d = date_key(last_period)
    k = date_key(date)
    if m == 0:
        return k[0] > y
    if d == 0:
        return k[:2] > (y, m)
    return k > (y, m, d)


def check_scenario(s: Scenario) -> None:  # noqa: C901 - a flat list of checks reads best
    """Raise a ``PydanticCustomError`` with the offending dotted path in its context."""
    patrons, clients, actors = list(s.patrons), list(s.clients), list(s.actors)
    # names are unique across sections: a threat or mistrust item refers to any of them
    # A state may be both a patron and a client (China: client of the USSR, patron of North Korea);
    # otherwise names are unique across the sections.
    for n in actors:
        if n in s.patrons or n in s.clients:
            raise ref_error(f"actors.{n}", "name already used by a patron or client",
                            "actors that are neither patrons nor clients")
    everyone = list(dict.fromkeys(patrons + clients + actors))

    # periods strictly increasing
    keys = s.period_keys
    for i in range(1, len(keys)):
        if keys[i] <= keys[i - 1]:
            raise ref_error(f"periods.{i}", f"dates out of order: {s.periods[i]} is not after "
                            f"{s.periods[i - 1]}", "strictly increasing dates")
    first, last = s.periods[0], s.periods[-1]

    for pn, p in s.patrons.items():
        for field in ("interest", "distance_km", "alliance_from"):
            for k in getattr(p, field):
                if k != "*" and k not in s.clients:
                    raise ref_error(f"patrons.{pn}.{field}.{k}", f"unknown client '{k}'",
                                    f"'*' or one of: {_one_of(clients)}")
                if k == pn:
                    raise ref_error(f"patrons.{pn}.{field}.{k}", "a state cannot be its own patron",
                                    "other clients (a '*' value skips the patron itself)")
        for i, q in enumerate(p.rivals or []):
            if q not in s.patrons or q == pn:
                raise ref_error(f"patrons.{pn}.rivals.{i}",
                                "a patron cannot be its own rival" if q == pn else f"unknown patron '{q}'",
                                f"another patron: {_one_of([k for k in s.patrons if k != pn])}")
        _check_power(p.power, f"patrons.{pn}.power", first, required=True)

    for cn, c in s.clients.items():
        incumbents = [fn for fn, f in c.factions.items() if f.incumbent]
        if len(incumbents) != 1:
            raise ref_error(f"clients.{cn}.factions", f"{len(incumbents)} incumbent factions "
                            f"({_one_of(incumbents)})", "exactly one faction with incumbent: true")
        if sum(f.baseline_support for f in c.factions.values()) <= 0:
            raise ref_error(f"clients.{cn}.factions", "every faction has baseline_support 0",
                            "at least one faction with baseline_support > 0")
        for fn, f in c.factions.items():
            for field in ("affinity", "pro_patron_share"):
                for k in getattr(f, field):
                    if k not in s.patrons:
                        raise ref_error(f"clients.{cn}.factions.{fn}.{field}.{k}", f"unknown patron '{k}'",
                                        f"one of: {_one_of(patrons)}")
        if c.aligned_with == cn:
            raise ref_error(f"clients.{cn}.aligned_with", "a client cannot be aligned with itself",
                            f"another patron: {_one_of(p for p in patrons if p != cn)}, or null")
        if c.aligned_with is not None and c.aligned_with not in s.patrons:
            raise ref_error(f"clients.{cn}.aligned_with", f"unknown patron '{c.aligned_with}'",
                            f"one of: {_one_of(patrons)}, or null (non-aligned)")
        for field in ("elections", "legislative_elections"):
            ekeys = [date_key(d) for d in getattr(c, field)]
            for i in range(1, len(ekeys)):
                if ekeys[i] <= ekeys[i - 1]:
                    raise ref_error(f"clients.{cn}.{field}.{i}", "dates out of order",
                                    "strictly increasing dates")
        _check_power(c.power, f"clients.{cn}.power", first, required=True)
        _check_alignment_form(s, cn, everyone)

    for an, a in s.actors.items():
        _check_power(a.power, f"actors.{an}.power", first, required=False)

    for i, it in enumerate(s.support):
        path = f"support.{i}"
        if it.patron not in s.patrons:
            raise ref_error(f"{path}.patron", f"unknown patron '{it.patron}'", f"one of: {_one_of(patrons)}")
        cn = it.client if it.client is not None else s.primary
        if cn not in s.clients:
            raise ref_error(f"{path}.client", f"unknown client '{cn}'", f"one of: {_one_of(clients)}")
        if it.patron == cn:
            raise ref_error(f"{path}.patron", f"'{cn}' cannot be a patron of its own factions",
                            f"another patron: {_one_of(p for p in patrons if p != cn)}")
        if it.faction != RULING and it.faction not in s.clients[cn].factions:
            raise ref_error(f"{path}.faction", f"unknown faction '{it.faction}' of client '{cn}'",
                            f"'ruling' (whoever rules) or one of: {_one_of(s.clients[cn].factions)}")
        _check_dates(it.from_, it.to, path, last, first)

    for i, th in enumerate(s.threats):
        path = f"threats.{i}"
        for k in th.severity_by_target:
            if k not in th.targets:
                raise ref_error(f"{path}.severity_by_target.{k}", f"'{k}' is not a target of this threat",
                                f"one of its targets: {_one_of(th.targets)}")
        if th.actor not in everyone:
            raise ref_error(f"{path}.actor", f"unknown actor '{th.actor}'",
                            f"a patron, client or actor: {_one_of(everyone)}")
        for j, t in enumerate(th.targets):
            if t not in everyone:
                raise ref_error(f"{path}.targets.{j}", f"unknown actor '{t}'",
                                f"a patron, client or actor: {_one_of(everyone)}")
            if t == th.actor:
                raise ref_error(f"{path}.targets.{j}", f"'{t}' cannot threaten itself",
                                "targets other than the threat's actor")
        _check_dates(th.from_, th.to, path, last, first)

    for i, m in enumerate(s.mistrust):
        path = f"mistrust.{i}"
        for j, n in enumerate(m.between):
            if n not in everyone:
                raise ref_error(f"{path}.between.{j}", f"unknown actor '{n}'",
                                f"a patron, client or actor: {_one_of(everyone)}")
        if m.between[0] == m.between[1]:
            raise ref_error(f"{path}.between", "an actor cannot mistrust itself", "two different actors")
        _check_dates(m.from_, m.to, path, last, first)

    for i, g in enumerate(s.power_grabs):
        _check_power_grab(s, g, f"power_grabs.{i}")

    for i, ch in enumerate(s.challenges):
        path = f"challenges.{i}"
        _check_pair(s, ch.patron, ch.client, path)
        _check_dates(ch.from_, ch.to, path, last, first)

    for i, tt in enumerate(s.treaty_terms):
        path = f"treaty_terms.{i}"
        _check_pair(s, tt.patron, tt.client, path)
        if after_last(tt.expires, last) or date_key(tt.expires) < date_key(first):
            raise ref_error(f"{path}.expires", f"date {tt.expires} is outside the periods",
                            f"a date from {first} to {last}")

    if s.events:
        _check_events(s)


def _check_pair(s: Scenario, patron: str, client: str | None, path: str) -> None:
    """A ``patron`` and a ``client`` (default: the primary client) of the scenario, the patron not the client."""
    cn = client if client is not None else s.primary
    if cn not in s.clients:
        raise ref_error(f"{path}.client", f"unknown client '{cn}'", f"one of: {_one_of(s.clients)}")
    if patron not in s.patrons or patron == cn:
        raise ref_error(f"{path}.patron", f"unknown patron '{patron}'",
                        f"one of: {_one_of(p for p in s.patrons if p != cn)}")


def _check_alignment_form(s: Scenario, cn: str, everyone: list[str]) -> None:
    c, path = s.clients[cn], f"clients.{cn}"
    form = c.alignment_form
    if form == "neutral" and c.aligned_with is not None:
        raise ref_error(f"{path}.alignment_form", "a neutral client cannot start aligned_with a patron",
                        "aligned_with: null with alignment_form: neutral, or another form")
    if form in ("aid", "tacit", "both") and c.aligned_with is None:
        raise ref_error(f"{path}.alignment_form", f"form '{form}' needs aligned_with",
                        "aligned_with: <patron> (the partner), or alignment_form: neutral")
    if form == "both":
        other = c.also_aligned_with
        if other is None or other not in s.patrons or other in (c.aligned_with, cn):
            raise ref_error(f"{path}.also_aligned_with", f"form 'both' needs a second patron; got {other!r}",
                            "a patron other than aligned_with and the client: "
                            f"{_one_of(p for p in s.patrons if p not in (c.aligned_with, cn))}")
    elif c.also_aligned_with is not None:
        raise ref_error(f"{path}.also_aligned_with", "only used with alignment_form: both",
                        "null, or alignment_form: both")
    if c.neutral_by_treaty and c.aligned_with is not None:
        raise ref_error(f"{path}.neutral_by_treaty", "a client neutral by treaty cannot start aligned",
                        "aligned_with: null (or neutral_by_treaty: false)")
    for j, g in enumerate(c.guarantors):
        if g not in everyone or g == cn:
            raise ref_error(f"{path}.guarantors.{j}", f"unknown guarantor '{g}'",
                            f"a patron, client or actor other than '{cn}': {_one_of(e for e in everyone if e != cn)}")
    if c.guarantors and not c.neutral_by_treaty:
        raise ref_error(f"{path}.guarantors", "guarantors given but neutral_by_treaty is false",
                        "neutral_by_treaty: true with guarantors, or no guarantors")


def _check_power_grab(s: Scenario, g, path: str) -> None:  # noqa: ANN001
    cn = g.client if g.client is not None else s.primary
    if cn not in s.clients:
        raise ref_error(f"{path}.client", f"unknown client '{cn}'", f"one of: {_one_of(s.clients)}")
    factions = s.clients[cn].factions
    if g.faction != RULING and g.faction not in factions:
        raise ref_error(f"{path}.faction", f"unknown faction '{g.faction}' of client '{cn}'",
                        f"'ruling' or one of: {_one_of(factions)}")
    if g.target is not None and (g.target not in factions or g.target == g.faction):
        raise ref_error(f"{path}.target", f"unknown or same faction '{g.target}' of client '{cn}'",
                        f"another faction: {_one_of(f for f in factions if f != g.faction)}")
    if g.kind == "purge" and g.target is None:
        raise ref_error(f"{path}.target", "a purge needs the purged faction", f"one of: {_one_of(factions)}")
    if g.kind == "election_postponed" and g.to is None:
        raise ref_error(f"{path}.to", "a postponed election needs the new date 'to'",
                        f"a date after {g.date}")
    if after_last(g.date, s.periods[-1]):
        raise ref_error(f"{path}.date", f"after the last period {s.periods[-1]}", f"a date up to {s.periods[-1]}")
    _check_dates(g.date, g.to, path, s.periods[-1])
    if g.kind in ("election_postponed", "election_cancelled", "election_rigged"):
        lo = s.period_index(g.date)
        hi = s.period_index(g.to) if (g.to is not None and g.kind != "election_postponed") else lo
        dates = list(s.clients[cn].elections)
        if g.kind == "election_rigged":           # a legislature's count can be rigged too (E20r)
            dates += s.clients[cn].legislative_elections
        hit = [d for d in dates if lo <= s.period_index(d) <= max(hi, lo)]
        if not hit:
            raise ref_error(f"{path}.date", f"no election of '{cn}' scheduled in the period of {g.date}"
                            + (f" to {g.to}" if hi > lo else ""),
                            f"a date in the period of one of: {_one_of(dates)}")


def _check_events(s: Scenario) -> None:
    from ._schema import Scenario as _Scenario

    base = s.model_dump(by_alias=True, exclude={"events"})
    work = copy.deepcopy(base)
    prev = None
    for i, ev in enumerate(s.events):
        path = f"events.{i}"
        if prev is not None and date_key(ev.date) < prev:
            raise ref_error(f"{path}.date", "dates out of order", "events listed in date order")
        prev = date_key(ev.date)
        if after_last(ev.date, s.periods[-1]):
            raise ref_error(f"{path}.date", f"after the last period {s.periods[-1]}",
                            f"a date up to {s.periods[-1]}")
        for target, value in ev.set.items():
            keys = target.split(".")
            if keys[0] not in ("patrons", "clients", "actors") or len(keys) < 3:
                raise ref_error(f"{path}.set.{target}", "cannot be set by an event",
                                "a path under patrons.<name>., clients.<name>. or actors.<name>.")
            bad = [k for k in keys[2:] if k in FORBIDDEN_EVENT_FIELDS and k != "factions"]
            if bad or keys[-1] in FORBIDDEN_EVENT_FIELDS:
                raise ref_error(f"{path}.set.{target}", f"'{(bad or keys[-1:])[0]}' is an outcome or "
                                "structure, not an exogenous fact", "numeric facts such as budget, "
                                "interest, tolerance, baseline_support, coercion, affinity, aid_need")
            try:
                old = get_path(work, target)
            except (KeyError, IndexError, TypeError):
                old = None
                try:
                    get_path(work, target.rsplit(".", 1)[0])
                except (KeyError, IndexError, TypeError):
                    raise ref_error(f"{path}.set.{target}", "no such field",
                                    "an existing path (see docs/scenarios.md, 'Dotted paths')") from None
            if isinstance(old, (dict, list)):
                raise ref_error(f"{path}.set.{target}", "path names a section, not a value",
                                "a path ending at a single value")
            set_path(work, target, value)
        try:
            _Scenario.model_validate(work)
        except ValidationError as err:
            e = err.errors()[0]
            loc = e.get("ctx", {}).get("path") or ".".join(str(x) for x in e["loc"])
            what, _, allowed = str(e["msg"]).partition("; allowed: ")
            raise ref_error(f"{path}.set", f"makes {loc} invalid: {what}",
                            allowed or "values that satisfy the same rules as the file") from None
