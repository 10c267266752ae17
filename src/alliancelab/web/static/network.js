// alliancelab explorer: the network view — patrons, client factions and other actors as nodes; support
// flows (by instrument, width by amount), threats and alignment as edges, period by period, drawn from the
// forecast's timeline (who rules, alignment, alignment forms) with the vendored Cytoscape.js.
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  const INSTR_COLORS = {
    economic_aid: "#0072B2", reconstruction: "#56B4E9", campaign_finance: "#009E73", propaganda: "#CC79A7",
    diaspora_campaign: "#8A6D00", military_aid: "#D55E00", armed_action_commitment: "#7B3294",
    diplomatic_gesture: "#E69F00", intervention: "#000000",
  };
  const instrColor = (i) => INSTR_COLORS[i] || "#6b7280";
  let cy = null, t = 0, playing = null, drawnFor = null;

  function periodsOf() { return AL.state.base ? AL.state.base.periods : AL.state.facts.periods; }
  function activeThreat(th, periods, i) {
    const p = periods[i], next = periods[i + 1];
    const started = th.from <= p || (next !== undefined && th.from < next);
    return started && (!th.to || th.to >= p);
  }

  // the graph of period i: {nodes, edges, rows (for the table), side (text)}
  function graphAt(i) {
    const st = AL.state, f = st.facts, sc = f.scenario, base = st.base;
    const periods = periodsOf(), p = periods[i];
    const patrons = Object.keys(sc.patrons), clients = Object.keys(sc.clients);
    const pcol = AL.colorMap([...patrons, "non-aligned"]);
    const nodes = [], edges = [], rows = [];
    const W = 900, gap = W / (patrons.length + 1);
    patrons.forEach((name, k) => nodes.push({ data: { id: "p:" + name, label: name, kind: "patron", color: pcol[name] }, position: { x: gap * (k + 1), y: 40 } }));
    const cgap = W / (clients.length + 1);
    clients.forEach((cname, k) => {
      const c = sc.clients[cname], facs = Object.keys(c.factions);
      nodes.push({ data: { id: "c:" + cname, label: cname, kind: "client" } });
      const row = base && base.clients[cname] ? base.clients[cname].timeline[i] : null;
      facs.forEach((fname, j) => {
        const pr = row ? row.ruling[fname] || 0 : (c.factions[fname].incumbent ? 1 : 0);
        nodes.push({ data: { id: `f:${cname}/${fname}`, parent: "c:" + cname, label: `${fname}\n${AL.pct(pr, 0)} rules`,
          kind: "faction", rule: pr, ring: 1 + 9 * pr }, position: { x: cgap * (k + 1) + (j - (facs.length - 1) / 2) * 95, y: 250 } });
      });
      if (row) {
        for (const [lab, pa] of Object.entries(row.alignment)) {
          if (lab === "non-aligned" || !(patrons.includes(lab)) || pa < 0.005) continue;
          edges.push({ data: { id: `al:${cname}:${lab}`, source: "c:" + cname, target: "p:" + lab, kind: "alliance",
            width: 1 + 12 * pa, label: `aligned ${AL.pct(pa, 0)}`, color: pcol[lab] } });
          rows.push(["alignment", cname, lab, `P(aligned) ${AL.pct(pa)}`]);
        }
      }
    });
    const actors = f.actors || [];
    const agap = W / (actors.length + 1);
    actors.forEach((a, k) => nodes.push({ data: { id: "a:" + a, label: a, kind: "actor" }, position: { x: agap * (k + 1), y: 430 } }));
    // support flows active in this period, summed by patron -> faction -> instrument
    const sums = new Map();
    let maxAmt = 0;
    for (const s of f.support) maxAmt = Math.max(maxAmt, Math.abs(s.amount));
    for (const s of f.support) {
      if (!s.periods.includes(p)) continue;
      const target = s.faction === "ruling" ? "c:" + s.client : `f:${s.client}/${s.faction}`;
      const key = `${s.patron}|${target}|${s.instrument}`;
      const prev = sums.get(key) || { patron: s.patron, target, instrument: s.instrument, amount: 0, label: s.faction === "ruling" ? `${s.client} (whoever rules)` : `${s.client}/${s.faction}` };
      prev.amount += s.amount;
      sums.set(key, prev);
    }
    for (const [key, v] of sums) {
      const rel = maxAmt > 0 ? Math.abs(v.amount) / maxAmt : 0;
      edges.push({ data: { id: "s:" + key, source: "p:" + v.patron, target: v.target, kind: "support",
        width: 1 + 10 * Math.sqrt(rel), color: instrColor(v.instrument), label: `${v.instrument.replace(/_/g, " ")} ${AL.num(v.amount)}` } });
      rows.push(["support", v.patron, v.label, `${v.instrument.replace(/_/g, " ")} ${AL.num(v.amount)}`]);
    }
    for (const th of f.threats) {
      if (!activeThreat(th, periods, i)) continue;
      const src = patrons.includes(th.actor) ? "p:" + th.actor : clients.includes(th.actor) ? "c:" + th.actor : "a:" + th.actor;
      for (const tg of th.targets) {
        const dst = patrons.includes(tg) ? "p:" + tg : clients.includes(tg) ? "c:" + tg : "a:" + tg;
        if (!nodes.some((n) => n.data.id === src) || !nodes.some((n) => n.data.id === dst)) continue;
        edges.push({ data: { id: `t:${th.id}:${tg}`, source: src, target: dst, kind: "threat", width: 1 + 6 * th.severity,
          label: `threat ${AL.num(th.severity)}` } });
        rows.push(["threat", th.actor, tg, `severity ${AL.num(th.severity)}, imminence ${AL.num(th.imminence)}, clarity ${AL.num(th.clarity)}`]);
      }
    }
    return { nodes, edges, rows };
  }

  function sideText(i) {
    const st = AL.state, base = st.base, periods = periodsOf();
    const out = [el("h3", { text: `Period ${periods[i]}` })];
    if (!base) { out.push(el("p", { class: "muted", text: "Run a forecast to see who rules and alignment." })); return out; }
    for (const [cname, blk] of Object.entries(base.clients)) {
      const row = blk.timeline[i];
      const top = (d) => Object.entries(d).sort((a, b) => b[1] - a[1]).filter(([, v]) => v >= 0.005).map(([k, v]) => `${k} ${AL.pct(v, 0)}`).join(", ");
      out.push(el("p", {}, el("b", { text: cname })));
      out.push(el("ul", { class: "net-facts" },
        el("li", {}, el("abbr", { title: "The faction in power at the end of the period" }, "Who rules"), ": ", top(row.ruling)),
        el("li", {}, el("abbr", { title: "Whom the client is aligned with at the end of the period" }, "Alignment"), ": ", top(row.alignment)),
        el("li", {}, el("abbr", { title: "Paper Y's Table 1: strong, unstable, affiliation, none" }, "Alliance type"), ": ", top(row.alliance_type)),
        row.alignment_form ? el("li", {}, el("abbr", { title: "Formal alliance, aid without alliance, tacit, neutral, or both patrons (E19)" }, "Alignment form"), ": ",
          typeof row.alignment_form === "object" ? top(row.alignment_form) : String(row.alignment_form)) : null,
        el("li", {}, "Precarity of the ruler: ", AL.pct(row.precarity_mean))));
    }
    if (st.alt) out.push(el("p", { class: "muted", text: "Showing the baseline; the what-if is on the Forecast tab." }));
    return out;
  }

  const STYLE = [
    { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 12, "text-valign": "center", "text-halign": "center", color: "#1d2330" } },
    { selector: "node[kind = 'patron']", style: { shape: "round-rectangle", width: 90, height: 40, "background-color": "data(color)", color: "#fff", "font-weight": "bold" } },
    { selector: "node[kind = 'client']", style: { "background-color": "#eef1f6", "border-color": "#aeb6c4", "border-width": 1, "text-valign": "top", "font-weight": "bold", padding: 18, shape: "round-rectangle" } },
    { selector: "node[kind = 'faction']", style: { width: 78, height: 50, "background-color": "#fff", "border-color": "#1d2330", "border-width": "data(ring)", shape: "ellipse", "font-size": 11 } },
    { selector: "node[kind = 'actor']", style: { shape: "diamond", width: 70, height: 50, "background-color": "#d9dde5" } },
    { selector: "edge", style: { width: "data(width)", "curve-style": "bezier", "target-arrow-shape": "triangle", "font-size": 10, "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
    { selector: "edge[kind = 'support']", style: { "line-color": "data(color)", "target-arrow-color": "data(color)", opacity: 0.85, label: "data(label)" } },
    { selector: "edge[kind = 'alliance']", style: { "line-color": "data(color)", "target-arrow-color": "data(color)", "line-style": "solid", opacity: 0.5, label: "data(label)", "curve-style": "straight" } },
    { selector: "edge[kind = 'threat']", style: { "line-color": "#B42318", "target-arrow-color": "#B42318", "line-style": "dashed", label: "data(label)" } },
  ];

  async function draw() {
    const st = AL.state;
    if (!st.facts) return;
    const periods = periodsOf();
    const slider = $("#net-period");
    slider.max = periods.length - 1;
    if (t > periods.length - 1) t = 0;
    slider.value = t;
    $("#net-period-label").textContent = periods[t];
    slider.setAttribute("aria-valuetext", periods[t]);
    const g = graphAt(t);
    $("#net-side").replaceChildren(...sideText(t));
    $("#net-table").replaceChildren(g.rows.length
      ? AL.factsTable(`Edges in ${periods[t]}`, ["Kind", "From", "To", "What"], g.rows)
      : el("p", { class: "muted", text: `No support, threats or alignment in ${periods[t]}.` }));
    if ($("#view-network").hidden) return;
    let cytoscape;
    try { cytoscape = await AL.loadCytoscape(); } catch (err) { $("#net-graph").replaceChildren(el("p", { class: "muted", text: err.message })); return; }
    const key = st.facts.id + "|" + (st.custom ? "custom" : "") + "|" + (st.base ? st.base.seed + ":" + st.base.runs : "");
    if (!cy || drawnFor !== key) {
      if (cy) cy.destroy();
      cy = cytoscape({ container: $("#net-graph"), elements: [...g.nodes, ...g.edges], style: STYLE,
        layout: { name: "preset", fit: true, padding: 30 }, boxSelectionEnabled: false });
      drawnFor = key;
    } else {
      cy.batch(() => {
        cy.edges().remove();
        for (const n of g.nodes) {
          const node = cy.getElementById(n.data.id);
          if (node.nonempty()) node.data(n.data); else cy.add(n);
        }
        cy.add(g.edges);
      });
    }
  }

  function step(d) {
    const n = periodsOf().length;
    t = Math.min(n - 1, Math.max(0, t + d));
    draw();
  }
  function togglePlay() {
    const b = $("#net-play");
    if (playing) { clearInterval(playing); playing = null; b.textContent = "▶ Play"; b.setAttribute("aria-label", "Play through the periods"); return; }
    if (t >= periodsOf().length - 1) t = 0;
    b.textContent = "❚❚ Pause"; b.setAttribute("aria-label", "Pause");
    playing = setInterval(() => {
      if (t >= periodsOf().length - 1) { togglePlay(); return; }
      step(1);
    }, 1100);
  }

  AL.hooks.start.push(() => {
    $("#net-next").addEventListener("click", () => step(1));
    $("#net-prev").addEventListener("click", () => step(-1));
    $("#net-play").addEventListener("click", togglePlay);
    $("#net-period").addEventListener("input", (ev) => { t = Number(ev.target.value); draw(); });
    $("#view-network").addEventListener("keydown", (ev) => { // keyboard: . and , step, space plays (outside inputs)
      if (ev.target.tagName === "INPUT" || ev.target.tagName === "BUTTON") return;
      if (ev.key === "ArrowRight" || ev.key === ".") { ev.preventDefault(); step(1); }
      if (ev.key === "ArrowLeft" || ev.key === ",") { ev.preventDefault(); step(-1); }
    });
    const legend = Object.entries(INSTR_COLORS).map(([k, c]) => el("span", { class: "key" }, el("i", { style: `background-color:${c}` }), k.replace(/_/g, " ")));
    legend.push(el("span", { class: "key" }, el("i", { class: "dash" }), "threat"));
    legend.push(el("span", { class: "key" }, el("i", { class: "ring" }), "ring width = P(faction rules)"));
    $("#net-legend").replaceChildren(...legend);
  });
  AL.hooks.facts.push(() => { t = 0; drawnFor = null; if (!$("#view-network").hidden) draw(); });
  AL.hooks.forecast.push(() => { if (!$("#view-network").hidden) draw(); });
  AL.hooks.tab.network = () => draw();
  AL.networkGraph = () => cy; // for tests and the console
})();
