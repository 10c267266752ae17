// alliancelab explorer: the world view — `alliancelab world --year Y` from the server's data folder
// (GET /api/world): camps as a network, a year slider, probabilities; a click on a state shows its inputs.
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  let cy = null, ctl = null, timer = null, data = null, score = null, scoreCtl = null;

  async function load() {
    if (ctl) ctl.abort();
    const c = new AbortController(); ctl = c;
    const year = $("#world-year").value, runs = $("#world-runs").value, states = $("#world-states").value;
    AL.showError("#world-error", null);
    $("#world-meta").textContent = `Building the world of ${year} from data and forecasting its camps…`;
    $("#world-meta").classList.add("busy");
    try {
      const r = await AL.api(`/api/world?year=${encodeURIComponent(year)}&runs=${encodeURIComponent(runs)}&max_states=${encodeURIComponent(states)}&seed=1`, undefined, c.signal);
      if (c !== ctl) return;
      data = r;
      score = null;
      render();
      loadScore(r);
    } catch (err) {
      if (err.name === "AbortError") return;
      $("#world-meta").textContent = "";
      AL.showError("#world-error", err.message);
    } finally { if (c === ctl) { ctl = null; $("#world-meta").classList.remove("busy"); } }
  }

  // in a year with a reference partition from the record (1914, 1950): `alliancelab world camps --year Y`
  async function loadScore(r) {
    if (scoreCtl) scoreCtl.abort();
    $("#world-score").replaceChildren();
    if (!(r.reference_years || []).includes(r.year)) return;
    const c = new AbortController(); scoreCtl = c;
    $("#world-score").replaceChildren(el("p", { class: "muted busy", text: `Scoring the camps of ${r.year} against the historical record…` }));
    try {
      const s = await AL.api(`/api/world/camps?year=${r.year}&runs=${r.runs}&seed=${r.seed}`, undefined, c.signal);
      if (c !== scoreCtl || !data || data.year !== s.year) return;
      score = s;
      renderScore();
    } catch (err) {
      if (err.name === "AbortError") return;
      $("#world-score").replaceChildren(el("div", { class: "error", role: "alert", text: err.message }));
    } finally { if (c === scoreCtl) scoreCtl = null; }
  }

  function renderScore() {
    const s = score, bad = new Set(s.errors);
    const mark = (row) => (row.model === null ? el("span", { class: "muted", text: "not in the world" })
      : bad.has(row.state) ? el("span", { class: "camp-error", title: "the model's camp differs from the record" }, "✗ error")
        : el("span", { class: "val-hit", text: "✓" }));
    const p = (row) => Object.entries(row.p || {}).map(([k, v]) => `${k} ${AL.pct(v, 0)}`).join(", ");
    const rows = s.rows.map((row) => [row.state, row.reference, row.model || "–", row.start || "–", mark(row), p(row)]);
    $("#world-score").replaceChildren(
      el("h3", {}, `Camps of ${s.year} against the historical record: `, el("span", { id: "world-score-count", class: s.n_errors ? "camp-error" : "val-hit", text: `${s.n_errors} error${s.n_errors === 1 ? "" : "s"} among ${s.scored} listed states` })),
      el("p", { class: "hint" }, "Scored as ", el("code", { text: s.command }), ` (the reference partitions and sources are in docs/world.md): the world of ${s.data_year} built from data and simulated ${s.periods} year, each state's camp read from the network of its simulated alignment and its own pledges to the major powers. This is not the graph above (the world of ${data.year} simulated ${data.periods} years). Start: the camps of the ${s.data_year} data before simulating. The camp anchors are not scored.`),
      AL.factsTable(`Reference camp vs model camp, ${s.year}`, ["State", "Reference (record)", "Model", "Start (data)", "", "P(aligned with)"], rows, [false, false, false, false, false, false]),
      el("p", { class: "muted", text: (s.not_in_world.length ? `Listed but not in the world: ${s.not_in_world.join(", ")}. ` : "") +
        "docs/world.md reports these scores at the command's defaults (--runs 1000 --seed 0); fewer runs make the modal camps noisier." }));
    if (cy) for (const st of bad) cy.getElementById(st).data("camperr", 1);
  }

  function modal(st) {
    const probs = data.alignment_probabilities[st] || {};
    let best = null, bp = -1;
    for (const [k, v] of Object.entries(probs)) if (v > bp) { best = k; bp = v; }
    return [best, bp];
  }

  async function render() {
    const r = data, patrons = r.patrons;
    const col = AL.colorMap([...patrons, "non-aligned"]);
    $("#world-meta").textContent = `World of ${r.year}: ${r.n_states} states, patrons ${patrons.join(", ")} · ${r.runs.toLocaleString()} runs, ${r.periods} years (to ${r.year + r.periods}) · seed ${r.seed}`;
    const nodes = [], edges = [];
    for (const p of patrons) nodes.push({ data: { id: p, label: p, kind: "patron", color: col[p] } });
    for (const st of Object.keys(r.alignment_probabilities)) {
      if (patrons.includes(st)) continue;
      const [m, pm] = modal(st);
      nodes.push({ data: { id: st, label: `${st}\n${AL.pct(pm, 0)}`, kind: "state", color: col[m] || AL.NEUTRAL } });
      for (const [k, v] of Object.entries(r.alignment_probabilities[st])) {
        if (!patrons.includes(k) || v < 0.2) continue;
        edges.push({ data: { id: `${st}-${k}`, source: st, target: k, width: 1 + 9 * v, color: col[k], modal: k === m ? 1 : 0 } });
      }
    }
    for (const b of r.blocs || []) {
      for (let i = 1; i < b.patrons.length; i++) {
        edges.push({ data: { id: `bloc-${b.patrons[0]}-${b.patrons[i]}`, source: b.patrons[0], target: b.patrons[i], width: 3, color: "#1d2330", bloc: 1, modal: 1 } });
      }
    }
    // the table: camps with members and probabilities
    // every state is also a button here: the keyboard way to its inputs
    const stBtn = (st, label) => el("button", { type: "button", class: "mini state-btn", "data-state": st,
      onclick: () => { showState(st); if (cy) cy.$(":selected").unselect(), cy.getElementById(st).select(); } }, label);
    const list = (items) => (items.length ? el("span", { class: "state-list" }, items) : "–");
    const rows = r.camps.map((c) => [c.patron, list(c.members.map((m) => stBtn(m.state, `${m.state} ${AL.pct(m.probability, 0)}`))), AL.num(c.expected_size)]);
    rows.push(["non-aligned (modal)", list((r.nonaligned || []).map((st) => stBtn(st, st))), ""]);
    $("#world-table").replaceChildren(AL.factsTable(`Camps in ${r.year + r.periods}`, ["Camp", "Members (P of the modal alignment)", "Expected size"], rows, [false, false, true]),
      el("p", { class: "muted", text: (r.notes || []).join(" ") }));
    let cytoscape;
    try { cytoscape = await AL.loadCytoscape(); } catch (err) { return; }
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $("#world-graph"), elements: [...nodes, ...edges], boxSelectionEnabled: false,
      style: [
        { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 10, "text-valign": "center", "background-color": "data(color)", width: 44, height: 44, color: "#fff", "text-outline-color": "data(color)", "text-outline-width": 1 } },
        { selector: "node[kind = 'patron']", style: { shape: "round-rectangle", width: 70, height: 34, "font-size": 13, "font-weight": "bold" } },
        { selector: "node[camperr = 1]", style: { "border-width": 4, "border-color": "#b42318", "border-style": "double" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#f59e0b" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(color)", opacity: 0.35, "curve-style": "straight" } },
        { selector: "edge[modal = 1]", style: { opacity: 0.8 } },
        { selector: "edge[bloc = 1]", style: { "line-style": "dashed", opacity: 0.9 } },
      ],
      layout: { name: "concentric", concentric: (n) => (n.data("kind") === "patron" ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 18, padding: 20, animate: false },
    });
    cy.on("tap", "node", (ev) => showState(ev.target.id()));
    if (score && score.year === r.year) for (const st of score.errors) cy.getElementById(st).data("camperr", 1);
  }

  function showState(st) {
    const r = data, inp = (r.inputs || {})[st] || {};
    const probs = r.alignment_probabilities[st] || {};
    const parts = [el("h3", { text: st })];
    parts.push(el("p", {}, "P(aligned in ", String(r.year + r.periods), "): ",
      Object.entries(probs).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${AL.pct(v, 0)}`).join(", ")));
    if (r.observed_alignment && st in r.observed_alignment) parts.push(el("p", {}, "Pacts (observed alignment in the data): ", r.observed_alignment[st] || "none"));
    const ref = score && score.year === r.year ? score.rows.find((x) => x.state === st) : null;
    if (ref) parts.push(el("p", { class: ref.model !== null && ref.model !== ref.reference ? "camp-error" : null },
      `Camp in ${score.year}: record ${ref.reference}, model ${ref.model || "not in the world"}`, ref.model !== null && ref.model !== ref.reference ? " ✗" : ""));
    if (inp.aligned_at_start !== undefined) parts.push(el("p", {}, "Aligned at the start: ", inp.aligned_at_start || "non-aligned"));
    if (inp.rivals) parts.push(el("p", {}, "Rivals (patrons it cannot align with): ", inp.rivals.join(", ") || "none"));
    if (inp.power) parts.push(AL.factsTable("Capabilities (power components, shares)", ["Component", "Value"],
      Object.entries(inp.power).map(([k, v]) => [k, AL.num(v)]), [false, true]));
    if (inp.patrons) {
      const keys = [...new Set(Object.values(inp.patrons).flatMap((o) => Object.keys(o)))];
      // one row per input, one column per patron: fits the side panel (patron codes are short)
      const pats = Object.keys(inp.patrons);
      const cell = (v) => (v === undefined || v === null ? "–" : typeof v === "boolean" ? (v ? "yes" : "no") : AL.num(v));
      parts.push(AL.factsTable("Inputs toward each patron (ideology = mean affinity)", ["Input", ...pats],
        keys.map((k) => [el("abbr", { "data-term": k.replace(/_km$/, "").replace(/_/g, " ") }, k.replace(/_/g, " ")), ...pats.map((p) => cell(inp.patrons[p][k]))]),
        [false, ...pats.map(() => true)]));
    }
    $("#world-side").replaceChildren(...parts);
  }

  AL.hooks.start.push(() => {
    const yr = $("#world-year");
    const label = () => { $("#world-year-label").textContent = yr.value; yr.setAttribute("aria-valuetext", yr.value); };
    label();
    yr.addEventListener("input", () => { label(); clearTimeout(timer); timer = setTimeout(load, 900); });
    $("#world-run").addEventListener("click", load);
    AL.showWorldState = showState;
    AL.worldGraph = () => cy; // for tests and the console
  });
  AL.hooks.tab.world = () => { if (!data && !ctl) load(); else if (cy) cy.resize(); };
})();
