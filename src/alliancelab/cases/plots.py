"""Timeline plots of a case: support by patron and instrument, precarity, threat and disparity,
alignment probabilities over time, with the historical events annotated (matplotlib, Agg backend).
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from ..scenario import NON_ALIGNED
from ..theory.instruments import INSTRUMENTS
from .expected import Expectation

__all__ = ["plot_case", "year_fraction"]

_PATRON_COLORS = ["#1f4e9c", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d"]
_NONALIGNED = "#b0b0b0"
_FACTION_STYLES = ["-", "--", ":", "-."]
_ARMED = "armed_action_commitment"
_GESTURE = "diplomatic_gesture"


def year_fraction(date: str) -> float:
    """``"1948-04-18"`` -> 1948.29 (start of the year for a bare year)."""
    parts = str(date).split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else 1
    d = int(parts[2]) if len(parts) > 2 else 1
    return y + (m - 1) / 12.0 + (d - 1) / 365.25


def _short(instr: str) -> str:
    return {"economic_aid": "econ. aid", "reconstruction": "reconstruction", "propaganda": "propaganda",
            "covert_funding": "covert funds", "military_aid": "military aid",
            "armed_action_commitment": "armed backing", "diplomatic_gesture": "gesture"}.get(instr, instr)


def _fmt(v: float, instr: str) -> str:
    if instr in (_ARMED, _GESTURE):
        return f"{v:+.2f}" if instr == _GESTURE else f"{v:.2f}"
    return f"{v:.0f}" if abs(v) >= 10 else (f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}")


def _support_panel(ax: Any, comp: Any, x0: np.ndarray, colors: dict[str, str]) -> None:
    """One row per (patron, client/faction, instrument): a cell per period, shaded by amount."""
    from ..scenario import CONDITIONS

    sched = comp.support.sum(axis=1)  # (T, C, F, P, I)
    rows = []
    for pi, pn in enumerate(comp.patrons):
        for ci, cn in enumerate(comp.clients):
            for fi, fn in enumerate(comp.factions[ci]):
                for ii, instr in enumerate(INSTRUMENTS):
                    v = sched[:, ci, fi, pi, ii]
                    if np.any(v != 0):
                        who = fn if len(comp.clients) == 1 else f"{cn}/{fn}"
                        short = {"while_aligned": "if allied", "unless_aligned_with_rival": "if not with rival",
                                 "after_split": "after split"}
                        conds = [short.get(CONDITIONS[q], CONDITIONS[q]) for q in range(len(CONDITIONS))
                                 if q and np.any(comp.support[:, q, ci, fi, pi, ii] != 0)]
                        if conds:
                            who = f"{who} [{', '.join(conds)}]"
                        rows.append((pn, who, instr, v))
    rows += _ruler_rows(comp)
    if not rows:
        ax.text(0.5, 0.5, "no patron support in this case (paper Y: threat, disparity and mistrust carry it)",
                transform=ax.transAxes, ha="center", va="center", fontsize=9, color="#555555")
        ax.set_yticks([])
        return
    money = [r[3] for r in rows if r[2] not in (_ARMED, _GESTURE)]
    vmax = max((float(np.max(np.abs(m))) for m in money), default=1.0)
    for k, (pn, who, instr, v) in enumerate(rows):
        y = len(rows) - 1 - k
        for t, amount in enumerate(v):
            if amount == 0:
                continue
            if instr == _GESTURE:
                face = "#2e8b57" if amount > 0 else "#c0392b"
                alpha = 0.25 + 0.6 * min(abs(amount), 1.0)
            elif instr == _ARMED:
                face = colors[pn]
                alpha = 0.15 + 0.6 * amount
            else:
                face = colors[pn]
                alpha = 0.15 + 0.7 * math.log1p(abs(amount)) / math.log1p(vmax)
            ax.add_patch(_rect(x0[t], y - 0.4, 1.0, 0.8, face, alpha, hatch="//" if instr == _ARMED else None))
            ax.text(x0[t] + 0.5, y, _fmt(float(amount), instr), ha="center", va="center", fontsize=6.5,
                    color="black")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{pn} → {who}: {_short(instr)}" for pn, who, instr, _ in reversed(rows)], fontsize=7)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_title("Scheduled support by patron and instrument — money: $m/year; armed backing: commitment 0–1; "
                 "gesture: −1..+1 (green = backs the nation's claim, red = against)\n[..] = paid only under that "
                 "condition; a punishing or split patron pays nothing", fontsize=8, loc="left")


def _ruler_rows(comp: Any) -> list[tuple[str, str, str, np.ndarray]]:
    """Rows for support paid to whichever faction rules (``faction: ruling``: aid to the state) and for
    the issue #10 instruments stored apart: negative instruments (E21) and defence of a ruler (E22)."""
    rows: list[tuple[str, str, str, np.ndarray]] = []
    for pi, pn in enumerate(comp.patrons):
        for ci, cn in enumerate(comp.clients):
            gov = "whoever rules" if len(comp.clients) == 1 else f"{cn}/whoever rules"
            if comp.support_ruling is not None:
                sched = comp.support_ruling.sum(axis=1)                       # (T, C, P, I)
                for ii, instr in enumerate(INSTRUMENTS):
                    v = sched[:, ci, pi, ii]
                    if np.any(v != 0):
                        rows.append((pn, gov, instr, v))
            names = list(comp.factions[ci]) + ["whoever rules"]
            for arr, label in ((comp.pressure, "pressure (sanctions etc.)"), (comp.intervention, "defence of ruler")):
                if arr is None:
                    continue
                sched = arr.sum(axis=1)                                       # (T, C, F + 1, P)
                for fi in range(sched.shape[2]):
                    v = sched[:, ci, fi, pi]
                    if np.any(v != 0) and fi < len(names):
                        who = names[fi] if len(comp.clients) == 1 else f"{cn}/{names[fi]}"
                        rows.append((pn, who, label, v))
    return rows


def _rect(x: float, y: float, w: float, h: float, face: str, alpha: float, hatch: str | None = None) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=face, alpha=min(max(alpha, 0.05), 1.0), edgecolor="white",
                     hatch=hatch, linewidth=0.5)


def plot_case(fc: Any, exp: Expectation, path: str | Path, *, result: Any = None, scenario: Any = None,
              params: Any = None) -> Path:
    """Write the timeline PNG of forecast ``fc`` of a built-in case to ``path``; return the path.

    Panels: (1) support by patron and instrument per period; (2) incumbent precarity (mean and
    10-90% band over runs) with the dyads' common threat T and disparity D; (3) alignment
    probabilities over time (stacked for the primary client, lines for others) and the probability of
    each faction ruling, with the model's distribution of the key event's year. Vertical lines mark the
    historical events; the title gives the paper's outcome, the model's probability and timing.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .._io import atomic_path
    from ..engine import compile_scenario
    from ..scenario import load_scenario
    from ..theory.params import ModelParams

    sc = scenario if scenario is not None else load_scenario(fc.scenario_id)
    comp = compile_scenario(sc, params if params is not None else fc.params or ModelParams())
    res = fc.result
    years = np.array([year_fraction(p) for p in fc.periods])
    x0 = years
    xend = years[-1] + 1.0
    colors = {pn: _PATRON_COLORS[i % len(_PATRON_COLORS)] for i, pn in enumerate(fc.patrons)}
    n_support_rows = int(np.count_nonzero(np.any(comp.support.sum(axis=1) != 0, axis=0))) + len(_ruler_rows(comp))
    h1 = max(1.2, 0.22 * n_support_rows + 0.6)

    fig, axes = plt.subplots(3, 1, figsize=(12, 4.2 + h1 + 5.0), sharex=True,
                             gridspec_kw={"height_ratios": [h1, 2.2, 2.8]})
    ax_s, ax_p, ax_a = axes

    # ---- 1. support
    _support_panel(ax_s, comp, x0, colors)

    # ---- 2. precarity, threat, disparity
    for ci, cn in enumerate(fc.clients):
        prec = res.precarity[:, :, ci]
        mean = prec.mean(axis=1)
        lo, hi = np.quantile(prec, [0.1, 0.9], axis=1)
        xs = x0 + 0.5
        style = _FACTION_STYLES[ci % len(_FACTION_STYLES)]
        ax_p.plot(xs, mean, color="black", ls=style, lw=1.8, label=f"{cn}: incumbent precarity (mean)")
        ax_p.fill_between(xs, lo, hi, color="black", alpha=0.08 if ci else 0.12)
        for pi, pn in enumerate(fc.patrons):
            T = comp.threat[:, ci, pi]
            if np.any(T > 0):
                ax_p.step(np.append(x0, xend), np.append(T, T[-1]), where="post", color=colors[pn],
                          ls=style, lw=1.2, alpha=0.9, label=f"{cn}–{pn}: common threat T")
            D = comp.disparity[:, ci, pi]
            ax_p.step(np.append(x0, xend), np.append(D, D[-1]), where="post", color=colors[pn], ls=style,
                      lw=0.9, alpha=0.45, label=f"{cn}–{pn}: disparity D ({pn}'s share)")
    ax_p.set_ylim(0, 1.02)
    ax_p.set_ylabel("0–1")
    ax_p.legend(fontsize=6.5, loc="upper left", ncol=2, framealpha=0.85)
    ax_p.set_title("Incumbent precarity (P lose power next period; band = 10–90% of runs), common threat T "
                   "and power disparity D of each client–patron dyad", fontsize=8, loc="left")

    # ---- 3. alignment and ruling probabilities
    labels = [*fc.patrons, NON_ALIGNED]
    P = len(fc.patrons)
    xs = x0 + 0.5
    for ci, cn in enumerate(fc.clients):
        al = res.aligned[:, :, ci]
        probs = np.stack([(al == k).mean(axis=1) for k in range(P + 1)])
        if ci == 0:
            cols = [colors[p] for p in fc.patrons] + [_NONALIGNED]
            ax_a.stackplot(np.append(x0, xend), np.column_stack([probs, probs[:, -1]]),
                           labels=[f"{cn} aligned: {lab}" for lab in labels], colors=cols, alpha=0.35,
                           step="post")
        else:
            for k in range(P):
                ax_a.plot(xs, probs[k], color=colors[fc.patrons[k]], ls=_FACTION_STYLES[ci % 4], lw=1.6,
                          marker="o", ms=3, label=f"{cn} aligned: {fc.patrons[k]}")
    ru = res.ruling[:, :, 0]
    for fi, fn in enumerate(fc.factions[0]):
        p = (ru == fi).mean(axis=1)
        if p.max() > 0.02:
            ax_a.plot(xs, p, color="black", ls=_FACTION_STYLES[fi % 4], lw=1.4, marker="os^dv"[fi % 5], ms=3,
                      label=f"{fc.clients[0]} ruled by {fn}")
    # model timing of the key event (share of runs in which the outcome holds, by year)
    # (its legend entry joins the panel's legend outside the axes: inside, it covered the last years' bars)
    extra = []
    if result is not None and result.year_distribution:
        yd = result.year_distribution
        for yr, share in yd.items():
            ax_a.bar(int(yr) + 0.5, share * 0.25, width=0.35, bottom=0.0, color="#f39c12", alpha=0.9,
                     edgecolor="#a0522d")
        from matplotlib.patches import Patch

        extra.append(Patch(facecolor="#f39c12", edgecolor="#a0522d",
                           label=f"model year of '{exp.timing['kind']}' when the outcome holds (share, ×0.25)"))
    ax_a.axvspan(exp.year, exp.year + 1, color="#f1c40f", alpha=0.12, lw=0)
    ax_a.set_ylim(0, 1.02)
    ax_a.set_ylabel("probability")
    handles, _ = ax_a.get_legend_handles_labels()
    ax_a.legend(handles=[*handles, *extra], fontsize=6.5, loc="center left", bbox_to_anchor=(1.0, 0.5),
                framealpha=0.9)
    ax_a.set_title(f"Alignment and ruling-faction probabilities (end of each period, {fc.runs:,} runs); "
                   f"shaded year = historical {exp.timing['kind']} ({exp.year})", fontsize=8, loc="left")

    # ---- historical events (annotation only)
    for i, (date, label) in enumerate(exp.history):
        xv = year_fraction(date)
        for ax in axes:
            ax.axvline(xv, color="#555555", lw=0.7, ls=":", alpha=0.8)
        ax_a.text(xv, 1.0 - 0.075 * (i % 6), f" {label}", rotation=0, fontsize=6.5, va="top", ha="left",
                  color="#333333", bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 0.5})
    ax_a.set_xlim(x0[0], xend)
    ax_a.set_xticks(np.arange(int(x0[0]), int(xend) + 1))
    ax_a.set_xticklabels([str(y) for y in range(int(x0[0]), int(xend) + 1)], fontsize=8)

    verdict = ""
    if result is not None:
        ty = result.model_year if result.model_year is not None else "—"
        verdict = (f"model P = {result.probability:.2f}, model year {ty} vs history {exp.year}: "
                   f"{'PASS' if result.passed else 'FAIL'}")
    expected = textwrap.fill(f"Paper {exp.paper}: {exp.expected}", width=170)   # long outcomes wrap
    fig.suptitle(f"{sc.metadata.title}\n{expected}\n{verdict}", fontsize=10,
                 x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.99))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    return out
