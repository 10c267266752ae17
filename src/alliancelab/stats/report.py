"""HTML report of ``run_hypotheses``: regression tables, the quadrant table, survival and calibration plots.

Tables follow the conventional layout (coefficient with significance stars, standard error in
parentheses beneath, N and pseudo-R^2 at the foot). Figures are matplotlib (Agg) PNGs embedded as
base64, so the report is one self-contained file, written atomically.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._io import write_text_atomic

if TYPE_CHECKING:
    from .hypotheses import HypothesesResult

__all__ = ["regression_table", "render_report", "write_report"]

TERM_LABELS = {
    "const": "Constant", "disparity": "Disparity (0 = parity, 1 = preponderance)",
    "threat": "Common threat (0/1)", "disparity_x_threat": "Disparity × threat",
    "contiguous": "Contiguous", "log_capdist": "log capital distance (1000 km)",
    "regime_distance": "Regime dissimilarity (|Δ polyarchy|)", "regime_missing": "Regime data missing",
    "any_major_f": "Major power in dyad", "ps1": "t/10 (t = years alliance-free, or years since formation)", "ps2": "(t/10)²",
    "ps3": "(t/10)³", "gap_narrowing": "Gap narrowed since formation",
    "threat_gone": "Threat present at formation, gone now", "entry_irregular": "Leader entered irregularly",
    "log_tenure": "log(1 + leader tenure)", "irregular_exit_recent": "Irregular exit in last 5 years",
    "regime_unstable": "Regime change in last 5 years", "chisols_change": "CHISOLS change",
    "log_cinc": "log CINC", "polity": "Polity2 / 10", "polity_missing": "Polity missing",
    "ls_threat": "Leeds–Savun threat", "has_allies": "Has allies", "log_us_aid": "log(1 + U.S. aid, $m, t−4..t)",
}


def _stars(p: float) -> str:
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def regression_table(results: Sequence[Any], *, hazard: bool = False) -> dict[str, Any]:
    """Conventional layout: {columns, rows: [(label, [cells])], foot: [(label, [cells])]}.

    Each cell is ``(coef with stars, "(se)")``; a missing term is blank.
    """
    terms: list[str] = []
    for r in results:
        for t in r.terms:
            if t not in terms:
                terms.append(t)
    rows = []
    for t in terms:
        cells = []
        for r in results:
            if t in r.terms:
                i = r.terms.index(t)
                cells.append((f"{r.params[i]:.3f}{_stars(r.pvalues[i])}", f"({r.bse[i]:.3f})"))
            else:
                cells.append(("", ""))
        rows.append((TERM_LABELS.get(t, t), cells))
    if hazard:
        foot = [("Spell-years", [f"{r.nobs:,}" for r in results]),
                ("Spells", [f"{r.n_spells:,}" for r in results]),
                ("Terminations", [f"{r.n_events:,}" for r in results]),
                ("Log partial likelihood", [f"{r.log_likelihood:,.1f}" for r in results])]
    else:
        def under_threat(r: Any) -> str:
            if "disparity_x_threat" not in r.terms:
                return ""
            lc = r.lincom({"disparity": 1.0, "disparity_x_threat": 1.0})
            return f"{lc['coef']:.3f}{_stars(lc['p'])} ({lc['se']:.3f})"
        cells = [under_threat(r) for r in results]
        foot = [("Disparity effect under threat (b₁ + b₃)", cells)] if any(cells) else []
        foot += [("SE type", [_se_label(r) for r in results]),
                 ("N", [f"{r.nobs:,}" for r in results]),
                ("Events", [f"{r.n_events:,}" for r in results]),
                ("Clusters", [f"{r.n_clusters:,}" for r in results]),
                ("Pseudo-R² (McFadden)", [f"{r.pseudo_r2:.3f}" for r in results]),
                ("Log likelihood", [f"{r.llf:,.1f}" for r in results])]
    return {"columns": [r.name for r in results], "rows": rows, "foot": foot}


def _se_label(r: Any) -> str:
    from .inference import SE_TYPES

    kind = getattr(r, "se_type", "model")
    return SE_TYPES.get(kind, kind)


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figures(result: "HypothesesResult") -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    figs: dict[str, str] = {}
    # quadrant rates with CIs
    t = result.quadrants.table
    samples = [s for s in ("all dyads", "politically relevant", "with a major power", "Russia/USSR (365)")
               if s in set(t["sample"])]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    quads = list(dict.fromkeys(t["quadrant"]))
    width = 0.8 / max(len(samples), 1)
    for ax, kind, title in ((axes[0], "onset", "Onset rate (no alliance at t−1)"),
                            (axes[1], "end", "Termination rate (alliance at t−1)")):
        for k, s in enumerate(samples):
            g = t[t["sample"] == s].set_index("quadrant").reindex(quads)
            x = np.arange(len(quads)) + (k - (len(samples) - 1) / 2) * width
            rate = 100 * g[f"{kind}_rate"].to_numpy(dtype=float)
            lo = 100 * g[f"{kind}_lo"].to_numpy(dtype=float)
            hi = 100 * g[f"{kind}_hi"].to_numpy(dtype=float)
            ax.errorbar(x, rate, yerr=[rate - lo, hi - rate], fmt="o", capsize=3, label=s)
        ax.set_xticks(np.arange(len(quads)))
        ax.set_xticklabels([q.split(" (")[0] for q in quads], rotation=15, fontsize=8)
        ax.set_ylabel("% of dyad-years")
        ax.set_title(title, fontsize=10)
    axes[0].legend(fontsize=7)
    figs["quadrants"] = _png(fig)
    # survival curves
    if result.survival:
        fig, ax = plt.subplots(figsize=(6.5, 4))
        for q, curve in result.survival.items():
            ax.step(curve["timeline"], curve["survival"], where="post",
                    label=f"{q.split(' (')[0]} (n={int(curve['n'].iloc[0])})")
        ax.set_xlabel("years since formation")
        ax.set_ylabel("share of alliance spells still in force")
        ax.set_xlim(0, 60)
        ax.set_ylim(0, 1.02)
        ax.set_title("Kaplan–Meier survival by Table 1 quadrant at formation", fontsize=10)
        ax.legend(fontsize=7)
        figs["survival"] = _png(fig)
    # calibration
    if result.out_of_sample is not None:
        fig, ax = plt.subplots(figsize=(5.5, 4.5))
        cal = result.out_of_sample.calibration
        top = 0.0
        for m, g in cal.groupby("model", sort=False):
            ax.plot(100 * g["mean_predicted"], 100 * g["observed"], marker="o", label=m)
            top = max(top, float(g["mean_predicted"].max()), float(g["observed"].max()))
        ax.plot([0, 100 * top], [0, 100 * top], color="grey", ls="--", lw=1, label="perfect")
        ax.set_xlabel("mean predicted onset risk, % (decile of risk)")
        ax.set_ylabel("observed onset rate, %")
        tr, te = result.out_of_sample.train_years, result.out_of_sample.test_years
        ax.set_title(f"Calibration: trained {tr[0]}–{tr[1]}, tested {te[0]}–{te[1]}", fontsize=10)
        ax.legend(fontsize=7)
        figs["calibration"] = _png(fig)
    return figs


TEMPLATE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>alliancelab: hypothesis tests</title>
<style>
body{font-family:Georgia,serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:1em 0;font-size:0.85em}
th,td{padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
thead th{border-top:2px solid #000;border-bottom:1px solid #000}
tbody tr.se td{color:#555;padding-bottom:6px}
tfoot td{border-top:1px solid #000}tfoot tr:last-child td{border-bottom:2px solid #000}
.note{font-size:0.8em;color:#555}img{max-width:100%}
</style></head><body>
<h1>Testing the two theories on {{ meta.years[0] }}–{{ meta.years[1] }} data</h1>
<p class="note">{{ "{:,}".format(meta.n_dyad_years) }} undirected dyad-years, {{ "{:,}".format(meta.n_state_years) }}
state-years; high disparity: stronger side holds ≥ {{ (meta.disparity_threshold_cap_share*100)|round|int }}% of the dyad's CINC;
threat: {{ quadrants.threat_measure }}. Covariates measured at t−1. Run time {{ meta.seconds }} s.</p>

<h2>1. Table 1 on data: onset and termination per quadrant</h2>
<img src="data:image/png;base64,{{ figs.quadrants }}" alt="quadrant rates">
<table><thead><tr><th>sample</th><th>quadrant</th><th>onset %</th><th>95% CI</th><th>at risk</th>
<th>end %</th><th>95% CI</th><th>allied</th></tr></thead><tbody>
{% for r in quad_rows %}<tr><td>{{ r.sample }}</td><td>{{ r.quadrant }}</td><td>{{ r.onset }}</td><td>{{ r.onset_ci }}</td>
<td>{{ r.onset_n }}</td><td>{{ r.end }}</td><td>{{ r.end_ci }}</td><td>{{ r.end_n }}</td></tr>
{% endfor %}</tbody></table>
<p class="note">Wilson 95% intervals. Great powers' rows cover the years each held major-power status.</p>

{% macro regtable(tab, caption) %}
<table><caption>{{ caption }}</caption><thead><tr><th></th>{% for c in tab.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for label, cells in tab.rows %}<tr><td>{{ label }}</td>{% for c in cells %}<td>{{ c[0] }}</td>{% endfor %}</tr>
<tr class="se"><td></td>{% for c in cells %}<td>{{ c[1] }}</td>{% endfor %}</tr>{% endfor %}</tbody>
<tfoot>{% for label, cells in tab.foot %}<tr><td>{{ label }}</td>{% for c in cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tfoot></table>
<p class="note">* p&lt;0.05, ** p&lt;0.01, *** p&lt;0.001.</p>
{% endmacro %}

<h2>2. Logit of alliance onset</h2>
{{ regtable(onset_table, "Logit coefficients; standard errors in parentheses, of the type in the SE type row") }}

<h2>3. Cox model of alliance duration (time-varying covariates)</h2>
{{ regtable(cox_table, "Log hazard ratios of alliance termination; model-based SEs (lifelines CoxTimeVaryingFitter)") }}
{% if term_table %}{{ regtable(term_table, "Check with dyad-clustered SEs: logit of termination per spell-year, same terms + cubic in years since formation") }}{% endif %}
{% if figs.survival %}<img src="data:image/png;base64,{{ figs.survival }}" alt="survival curves">{% endif %}

{% if elite_table %}
<h2>4. Elite theory: H2 (precarity) and H1 (U.S. aid)</h2>
{{ regtable(elite_table, "Logit coefficients; SEs clustered by state. Outcome: new alliance in t+1..t+" ~ meta.elite_horizon) }}
<p><b>What these proxies can and cannot show.</b></p><ul>{% for c in caveats %}<li>{{ c }}</li>{% endfor %}</ul>
{% endif %}

{% if oos %}
<h2>5. Out-of-sample forecasts of alliance onset</h2>
<table><thead><tr><th>model</th><th>AUC</th><th>Brier</th><th>Brier skill</th><th>log loss</th><th>N</th><th>onsets</th></tr></thead><tbody>
{% for r in oos %}<tr><td>{{ r.model }}</td><td>{{ "%.3f"|format(r.auc) }}</td><td>{{ "%.5f"|format(r.brier) }}</td>
<td>{{ "%.4f"|format(r.brier_skill) }}</td><td>{{ "%.4f"|format(r.log_loss) }}</td><td>{{ "{:,}".format(r.n) }}</td><td>{{ "{:,}".format(r.events) }}</td></tr>{% endfor %}
</tbody></table>
<p class="note">Trained {{ oos_years[0][0] }}–{{ oos_years[0][1] }}, tested {{ oos_years[1][0] }}–{{ oos_years[1][1] }}
on the same rows for every model. Brier skill is relative to the training base rate.</p>
{% if figs.calibration %}<img src="data:image/png;base64,{{ figs.calibration }}" alt="calibration plot">{% endif %}
<h3>Rolling origin (train on all earlier years, test on the next 20)</h3>
<table><thead><tr><th>origin</th>{% for m in roll_models %}<th>{{ m }} AUC</th>{% endfor %}{% for m in roll_models %}<th>{{ m }} Brier</th>{% endfor %}</tr></thead><tbody>
{% for o, aucs, briers in roll %}<tr><td>{{ o }}</td>{% for a in aucs %}<td>{{ a }}</td>{% endfor %}{% for b in briers %}<td>{{ b }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>
{% endif %}
<p class="note">Generated by alliancelab {{ version }}. Timings: {{ meta.timings }}.</p>
</body></html>
"""


def render_report(result: "HypothesesResult") -> str:
    """Render the HTML report as a string."""
    import jinja2

    from .. import __version__

    t = result.quadrants.table
    quad_rows = [{"sample": r.sample, "quadrant": r.quadrant,
                  "onset": f"{100 * r.onset_rate:.2f}" if r.onset_n else "–",
                  "onset_ci": f"[{100 * r.onset_lo:.2f}, {100 * r.onset_hi:.2f}]" if r.onset_n else "",
                  "onset_n": f"{r.onset_n:,}",
                  "end": f"{100 * r.end_rate:.2f}" if r.end_n else "–",
                  "end_ci": f"[{100 * r.end_lo:.2f}, {100 * r.end_hi:.2f}]" if r.end_n else "",
                  "end_n": f"{r.end_n:,}"} for r in t.itertuples()]
    elite = result.elite
    elite_models = [m for m in ((elite.h2, elite.h2_chisols, elite.h1) if elite else ()) if m is not None]
    oos = result.out_of_sample
    roll_models: list[str] = []
    roll: list[tuple[int, list[str], list[str]]] = []
    if oos is not None and len(oos.rolling):
        roll_models = list(dict.fromkeys(oos.rolling["model"]))
        for origin, g in oos.rolling.groupby("origin"):
            g = g.set_index("model").reindex(roll_models)
            roll.append((int(origin), [f"{v:.3f}" for v in g["auc"]], [f"{v:.5f}" for v in g["brier"]]))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(
        meta=result.meta, quadrants=result.quadrants, quad_rows=quad_rows, figs=_figures(result),
        onset_table=regression_table(list(result.onset.values())),
        cox_table=regression_table(list(result.duration.values()), hazard=True),
        term_table=regression_table(list(result.termination.values())) if result.termination else None,
        elite_table=regression_table(elite_models) if elite_models else None,
        caveats=list(elite.caveats) if elite else [],
        oos=oos.split.to_dict("records") if oos is not None else None,
        oos_years=(oos.train_years, oos.test_years) if oos is not None else None,
        roll_models=roll_models, roll=roll, version=__version__)


def write_report(result: "HypothesesResult", path: str | os.PathLike[str]) -> Path:
    """Render and write the report atomically; return its path."""
    return write_text_atomic(path, render_report(result))
