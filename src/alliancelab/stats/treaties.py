"""Link dyadic alliance onsets and terminations to their ATOP treaty (ATOP 4.01 member level).

The dyad panel's alliance flags come from ATOP 5.1 directed dyad-years (no treaty id). The treaty of an
event is recovered from ``atop4.01_member-level.csv`` (one row per treaty x member x phase, with entry and
exit years):

* every member's years in a treaty are ``[min(yrent), max(yrexit)]`` over its phases (``yrexit`` 0 or
  missing = still in force at the end of 4.01, 2016: open-ended);
* a treaty-dyad is a pair of members of the same treaty; its joint years are the overlap of the two
  members' years (:func:`treaty_dyads`);
* an **onset** of dyad (a, b) in year t is linked to a treaty-dyad whose joint years start within one
  year of t (t-1, t, t+1: 4.01 and 5.1 date a few entries a year apart) and still run at t-1 or later;
  the nearest start wins, then the treaty with more members (the source of dependence), then the lower
  ``atopid``;
* a **termination** in year t (allied at t-1, not at t) is linked to a treaty-dyad whose joint years end
  in t-2, t-1 or t, nearest to t-1 first, same tie-breaks.

Events that cannot be linked - all events after 2016 (4.01 stops there), and the treaties or member
dates that 5.1 revised - get a pseudo-treaty per year (``-year``): all unlinked events of one year form one
cluster, which is conservative for clustered standard errors. :func:`link_summary` counts them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ATOP_LAST_YEAR", "OPEN_END", "TreatyLink", "link_events", "link_summary", "load_members",
           "treaty_dyads", "treaty_members", "treaty_table"]

#: last year covered by ATOP 4.01's member-level file
ATOP_LAST_YEAR = 2016
#: exit year used for memberships still in force at the end of 4.01
OPEN_END = 9999
_OBLIG = ("defense", "offense", "neutral", "nonagg", "consul")


def load_members(data_dir: str | os.PathLike[str] | None) -> pd.DataFrame | None:
    """ATOP 4.01 member-level rows with ``bilat``, ``wartime``, ``phase`` (None if the file is absent)."""
    from .._exceptions import InputError
    from ..data.loaders._common import load_frame
    from ..data.loaders.atop import ATOP_MEMBER

    try:
        return load_frame(ATOP_MEMBER, data_dir, None, "SELECT * REPLACE (NULLIF(yrexit, 0) AS yrexit) FROM {t}",
                          extra={"bilat": "INTEGER", "wartime": "INTEGER", "phase": "INTEGER"})
    except InputError:
        return None


def treaty_members(members: pd.DataFrame) -> pd.DataFrame:
    """One row per (atopid, member): first and last year of membership over all phases."""
    m = members.copy()
    exit_ = pd.to_numeric(m["yrexit"], errors="coerce")
    m["last"] = exit_.where(exit_.notna() & (exit_ > 0), OPEN_END).astype(int)
    m["first"] = pd.to_numeric(m["yrent"], errors="coerce").astype(int)
    return (m.groupby(["atopid", "member"], as_index=False)
             .agg(first=("first", "min"), last=("last", "max")))


def treaty_table(members: pd.DataFrame) -> pd.DataFrame:
    """One row per treaty: members, first year, obligations (max over rows), and the ``bilat`` and
    ``wartime`` flags of its founding phase."""
    cols = [c for c in _OBLIG if c in members.columns]
    flags = members.groupby("atopid")[cols].max() if cols else pd.DataFrame(index=members["atopid"].unique())
    # bilateral/wartime as at the founding phase: SEATO (3260) became a U.S.-Thailand pact in its
    # second phase (bilat = 1 from 1977) but was founded, and entered, as a multilateral treaty
    first = [c for c in ("bilat", "wartime") if c in members.columns]
    if first:
        order = [c for c in ("atopid", "yrent", "phase") if c in members.columns]
        founding = members.sort_values(order, kind="mergesort").drop_duplicates("atopid")
        flags = flags.join(founding.set_index("atopid")[first])
    tm = treaty_members(members)
    size = tm.groupby("atopid").agg(n_members=("member", "nunique"), begyr=("first", "min"))
    out = size.join(flags).reset_index()
    for c in ("bilat", "wartime", *_OBLIG):
        if c not in out.columns:
            out[c] = 0
        out[c] = out[c].fillna(0).astype(int)
    return out


def treaty_dyads(members: pd.DataFrame) -> pd.DataFrame:
    """Undirected member pairs of every treaty with their joint years (``first``..``last``)."""
    tm = treaty_members(members)
    pairs = tm.merge(tm, on="atopid", suffixes=("_a", "_b"))
    pairs = pairs[pairs["member_a"] < pairs["member_b"]]
    out = pd.DataFrame({"atopid": pairs["atopid"].to_numpy(),
                        "ccode1": pairs["member_a"].to_numpy(), "ccode2": pairs["member_b"].to_numpy(),
                        "first": np.maximum(pairs["first_a"].to_numpy(), pairs["first_b"].to_numpy()),
                        "last": np.minimum(pairs["last_a"].to_numpy(), pairs["last_b"].to_numpy())})
    out = out[out["first"] <= out["last"]]
    info = treaty_table(members).set_index("atopid")
    for c in ("n_members", "bilat", "wartime", *_OBLIG):
        out[c] = out["atopid"].map(info[c]).to_numpy()
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class TreatyLink:
    """Per-event treaty ids (``-year`` when unlinked) and the treaty's flags."""

    events: pd.DataFrame   # ccode1, ccode2, year, kind ("onset"/"end"), atopid, linked, bilat, wartime, ...

    def lookup(self, kind: str) -> pd.DataFrame:
        """Events of one kind indexed by (ccode1, ccode2, year)."""
        e = self.events[self.events["kind"] == kind]
        return e.set_index(["ccode1", "ccode2", "year"])


def _best(cand: pd.DataFrame, anchor: np.ndarray) -> pd.DataFrame:
    cand = cand.assign(_gap=np.abs(anchor), _neg=-cand["n_members"].to_numpy())
    cand = cand.sort_values(["_ev", "_gap", "_neg", "atopid"], kind="mergesort")
    return cand.drop_duplicates("_ev").drop(columns=["_gap", "_neg"])


def link_events(onsets: pd.DataFrame, ends: pd.DataFrame, members: pd.DataFrame | None) -> TreatyLink:
    """Link onset and termination events (frames with ccode1, ccode2, year) to ATOP treaties.

    ``members`` is the ATOP member-level frame; ``None`` leaves every event unlinked (pseudo-treaty
    ``-year``), which is what a panel without the 4.01 file gets.
    """
    td = treaty_dyads(members) if members is not None and len(members) else None
    parts = []
    for kind, ev in (("onset", onsets), ("end", ends)):
        ev = ev[["ccode1", "ccode2", "year"]].drop_duplicates().reset_index(drop=True)
        ev = ev.assign(_ev=np.arange(len(ev)))
        if td is not None and len(ev):
            cand = ev.merge(td, on=["ccode1", "ccode2"])
            t = cand["year"].to_numpy()
            if kind == "onset":
                ok = (np.abs(cand["first"].to_numpy() - t) <= 1) & (cand["last"].to_numpy() >= t - 1)
                gap = cand["first"].to_numpy() - t
            else:
                last = cand["last"].to_numpy()
                ok = (last >= t - 2) & (last <= t) & (cand["first"].to_numpy() <= t - 1)
                gap = last - (t - 1)
            best = _best(cand[ok], gap[ok])
            ev = ev.merge(best.drop(columns=["ccode1", "ccode2", "year", "first", "last"]), on="_ev",
                          how="left")
        else:
            ev = ev.assign(atopid=np.nan)
        ev["linked"] = ev["atopid"].notna()
        ev["atopid"] = np.where(ev["linked"], ev["atopid"], -ev["year"]).astype(np.int64)
        for c in ("n_members", "bilat", "wartime", *_OBLIG):
            ev[c] = ev[c].fillna(0).astype(int) if c in ev.columns else 0
        ev["kind"] = kind
        parts.append(ev.drop(columns="_ev"))
    return TreatyLink(events=pd.concat(parts, ignore_index=True))


def link_summary(link: TreatyLink) -> dict[str, dict[str, int]]:
    """Counts of linked and unlinked events by kind, unlinked split at :data:`ATOP_LAST_YEAR`."""
    out = {}
    for kind, e in link.events.groupby("kind"):
        late = e["year"] > ATOP_LAST_YEAR
        out[str(kind)] = {
            "events": int(len(e)), "linked": int(e["linked"].sum()),
            "unlinked_after_2016": int((~e["linked"] & late).sum()),
            "unlinked_before_2017": int((~e["linked"] & ~late).sum()),
            "treaties": int(e.loc[e["linked"], "atopid"].nunique()),
            "wartime_events": int(e["wartime"].sum()),
            "multilateral_events": int((e["linked"] & (e["bilat"] == 0)).sum())}
    return out
