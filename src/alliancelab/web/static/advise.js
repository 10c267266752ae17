// alliancelab explorer: advice — the `advise` strategies table for a chosen patron (POST /api/advise)
// and a plot of cost against P(aligned with the patron), with 95% intervals.
"use strict";

(function () {
  const AL = window.AL, { $, el, svg } = AL;
  let ctl = null;

  function fillPatrons() {
    const sel = $("#adv-patron"), f = AL.state.facts;
    if (!f) return;
    sel.replaceChildren(...Object.keys(f.scenario.patrons).map((p) => el("option", { value: p, text: p })));
    $("#adv-plot").replaceChildren(); $("#adv-table").replaceChildren();
  }

  async function run() {
    if (ctl) ctl.abort();
    const c = new AbortController(); ctl = c;
    const base = AL.request([]);
    const req = { runs: base.runs, seed: base.seed, patron: $("#adv-patron").value };
    if (base.yaml) req.yaml = base.yaml; else req.id = base.id;
    if (base.uncertainty) req.uncertainty = true; // every strategy over the posterior, on the same draws
    AL.showError("#adv-error", null);
    AL.setStatus(`Advice for ${req.patron}: every strategy, ${req.runs.toLocaleString()} runs each…`, true);
    try {
      const r = await AL.api("/api/advise", req, c.signal);
      if (c !== ctl) return;
      render(r);
      AL.setStatus("", false);
    } catch (err) {
      if (err.name === "AbortError") return;
      AL.setStatus("", false);
      AL.showError("#adv-error", err.message);
    } finally { if (c === ctl) ctl = null; }
  }

  function plot(r) {
    const rows = r.strategies, W = Math.max(420, Math.floor($("#adv-plot").clientWidth || 800)), H = 320;
    const m = { l: 56, r: 20, t: 14, b: 42 }, iw = W - m.l - m.r, ih = H - m.t - m.b;
    const maxC = Math.max(1, ...rows.map((s) => s.cost || 0)) * 1.08;
    const x = (c) => m.l + (iw * c) / maxC, y = (p) => m.t + ih * (1 - p);
    const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-labelledby": "adv-t adv-d" },
      svg("title", { id: "adv-t" }, `Cost against P(${r.client} aligned with ${r.patron}) by strategy`),
      svg("desc", { id: "adv-d" }, rows.map((s) => `${s.strategy}: cost ${AL.num(s.cost)}, P ${AL.pct(s.p_align)}`).join("; ")));
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      root.append(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }));
      root.append(svg("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, `${Math.round(v * 100)}%`));
    }
    for (let k = 0; k <= 4; k++) root.append(svg("text", { x: x((maxC * k) / 4), y: H - 22, "text-anchor": "middle" }, AL.num(Math.round((maxC * k) / 4))));
    root.append(svg("text", { x: m.l + iw / 2, y: H - 4, "text-anchor": "middle" }, `cost to ${r.patron} (money units over the periods)`));
    root.append(svg("line", { class: "axis", x1: m.l, x2: W - m.r, y1: y(0), y2: y(0) }));
    rows.forEach((s, i) => {
      const c = AL.PALETTE[i % AL.PALETTE.length];
      if (s.p_align_lo !== null && s.p_align_hi !== null) root.append(svg("line", { x1: x(s.cost), x2: x(s.cost), y1: y(s.p_align_lo), y2: y(s.p_align_hi), stroke: c, "stroke-width": 2 }));
      root.append(svg("circle", { cx: x(s.cost), cy: y(s.p_align), r: 5.5, fill: c, class: "adv-pt" },
        svg("title", {}, `${s.strategy}: cost ${AL.num(s.cost)}, P(aligned) ${AL.pct(s.p_align)} (95% ${AL.pct(s.p_align_lo)}–${AL.pct(s.p_align_hi)})`)));
      // numbered points (the table names them), labels staggered so that close points stay readable
      root.append(svg("text", { x: x(s.cost) + 8 + 16 * (i % 3), y: y(s.p_align) - 6 - 11 * (i % 2), fill: c, "font-weight": "bold" }, String(i + 1)));
    });
    return root;
  }

  function render(r) {
    $("#adv-plot").replaceChildren(el("p", { class: "chart-title", text: `Cost vs P(${r.client} aligned with ${r.patron}) in the final period, with 95% intervals (friendly faction: ${r.friendly_faction})` }), plot(r));
    const rows = r.strategies.map((s, i) => [el("span", {}, el("b", { style: `color:${AL.PALETTE[i % AL.PALETTE.length]}`, text: `${i + 1} ` }), el("abbr", { title: s.description || "" }, s.strategy)), s.description || "", AL.num(s.cost), AL.num(s.cost_ratio),
      el("span", {}, AL.pct(s.p_align), el("br"), el("span", { class: "muted", text: `${AL.pct(s.p_align_lo)}–${AL.pct(s.p_align_hi)}` })),
      el("span", {}, AL.signedPts(s.delta_p_align || 0), el("br"),
        el("span", { class: "muted", text: s.delta_p_align_lo === undefined || s.delta_p_align_lo === null ? "" :
          `${AL.signedPts(s.delta_p_align_lo)} to ${AL.signedPts(s.delta_p_align_hi)}` })),
      s.p_best === undefined || s.p_best === null ? "" : AL.pct(s.p_best), AL.pct(s.p_friendly_rules), AL.pct(s.p_split)]);
    const how = r.mode === "posterior" && r.uncertainty
      ? `over the posterior: ${r.uncertainty.parameter_draws} parameter draws x ${r.uncertainty.input_draws} input draws, the same for every strategy`
      : "one parameter set (the posterior median)";
    $("#adv-table").replaceChildren(AL.factsTable(`Strategies for ${r.patron} (${r.runs.toLocaleString()} runs each, seed ${r.seed}; ${how})`,
      ["Strategy", "What it does", "Cost", "Cost ratio", "P(aligned) 95%", "Change vs status quo (paired, 95%)", "P(best)", "P(friend rules)", "P(split)"], rows,
      [false, false, true, true, true, true, true, true, true]),
      (r.notes || []).length ? el("ul", { class: "warnings" }, r.notes.map((n) => el("li", { text: n }))) : null);
  }

  AL.hooks.facts.push(fillPatrons);
  AL.hooks.start.push(() => $("#adv-run").addEventListener("click", run));
})();
