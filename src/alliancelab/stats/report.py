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
    "net_shared_partners": "log(1 + shared allies)", "net_fof": "Friend of a friend (shared ally)",
    "net_eoe": "Enemy of an enemy (shared hostile state)", "net_foe": "Friend of an enemy",
    "net_degree": "log(1 + allies of each), summed",
    "fs1": "Years since formation, 0–3 (/10)", "fs2": "… 3–10 (/10)", "fs3": "… 10–30 (/10)",
    "fs4": "… 30–60 (/10; flat beyond)", "allied_before": "Already allied with the anchor",
    "candidate_major": "Candidate is a major power",
}
THREAT_LABELS = {
    "threat": "a shared strategic rival or a shared MID opponent in the last five years",
    "common_rival": "a shared strategic rival", "shared_mid": "a shared MID opponent in the last five years",
    "strong_threat": "a common threat holding ≥ 5 % of world CINC",
    "ls_threat_high": "Leeds–Savun threat in the top quartile",
}
MODEL_LABELS = {
    "onset: disparity x threat": "All dyads", "onset: politically relevant": "Politically relevant",
    "onset: Russia/USSR dyads": "Russia/USSR dyads", "onset: defense pacts": "Defence pledges (panel)",
    "onset: with network terms": "With network terms",
    "onset: threat = common_rival": "Threat: common rival", "onset: threat = shared_mid": "Threat: shared MID opponent",
    "onset: threat = strong_threat": "Threat: great-power-sized", "onset: threat = ls_threat_high": "Threat: Leeds–Savun",
    "onset: defence/offence pact": "Defence/offence pact", "onset: non-aggression/neutrality/consultation only":
    "Non-aggression / neutrality / consultation only", "onset: bilateral treaty": "Bilateral treaty",
    "onset: multilateral treaty": "Multilateral treaty",
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
        foot = [("SE type", ["model-based (lifelines; no sandwich)" for _ in results]),
                ("Spell-years", [f"{r.nobs:,}" for r in results]),
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
    return {"columns": [MODEL_LABELS.get(r.name, r.name) for r in results], "rows": rows, "foot": foot}


def dict_table(models: Sequence[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """Same layout for models given as dicts (``coef``, ``se``, ``p``, ``nobs``, ``n_events``, ``se_type``)."""
    from .inference import SE_TYPES

    terms: list[str] = []
    for m in models:
        terms += [t for t in m["coef"] if t not in terms]
    rows = []
    for t in terms:
        cells = []
        for m in models:
            if t in m["coef"] and m["coef"][t] is not None:
                cells.append((f"{m['coef'][t]:.3f}{_stars(m['p'][t] if m['p'][t] is not None else np.nan)}",
                              f"({m['se'][t]:.3f})"))
            else:
                cells.append(("", ""))
        rows.append((TERM_LABELS.get(t, t), cells))
    foot = [("SE type", [m.get("se_type_label") or SE_TYPES.get(m.get("se_type", ""), m.get("se_type", ""))
                         for m in models]),
            ("N", [f"{m['nobs']:,}" for m in models]), ("Events", [f"{m['n_events']:,}" for m in models])]
    return {"columns": list(names), "rows": rows, "foot": foot}


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
    # calibration (expanding window when present)
    exp = result.expanding
    if exp is not None or result.out_of_sample is not None:
        fig, ax = plt.subplots(figsize=(5.5, 4.5))
        cal = exp.calibration if exp is not None else result.out_of_sample.calibration
        top = 0.0
        for m, g in cal.groupby("model", sort=False):
            ax.plot(100 * g["mean_predicted"], 100 * g["observed"], marker="o", label=m)
            top = max(top, float(g["mean_predicted"].max()), float(g["observed"].max()))
        ax.plot([0, 100 * top], [0, 100 * top], color="grey", ls="--", lw=1, label="perfect")
        ax.set_xlabel("mean predicted onset risk, % (decile of risk)")
        ax.set_ylabel("observed onset rate, %")
        if exp is not None:
            te = exp.settings["test_years"]
            ax.set_title(f"Calibration, expanding window (refit every {exp.settings['step']} years), "
                         f"tested {te[0]}–{te[1]}", fontsize=9)
        else:
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
threat: {{ threat_label }}. Covariates measured at t−1. Run time {{ meta.seconds }} s.</p>

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

<h2>2. Pre-specified primary tests</h2>
<table><thead><tr><th>id</th><th>claim</th><th>estimate</th><th>SE</th><th>p</th><th>Holm p</th><th>BH p</th>
<th>sign as predicted</th><th>SE type</th><th>N</th><th>events</th></tr></thead><tbody>
{% for t in primary %}<tr><td>{{ t.id }}</td><td>{{ t.claim }}</td><td>{{ fmt(t.estimate) }}</td><td>{{ fmt(t.se) }}</td>
<td>{{ fmt(t.p) }}</td><td>{{ fmt(t.p_holm) }}</td><td>{{ fmt(t.p_bh) }}</td><td>{{ t.sign_as_predicted }}</td>
<td>{{ t.se_type }}</td><td>{{ t.n }}</td><td>{{ t.events }}</td></tr>{% endfor %}</tbody></table>
<p class="note">Listed in docs/hypotheses.md before the run; two-sided p; Holm controls the family-wise error over
all seven, Benjamini–Hochberg the false discovery rate.</p>

<h2>3. Logit of alliance onset</h2>
{{ regtable(onset_table, "Onset of any ATOP pledge; logit coefficients, SEs (type in the SE type row) in parentheses") }}
{% if se_rows %}<table><caption>Main model: the same coefficients under four SE types</caption><thead><tr><th>term</th>
{% for k in se_kinds %}<th>{{ k }}</th>{% endfor %}</tr></thead><tbody>{% for label, cells in se_rows %}<tr><td>{{ label }}</td>
{% for c in cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody>
<tfoot><tr><td>clusters</td>{% for c in se_clusters %}<td>{{ c }}</td>{% endfor %}</tr></tfoot></table>{% endif %}
{% if variant_table %}{{ regtable(variant_table, "Alternative threat measures (same model)") }}{% endif %}
{% if type_table %}{{ regtable(type_table, "Alliance types (treaty link): each kind of onset against no onset; other onsets left out") }}{% endif %}
{% if firth_table %}{{ regtable(firth_table, "Small subsample: Russia/USSR dyads, defence/offence onset, Firth logit") }}{% endif %}
{% if window_rows %}<table><caption>Threat window (defence/offence onset; shared MID opponent within W years or shared rival)</caption>
<thead><tr><th>window</th><th>threat coef (SE)</th><th>disparity under threat (SE)</th><th>N</th><th>events</th><th>SE type</th></tr></thead><tbody>
{% for r in window_rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
{% if sens_rows %}<table><caption>Disparity threshold: onset % (95% Wilson CI) by cell</caption><thead><tr><th>cap share ≥</th>
<th>threat, high gap</th><th>threat, low gap</th><th>no threat, high gap</th><th>no threat, low gap</th></tr></thead><tbody>
{% for r in sens_rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
{% if joiner_table %}{{ regtable(joiner_table, "Treaty level: who is a founding member of a multilateral treaty (candidate vs the treaty's strongest founder; logit with treaty fixed effects)") }}{% endif %}

<h2>4. Alliance duration</h2>
{% if term_table %}{{ regtable(term_table, "Discrete-time logit of termination per spell-year (main specification: peacetime spells, SEs clustered by year); flat-tailed spline in years since formation") }}{% endif %}
{% if ph_rows %}<table><caption>Non-proportionality: term × log(1 + years since formation) in the main model</caption>
<thead><tr><th>term</th><th>interaction</th><th>SE</th><th>p</th></tr></thead><tbody>
{% for r in ph_rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
{{ regtable(cox_table, "Cox model with time-varying covariates (all spells; lifelines CoxTimeVaryingFitter)") }}
{% if figs.survival %}<img src="data:image/png;base64,{{ figs.survival }}" alt="survival curves">{% endif %}

{% if elite_table %}
<h2>5. Elite theory: H2 (precarity) and H1 (U.S. aid)</h2>
{{ regtable(elite_table, "Logit coefficients; outcome in t+1..t+" ~ meta.elite_horizon) }}
{% if h1_firth_table %}{{ regtable(h1_firth_table, "H1 with the bilateral defence/offence outcome, Firth logit (few events)") }}{% endif %}
<p><b>What these proxies can and cannot show.</b></p><ul>{% for c in caveats %}<li>{{ c }}</li>{% endfor %}</ul>
{% endif %}

{% if exp %}
<h2>6. Out-of-sample forecasts of alliance onset: expanding window</h2>
<p>Refit every {{ exp_settings.step }} years from {{ exp_settings.first_origin }}, predict the next {{ exp_settings.step }};
{{ exp_settings.wartime }}; training: {{ exp_settings.training_sample }}; 95% intervals from {{ exp_settings.bootstrap_reps }}
bootstrap replicates ({{ exp_settings.bootstrap }}, seed {{ exp_settings.seed }}).</p>
<table><thead><tr><th>model</th><th>ROC-AUC [95% CI]</th><th>PR-AUC [95% CI]</th><th>Brier</th><th>Brier skill [95% CI]</th><th>N</th><th>onsets</th></tr></thead><tbody>
{% for r in exp %}<tr><td>{{ r.model }}</td><td>{{ "%.3f"|format(r.auc) }} [{{ "%.3f"|format(r.auc_ci[0]) }}, {{ "%.3f"|format(r.auc_ci[1]) }}]</td>
<td>{{ "%.4f"|format(r.pr_auc) }} [{{ "%.4f"|format(r.pr_auc_ci[0]) }}, {{ "%.4f"|format(r.pr_auc_ci[1]) }}]</td><td>{{ "%.5f"|format(r.brier) }}</td>
<td>{{ "%.4f"|format(r.brier_skill) }} [{{ "%.4f"|format(r.brier_skill_ci[0]) }}, {{ "%.4f"|format(r.brier_skill_ci[1]) }}]</td>
<td>{{ "{:,}".format(r.n) }}</td><td>{{ "{:,}".format(r.events) }}</td></tr>{% endfor %}
</tbody></table>
{% if inc %}<p><b>Theory increment</b>: AUC of {{ inc.theory }} minus the best baseline ({{ inc.best_baseline }}) =
{{ "%.4f"|format(inc.auc) }} [{{ "%.4f"|format(inc.auc_ci[0]) }}, {{ "%.4f"|format(inc.auc_ci[1]) }}]; PR-AUC difference
{{ "%.4f"|format(inc.pr_auc) }} [{{ "%.4f"|format(inc.pr_auc_ci[0]) }}, {{ "%.4f"|format(inc.pr_auc_ci[1]) }}].</p>{% endif %}
{% if net_rows %}<table><caption>What carries the out-of-sample power (AUC differences, 95% CI)</caption><tbody>
{% for k, v in net_rows %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</tbody></table>{% endif %}
{% if war_rows %}<table><caption>Wartime-treaty onsets (left out above), ranked by the same forecasts against the same years' non-onsets (no interval: descriptive)</caption>
<thead><tr><th>model</th><th>AUC</th><th>wartime onsets</th></tr></thead><tbody>
{% for r in war_rows %}<tr><td>{{ r.model }}</td><td>{{ "%.3f"|format(r.auc) }}</td><td>{{ r.events }}</td></tr>{% endfor %}</tbody></table>{% endif %}
{% if figs.calibration %}<img src="data:image/png;base64,{{ figs.calibration }}" alt="calibration plot">{% endif %}
<h3>Rolling origin: AUC per 5-year test window</h3>
<table><thead><tr><th>origin</th><th>test to</th><th>N train</th><th>N test</th><th>onsets</th>{% for m in win_models %}<th>{{ m }}</th>{% endfor %}</tr></thead><tbody>
{% for r in win_rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<p class="note">Per-window AUCs rest on few onsets each (see the onsets column) and carry no interval; the pooled rows above do.</p>
{% endif %}

{% if oos %}
<h2>7. Legacy single split (Out-of-sample, trained {{ oos_years[0][0] }}–{{ oos_years[0][1] }}, tested {{ oos_years[1][0] }}–{{ oos_years[1][1] }})</h2>
<table><thead><tr><th>model</th><th>AUC [95% CI]</th><th>Brier</th><th>Brier skill</th><th>N</th><th>onsets</th></tr></thead><tbody>
{% for r in oos %}<tr><td>{{ r.model }}</td><td>{{ "%.3f"|format(r.auc) }} [{{ "%.3f"|format(r.auc_ci[0]) }}, {{ "%.3f"|format(r.auc_ci[1]) }}]</td><td>{{ "%.5f"|format(r.brier) }}</td>
<td>{{ "%.4f"|format(r.brier_skill) }}</td><td>{{ "{:,}".format(r.n) }}</td><td>{{ "{:,}".format(r.events) }}</td></tr>{% endfor %}
</tbody></table>
<p class="note">Shared cubic in alliance-free years; kept for comparison with earlier runs. Intervals: year-block bootstrap.</p>
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
    from .inference import SE_TYPES

    onset = result.onset
    main_names = [k for k in ("onset: disparity x threat", "onset: politically relevant", "onset: Russia/USSR dyads",
                              "onset: defense pacts", "onset: with network terms") if k in onset]
    variant_names = [k for k in onset if k.startswith("onset: threat = ")]
    type_names = [k for k in onset if k not in main_names and k not in variant_names]
    main = onset.get("onset: disparity x threat")
    se_rows, se_kinds, se_clusters = [], [], []
    if main is not None and main.cov_alt:
        table = main.se_table()
        se_kinds = list(table)
        se_rows = [(TERM_LABELS.get(t, t), [f"{table[k][t]:.3f}" if table[k][t] is not None else "" for k in se_kinds])
                   for t in main.terms]
        counts = {main.se_type: main.n_clusters, **main.clusters_alt}
        se_clusters = [f"{counts.get(k, 0):,}" for k in se_kinds]
    extra = result.extra
    firth = extra.get("firth_russia_ussr")
    window_rows = []
    for w, v in (extra.get("sensitivity", {}).get("threat_window") or {}).items():
        t, d = v["threat"], v["disparity_under_threat"]
        window_rows.append((f"{w} years", f"{t['coef']:.3f} ({t['se']:.3f})", f"{d['coef']:.3f} ({d['se']:.3f})",
                            f"{v['nobs']:,}", f"{v['n_events']:,}", SE_TYPES.get(v["se_type"], v["se_type"])))
    sens_rows = []
    for rec in extra.get("sensitivity", {}).get("disparity_threshold", []):
        cells = [f"{rec['threshold_cap_share']:.2f}"]
        for k in ("threat_high_gap", "threat_low_gap", "no_threat_high_gap", "no_threat_low_gap"):
            c = rec[k]
            cells.append(f"{c['onset_pct']:.2f} [{c['ci'][0]:.2f}, {c['ci'][1]:.2f}] ({c['onsets']:,}/{c['n']:,})"
                         if c["onset_pct"] is not None else "–")
        sens_rows.append(cells)
    ph_rows = [(TERM_LABELS.get(k, k), f"{v['interaction_with_log_time']:.3f}", f"{v['se']:.3f}", f"{v['p']:.3f}")
               for k, v in (extra.get("duration_ph_tests") or {}).items()]
    new_term = [r for k, r in result.termination.items() if k != "termination: discrete-time logit"]
    if "termination: discrete-time logit" in result.termination:
        new_term.append(result.termination["termination: discrete-time logit"])
    if elite is not None:
        elite_models += [m for m in (elite.h2_pact, elite.h1_pact) if m is not None]
    exp = result.expanding
    win_rows: list[list[str]] = []
    win_models: list[str] = []
    if exp is not None and len(exp.windows):
        win_models = list(dict.fromkeys(exp.windows["model"]))
        for origin, g in exp.windows.groupby("origin"):
            g = g.set_index("model").reindex(win_models)
            first = g.iloc[0]
            win_rows.append([str(origin), str(int(first["test_to"])), f"{int(first['n_train']):,}", f"{int(first['n']):,}",
                             f"{int(first['events']):,}"] + [f"{v:.3f}" if np.isfinite(v) else "–" for v in g["auc"]])
    exp_d = exp.to_dict() if exp is not None else {}
    net_rows = [(k, f"{v['auc']:+.4f} [{v['auc_ci'][0]:+.4f}, {v['auc_ci'][1]:+.4f}]")
                for k, v in exp_d.get("network_vs_theory", {}).items()]
    if exp_d.get("theory_increment"):
        for b, v in exp_d["theory_increment"]["vs_each_baseline"].items():
            net_rows.append((f"Y minus {b}", f"{v['auc']:+.4f} [{v['auc_ci'][0]:+.4f}, {v['auc_ci'][1]:+.4f}]"))

    def fmt(v: Any) -> str:
        if v is None:
            return "–"
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 0.001 and v != 0 else f"{v:.3f}"
        return str(v)

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(
        meta=result.meta, quadrants=result.quadrants, quad_rows=quad_rows, figs=_figures(result),
        threat_label=THREAT_LABELS.get(result.quadrants.threat_measure, result.quadrants.threat_measure),
        primary=extra.get("primary_tests", []), fmt=fmt,
        onset_table=regression_table([onset[k] for k in main_names]),
        variant_table=regression_table([onset[k] for k in variant_names]) if variant_names else None,
        type_table=regression_table([onset[k] for k in type_names]) if type_names else None,
        firth_table=dict_table([firth], ["Russia/USSR (Firth)"]) if firth else None,
        se_rows=se_rows, se_kinds=[SE_TYPES.get(k, k) for k in se_kinds], se_clusters=se_clusters,
        window_rows=window_rows, sens_rows=sens_rows, ph_rows=ph_rows,
        joiner_table=dict_table([result.treaty_level.to_dict()], ["founding member"])
        if result.treaty_level is not None else None,
        cox_table=regression_table(list(result.duration.values()), hazard=True),
        term_table=regression_table(new_term) if new_term else None,
        elite_table=regression_table(elite_models) if elite_models else None,
        h1_firth_table=dict_table([elite.h1_pact_firth], ["H1, Firth"]) if elite is not None and elite.h1_pact_firth else None,
        caveats=list(elite.caveats) if elite else [],
        exp=exp.metrics.to_dict("records") if exp is not None else None,
        exp_settings=exp.settings if exp is not None else {}, inc=exp_d.get("theory_increment"),
        net_rows=net_rows, war_rows=exp.wartime.to_dict("records") if exp is not None and len(exp.wartime) else [],
        win_rows=win_rows, win_models=win_models,
        oos=oos.split.to_dict("records") if oos is not None else None,
        oos_years=(oos.train_years, oos.test_years) if oos is not None else None,
        version=__version__)


def write_report(result: "HypothesesResult", path: str | os.PathLike[str]) -> Path:
    """Render and write the report atomically; return its path."""
    return write_text_atomic(path, render_report(result))
