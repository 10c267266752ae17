// alliancelab explorer: validation — leave-one-case-out forecasts of every case from the shipped posterior
// (GET /api/validation = `alliancelab backtest --cv loo --no-refit --json`): a sortable table, the model's
// hit rate against the three realist baselines, and the posterior's convergence said plainly.
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  const RULES = [["balance_of_power", "Balance of power"], ["balance_of_threat", "Balance of threat"], ["persistence", "Persistence"]];
  let data = null, loading = false, sortKey = null, sortDir = 1;

  const kNum = (k) => (k === null || k === undefined ? -Infinity : k === "inf" ? Infinity : Number(k));
  const baseHit = (c, rule) => (c.baselines && c.baselines[rule] ? (c.baselines[rule].abstained ? 0.5 : c.baselines[rule].hit ? 1 : 0) : -1);
  // [header, sort value, cell, numeric]
  const COLUMNS = [
    ["Case", (c) => c.case, (c) => el("a", { href: `#id=${encodeURIComponent(c.case)}`, class: "case-link", title: `open ${c.case} in the Forecast view`, onclick: (ev) => { ev.preventDefault(); openCase(c.case); } }, c.case), false],
    ["Title", (c) => c.title, (c) => c.title, false],
    ["Era", (c) => c.era, (c) => c.era || "–", false],
    ["Region", (c) => c.region, (c) => c.region || "–", false],
    ["P(history)", (c) => c.probability, (c) => AL.pct(c.probability), true],
    ["P(criteria)", (c) => c.p_outcome, (c) => el("span", { class: c.outcome_hit ? null : "bad" }, AL.pct(c.p_outcome)), true],
    ["Timing mass ±1y", (c) => c.timing_mass, (c) => el("span", { class: c.timing_hit ? null : "bad" }, AL.pct(c.timing_mass)), true],
    ["Hit", (c) => (c.hit ? 1 : 0), (c) => el("span", { class: "badge " + (c.hit ? "pass" : "fail"), text: c.hit ? "hit" : "miss" }), false],
    ["Log score", (c) => c.log_score, (c) => AL.num(c.log_score), true],
    ["Brier", (c) => c.brier, (c) => AL.num(c.brier), true],
    ["Pareto k", (c) => kNum(c.pareto_k), (c) => paretoCell(c), true],
    ...RULES.map(([rule, name]) => [name, (c) => baseHit(c, rule), (c) => baseCell(c, rule), false]),
  ];

  function paretoCell(c) {
    if (c.pareto_k === null || c.pareto_k === undefined) return el("span", { class: "muted", title: c.method, text: "–" });
    const bad = kNum(c.pareto_k) > data.k_threshold;
    return el("span", { class: bad ? "bad" : null, title: `${c.method}${bad ? ": the PSIS estimate is unreliable (no refit in the explorer)" : ""}` },
      typeof c.pareto_k === "string" ? c.pareto_k : AL.num(c.pareto_k), bad ? " ⚠" : "");
  }
  function baseCell(c, rule) {
    const b = c.baselines && c.baselines[rule];
    if (!b) return el("span", { class: "muted", text: "n/a" });
    const word = b.abstained ? "abstains" : b.hit ? "hit" : "miss";
    return el("span", { class: b.hit ? "val-hit" : "muted", title: b.reason || "", text: word });
  }

  function openCase(id) {
    const sel = $("#scenario");
    if (![...sel.options].some((o) => o.value === id)) return;
    AL.selectTab("forecast");
    sel.value = id;
    sel.dispatchEvent(new Event("change")); // the Forecast view's own switch: load the facts, run the forecast
  }

  async function load() {
    if (loading) return;
    loading = true;
    AL.showError("#val-error", null);
    $("#val-meta").textContent = "Computing the leave-one-case-out forecasts from the shipped posterior (once per server)…";
    $("#val-meta").classList.add("busy");
    try {
      data = await AL.api("/api/validation");
      render();
    } catch (err) {
      $("#val-meta").textContent = "";
      AL.showError("#val-error", err.message);
    } finally { loading = false; $("#val-meta").classList.remove("busy"); }
  }

  function caption(r) {
    const c = r.convergence || {}, fmt = (x, d) => (typeof x === "number" ? x.toFixed(d) : "–");
    const unreliable = r.cases.filter((x) => kNum(x.pareto_k) > r.k_threshold).length;
    const changed = r.cases.filter((x) => x.changed_since_fit).length;
    const parts = [el("b", { text: c.converged ? "The posterior converged" : "The posterior did NOT converge" }),
      ` (${c.label || "no label"}): split R-hat max ${fmt(c.rhat_max, 3)} (needs < 1.05), bulk ESS min ${fmt(c.ess_bulk_min, 0)} (needs ≥ 100), ${c.steps_done ?? "?"} steps × ${c.walkers ?? "?"} walkers.`];
    if (!c.converged) parts.push(" These numbers describe a short, unconverged chain: read them as provisional.");
    parts.push(` Pareto k above ${r.k_threshold} (PSIS unreliable; the CLI refits those cases exactly, the explorer does not): ${unreliable} of ${r.n_cases}.`);
    if (changed) parts.push(` The inputs (scenario or expected file) of ${changed} of ${r.n_cases} cases changed after the posterior was fitted; a fitted case is predicted from the per-draw likelihoods stored at fit time, i.e. from its old inputs.`);
    parts.push(" Same numbers as ", el("code", { text: r.command }), ".");
    return el("p", { class: "val-caption" }, parts);
  }

  function totals(r) {
    const hits = r.cases.filter((c) => c.hit).length;
    const items = [el("b", { text: `Model ${AL.pct(r.hit_rate, 0)} (${hits} of ${r.n_cases} cases hit)` })];
    for (const [rule, name] of RULES) {
      const b = r.baselines[rule] || {};
      if (!b.available) { items.push(` · ${name} n/a`); continue; }
      const cmp = r.hit_rate > b.hit_rate ? "below the model" : r.hit_rate < b.hit_rate ? "above the model" : "equal";
      items.push(" · ", el("span", { class: r.hit_rate < b.hit_rate ? "bad" : null }, `${name} ${AL.pct(b.hit_rate, 0)} (${b.hits} of ${r.n_cases}; ${cmp})`));
    }
    items.push(el("br"), el("span", { class: "muted", text: `Mean log score ${AL.num(r.mean_log_score)} · mean Brier ${AL.num(r.mean_brier)} · a hit: P(criteria) ≥ 50% and ≥ half the timing mass within ±1 year of history; a baseline that abstains misses` }));
    return el("p", { id: "val-totals-line", class: "val-totals" }, items);
  }

  function table(r) {
    const rows = r.cases.slice();
    if (sortKey !== null) {
      const key = COLUMNS[sortKey][1];
      rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
    }
    const head = COLUMNS.map(([name, , , numeric], i) => el("th", { scope: "col", class: numeric ? "n" : null, "aria-sort": i === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none" },
      el("button", { type: "button", class: "sort", "data-col": String(i), onclick: () => { sortDir = sortKey === i ? -sortDir : 1; sortKey = i; draw(); } },
        name, i === sortKey ? (sortDir > 0 ? " ▲" : " ▼") : "")));
    const body = rows.map((c) => el("tr", { class: c.hit ? "val-row" : "val-row miss", "data-case": c.case },
      COLUMNS.map(([, , cell, numeric], i) => (i === 0 ? el("th", { scope: "row" }, cell(c)) : el("td", { class: numeric ? "n" : null }, cell(c))))));
    return el("div", { class: "scroll" }, el("table", { id: "val-table" },
      el("caption", { text: `Leave-one-case-out forecasts, ${r.n_cases} cases (misses in red; click a column to sort)` }),
      el("thead", {}, el("tr", {}, head)), el("tbody", {}, body)));
  }

  function draw() { $("#val-out").replaceChildren(table(data)); }

  function render() {
    $("#val-meta").textContent = `${data.protocol}.`;
    $("#val-summary").replaceChildren(caption(data), totals(data));
    draw();
  }

  AL.hooks.tab.validation = () => { if (!data) load(); };
})();
