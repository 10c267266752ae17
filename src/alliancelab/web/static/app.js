// alliancelab explorer: vanilla JS, no dependencies. Talks to the JSON API of alliancelab.web.server.
"use strict";

(function () {
  // ------------------------------------------------------------------ helpers
  const $ = (sel) => document.querySelector(sel);
  const SVGNS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#7B3294", "#000000"];
  const NEUTRAL = "#6b7280";
  const NEUTRAL_LABELS = new Set(["non-aligned", "none"]);
  const TYPE_COLORS = { strong: "#0072B2", unstable: "#E69F00", affiliation: "#009E73", none: NEUTRAL };
  const EVENT_NAMES = {
    election_won: "Election won", coup_attempted: "Coup attempted", coup_succeeded: "Coup succeeded",
    ousted_by_unrest: "Ousted by unrest", alliance_formed: "Alliance formed",
    aid_without_alliance: "Aid without alliance", split: "Split with the patron", punishment: "Punished by the patron",
    expulsion: "Expelled by the patron", realignment: "Realignment", alliance_left: "Alliance left",
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "style") node.style.cssText = v; // CSSOM: allowed by the page's CSP
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  const pct = (p, d = 1) => (p === null || p === undefined ? "–" : (100 * p).toFixed(d) + "%");
  const ciText = (ci) => (ci ? `${pct(ci[0])}–${pct(ci[1])}` : "");
  const num = (x) => (typeof x === "number" ? x.toLocaleString("en-US", { maximumFractionDigits: 3 }) : String(x));
  const signedPts = (d) => `${d > 0.0005 ? "▲ +" : d < -0.0005 ? "▼ −" : "±"}${Math.abs(100 * d).toFixed(1)} pts`;

  function colorMap(labels, fixed) {
    const out = {};
    let i = 0;
    for (const lab of labels) {
      if (fixed && fixed[lab]) out[lab] = fixed[lab];
      else if (NEUTRAL_LABELS.has(lab)) out[lab] = NEUTRAL;
      else out[lab] = PALETTE[i++ % PALETTE.length];
    }
    return out;
  }

  async function api(path, body, signal) {
    const opts = body === undefined ? { signal } : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal,
    };
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new Error("cannot reach the alliancelab server (is `alliancelab web` still running?)");
    }
    let data = null;
    try { data = await resp.json(); } catch (err) { /* not JSON */ }
    if (!resp.ok) throw new Error((data && data.error) || `HTTP ${resp.status}`);
    return data;
  }

  // ------------------------------------------------------------------ state
  const state = {
    scenarios: [], facts: null, base: null, alt: null, altOverrides: [], client: null,
    busy: false, backtestLoaded: false, diff: null, custom: null, gen: 0,
  };
  // hooks the page's other scripts (lab.js, editor.js, network.js, ...) register on window.AL
  const hooks = { facts: [], forecast: [], tab: {}, start: [] };
  const fire = (list, ...args) => { for (const f of list) { try { f(...args); } catch (err) { console.error(err); } } };

  function setStatus(text, busy) {
    const s = $("#status");
    s.textContent = text || "";
    s.classList.toggle("busy", !!busy);
  }
  function setBusy(busy) {
    state.busy = busy;
    for (const b of document.querySelectorAll("button.primary")) b.disabled = busy;
  }
  function showError(box, message) {
    const e = typeof box === "string" ? $(box) : box;
    if (!message) { e.hidden = true; e.textContent = ""; return; }
    e.hidden = false;
    e.textContent = message;
    // errors appear where the user is looking: scroll the message into view if it is off-screen
    const r = e.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) e.scrollIntoView({ block: "nearest" });
  }

  // ------------------------------------------------------------------ URL state (shareable links)
  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    return { id: params.get("id"), runs: params.get("runs"), seed: params.get("seed"),
      set: params.getAll("set"), tab: params.get("tab"), yaml: params.get("yaml"), unc: params.get("unc") };
  }
  function writeHash() {
    const p = new URLSearchParams();
    if (state.custom && state.custom.packed) p.set("yaml", state.custom.packed);
    else if ($("#scenario").value) p.set("id", $("#scenario").value);
    p.set("runs", $("#runs").value);
    p.set("seed", $("#seed").value);
    for (const o of state.altOverrides) p.append("set", o);
    if ($("#use-posterior").checked) p.set("unc", "1");
    const tab = document.querySelector("[role=tab][aria-selected=true]");
    if (tab && tab.id !== "tab-forecast") p.set("tab", tab.id.replace("tab-", ""));
    history.replaceState(null, "", "#" + p.toString());
  }

  // ------------------------------------------------------------------ tabs
  function selectTab(name) {
    for (const t of document.querySelectorAll("[role=tab]")) {
      const on = t.id === "tab-" + name;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $("#" + t.getAttribute("aria-controls")).hidden = !on;
    }
    writeHash();
    if (name === "backtest" && !state.backtestLoaded && !state.busy) runBacktest();
    if (hooks.tab[name]) hooks.tab[name]();
  }
  function setupTabs() {
    const tabs = [...document.querySelectorAll("[role=tab]")];
    tabs.forEach((t, i) => {
      t.addEventListener("click", () => selectTab(t.id.replace("tab-", "")));
      t.addEventListener("keydown", (ev) => {
        let j = null;
        if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
        if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
        if (ev.key === "Home") j = 0;
        if (ev.key === "End") j = tabs.length - 1;
        if (j !== null) { ev.preventDefault(); tabs[j].focus(); selectTab(tabs[j].id.replace("tab-", "")); }
      });
    });
  }

  // ------------------------------------------------------------------ scenarios and facts
  function fillScenarioSelect() {
    const sel = $("#scenario");
    sel.replaceChildren();
    const groups = { case: el("optgroup", { label: "The papers' cases" }), example: el("optgroup", { label: "Examples" }) };
    for (const s of state.scenarios) {
      groups[s.kind].append(el("option", { value: s.id, text: `${s.id} — ${s.title}` }));
    }
    for (const g of Object.values(groups)) if (g.children.length) sel.append(g);
  }

  function factsTable(caption, head, rows, numeric) {
    const t = el("table", {}, el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: numeric && numeric[i] ? "n" : null, text: h })))),
      el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) => (i === 0
        ? el("th", { scope: "row" }, c)
        : el("td", { class: numeric && numeric[i] ? "n" : null }, c)))))));
    return el("div", { class: "scroll" }, t);
  }

  function lines(items) {
    if (!items.length) return "–";
    const span = el("span", { class: "lines" });
    items.forEach((t, i) => { if (i) span.append(el("br")); span.append(t); });
    return span;
  }

  function renderFacts() {
    const f = state.facts, sc = f.scenario, box = $("#facts");
    const parts = [];
    const periods = f.periods;
    parts.push(el("p", {}, el("b", { text: `${periods[0]}–${periods[periods.length - 1]}` }),
      ` · ${periods.length} periods · primary client ${f.primary_client}`));
    if ((sc.metadata.tags || []).length) parts.push(el("p", {}, sc.metadata.tags.map((t) => el("span", { class: "tag", text: t }))));

    parts.push(factsTable("Patrons", ["Patron", "Budget", "Tolerance", "Interest"],
      Object.entries(sc.patrons).map(([name, p]) => [
        el("span", { title: p.description || "" }, name), num(p.budget), num(p.tolerance),
        lines(Object.entries(p.interest).map(([k, v]) => `${k === "*" ? "all" : k} ${num(v)}`)),
      ]), [false, true, true, false]));

    for (const [cname, c] of Object.entries(sc.clients)) {
      const rows = Object.entries(c.factions).map(([name, fac]) => [
        el("span", { title: fac.description || "" }, name, fac.incumbent ? el("span", { class: "muted", text: " (rules)" }) : null),
        num(fac.baseline_support), num(fac.coercion),
        lines(Object.entries(fac.affinity || {}).map(([k, v]) => `${k} ${v > 0 ? "+" : ""}${num(v)}`)),
      ]);
      const extra = [`aligned at start: ${c.aligned_with || "non-aligned"}`];
      if (c.aid_need) extra.push(`aid need ${num(c.aid_need)}`);
      if ((c.elections || []).length) extra.push(`elections ${c.elections.join(", ")}`);
      parts.push(factsTable(`${cname}: factions`, ["Faction", "Base support", "Coercion", "Affinity"], rows, [false, true, true, false]));
      parts.push(el("p", { class: "muted", text: extra.join(" · ") }));
    }

    const byp = f.support_by_period;
    const money = [];
    for (const [pat, rows] of Object.entries(byp)) {
      for (const [target, cells] of Object.entries(rows)) {
        money.push([`${pat} → ${target}`, ...periods.map((p) => (cells[p] ? num(cells[p]) : "·"))]);
      }
    }
    if (money.length) {
      parts.push(factsTable("Support by period (money-like instruments, per period)", ["Patron → faction", ...periods], money,
        [false, ...periods.map(() => true)]));
    } else {
      parts.push(el("p", { class: "muted", text: "No money support in this scenario." }));
    }
    if (f.support.length) {
      const items = f.support.map((s) => [
        el("span", {}, `${s.patron} → ${s.faction}`),
        s.instrument.replace(/_/g, " "), num(s.amount),
        s.from === s.to ? s.from : `${s.from}–${s.to}`,
        el("button", { type: "button", class: "mini", "aria-label": `What if: change ${s.id}`, title: "Add as a what-if change",
          onclick: () => addOverrideRow(`support.${s.id}.amount`, s.amount, true) }, "what-if"),
      ]);
      parts.push(el("details", {}, el("summary", { text: `All ${f.support.length} support items` }),
        factsTable("Support items", ["Patron → faction", "Instrument", "Amount", "When", ""], items, [false, false, true, false, false])));
    }
    if (f.threats.length) {
      parts.push(factsTable("Threats", ["Actor → targets", "From", "Severity", "Imminence", "Clarity"],
        f.threats.map((t) => [`${t.actor} → ${t.targets.join(", ")}`, t.to ? `${t.from}–${t.to}` : t.from,
          num(t.severity), num(t.imminence), num(t.clarity)]), [false, false, true, true, true]));
    }
    if (f.events.length) {
      parts.push(factsTable("Scripted events", ["Date", "What"],
        f.events.map((e) => [e.date, e.description || e.kind])));
    }
    if ((sc.metadata.scope_notes || []).length) {
      parts.push(el("details", {}, el("summary", { text: "Scope notes" }),
        el("ul", {}, sc.metadata.scope_notes.map((n) => el("li", { text: n })))));
    }
    box.replaceChildren(...parts);

    const dl = $("#paths");
    dl.replaceChildren(...f.editable.map((e) => el("option", { value: e.path, label: `${e.label} (now ${num(e.value)})` })));
  }

  // ------------------------------------------------------------------ what-if editor
  function editableFor(path) {
    return state.facts ? state.facts.editable.find((e) => e.path === path) : null;
  }
  function addOverrideRow(path, value, focusValue) {
    const box = $("#overrides");
    const n = box.children.length + 1;
    const cur = el("div", { class: "cur", "aria-live": "polite" });
    const pathIn = el("input", { type: "text", list: "paths", value: path || "", placeholder: "patrons.USA.budget",
      "aria-label": `Change ${n}: path`, spellcheck: "false", autocomplete: "off" });
    const valIn = el("input", { type: "text", value: value === undefined || value === null ? "" : String(value),
      "aria-label": `Change ${n}: new value`, placeholder: "value" });
    const showCurrent = () => {
      const e = editableFor(pathIn.value.trim());
      cur.textContent = e ? `${e.label}; now ${num(e.value)}` : "";
    };
    pathIn.addEventListener("input", showCurrent);
    pathIn.addEventListener("change", () => {
      const e = editableFor(pathIn.value.trim());
      if (e && valIn.value === "") valIn.value = String(e.value);
      showCurrent();
    });
    const row = el("div", { class: "ov" },
      el("label", { class: "path" }, "Path", pathIn), el("label", {}, "New value", valIn),
      el("button", { type: "button", "aria-label": `Remove change ${n}`, title: "Remove", onclick: () => row.remove() }, "×"),
      cur);
    box.append(row);
    showCurrent();
    if (focusValue) { valIn.focus(); valIn.select(); }
  }
  function readOverrides() {
    const out = [];
    for (const row of document.querySelectorAll("#overrides .ov")) {
      const [p, v] = row.querySelectorAll("input");
      if (p.value.trim()) out.push(`${p.value.trim()}=${v.value.trim()}`);
    }
    return out;
  }
  function resetOverrides(list) {
    $("#overrides").replaceChildren();
    for (const o of list) {
      const i = o.indexOf("=");
      addOverrideRow(i < 0 ? o : o.slice(0, i), i < 0 ? "" : o.slice(i + 1));
    }
    if (!list.length && state.facts) {
      const first = state.facts.editable.find((e) => e.path.startsWith("support.")) || state.facts.editable[0];
      if (first) addOverrideRow(first.path, first.value);
    }
  }

  // ------------------------------------------------------------------ running
  function request(overrides) {
    const who = state.custom ? { yaml: state.custom.text } : { id: $("#scenario").value };
    const req = {
      ...who, runs: Number($("#runs").value), seed: Number($("#seed").value),
      drivers: $("#drivers").checked, overrides,
    };
    if ($("#use-posterior").checked) req.uncertainty = true; // the posterior forecast (alliancelab forecast's default)
    return req;
  }
  async function withBusy(label, fn) {
    if (state.busy) return;
    setBusy(true);
    const t0 = performance.now();
    setStatus(label, true);
    try {
      await fn();
      setStatus(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`, false);
    } catch (err) {
      setStatus("", false);
      throw err;
    } finally {
      setBusy(false);
    }
  }

  async function loadScenario(id, opts) {
    opts = opts || {};
    showError("#error", null);
    state.gen += 1; // a forecast started before this switch is never shown under it
    const facts = await api("/api/scenario?id=" + encodeURIComponent(id));
    const meta = state.scenarios.find((s) => s.id === id) || {};
    state.custom = null;
    setFacts(facts, meta.title || id, meta.description || "", opts);
  }
  // an edited scenario (editor.js): its validated facts and text; forecasts send the text
  function useCustom(text, facts, packed) {
    state.gen += 1;
    state.custom = { text, packed };
    const md = facts.scenario.metadata;
    setFacts(facts, `${md.title} (edited)`, md.description || "", {});
  }
  function setFacts(facts, title, desc, opts) {
    state.facts = facts;
    $("#result-title").textContent = title;
    $("#result-desc").textContent = desc;
    state.base = null; state.alt = null; state.altOverrides = []; state.diff = null;
    renderFacts();
    resetOverrides(opts.set || []);
    fire(hooks.facts, facts);
  }

  async function runBaseline() {
    showError("#error", null);
    const req = request([]), gen = state.gen;
    try {
      await withBusy(`Running ${req.runs.toLocaleString()} runs of ${req.id || "the edited scenario"}…`, async () => {
        const res = await api("/api/forecast", req);
        if (gen !== state.gen) return; // the scenario changed meanwhile: drop the stale numbers
        state.base = res;
        state.alt = null; state.altOverrides = []; state.diff = null;
      });
      if (gen !== state.gen) { if (!state.busy) await runBaseline(); return; }
      render();
    } catch (err) { showError("#error", err.message); }
    writeHash();
  }

  // a what-if: baseline and change with the same seed; the server returns the paired differences
  let whatifCtl = null;
  async function runWhatif(overrides, opts) {
    opts = opts || {};
    if (whatifCtl) whatifCtl.abort(); // cancel the stale run
    const ctl = new AbortController(); whatifCtl = ctl;
    const req = request(overrides), gen = state.gen;
    req.drivers = false;
    // with the posterior on, baseline and change share the posterior draws, input draws and seeds (paired)
    setStatus(`Running baseline and what-if (${req.runs.toLocaleString()} runs each, same seed` +
              (req.uncertainty ? ", same posterior draws" : "") + ")…", true);
    const t0 = performance.now();
    try {
      const res = await api("/api/whatif", req, ctl.signal);
      if (gen !== state.gen || ctl !== whatifCtl) return false;
      if (state.base && state.base.drivers) res.base.drivers = state.base.drivers, res.base.driver_runs = state.base.driver_runs;
      state.base = res.base; state.alt = res.alt; state.diff = res.difference; state.altOverrides = overrides;
      render();
      setStatus(`What-if done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`, false);
      writeHash();
      return true;
    } catch (err) {
      if (err.name === "AbortError") return false;
      setStatus("", false);
      if (ctl === whatifCtl) showError(opts.errorBox || "#error", "What-if: " + err.message);
      return false;
    } finally { if (ctl === whatifCtl) whatifCtl = null; }
  }
  function clearWhatif() {
    if (whatifCtl) { whatifCtl.abort(); whatifCtl = null; }
    if (state.alt) { state.alt = null; state.diff = null; state.altOverrides = []; render(); writeHash(); }
  }

  async function runCompare() {
    showError("#error", null);
    showError("#whatif-error", null);
    const overrides = readOverrides();
    if (!overrides.length) { showError("#whatif-error", "Add at least one change (a path and a value) to compare with the baseline."); return; }
    if (!state.base) await runBaseline();
    await runWhatif(overrides, { errorBox: "#whatif-error" });
  }

  // ------------------------------------------------------------------ rendering: bars
  function barList(key, labels, colors) {
    const b = state.base.clients[state.client], a = state.alt ? state.alt.clients[state.client] : null;
    const ul = el("ul", { class: "bars" });
    for (const lab of labels) {
      const p = b[key][lab], ci = b.ci && b.ci[key] ? b.ci[key][lab] : null;
      const li = el("li", {});
      const nums = el("span", { class: "num" }, pct(p), el("span", { class: "muted", text: ` (${ciText(ci)})` }));
      const hasAlt = !!(a && a[key] && a[key][lab] !== undefined);
      if (hasAlt) {
        const pd = pairedDiff(key, lab), d = pd ? pd.diff : a[key][lab] - p;
        nums.append(" → ", pct(a[key][lab]), el("span", { class: "delta " + (d > 0.0005 ? "up" : d < -0.0005 ? "down" : ""), text: signedPts(d) }));
        if (pd && pd.ci) nums.append(el("span", { class: "muted pci", title: "95% interval of the paired difference (same seed, per-run differences)", text: ` (95% ${ptsRange(pd.ci)})` }));
      }
      li.append(el("div", { class: "lab" }, el("b", { text: lab }), nums));
      li.append(track(p, ci, colors[lab], `${lab}: ${pct(p)}, 95% interval ${ciText(ci)}`, false));
      if (hasAlt) {
        const aci = a.ci && a.ci[key] ? a.ci[key][lab] : null;
        li.append(track(a[key][lab], aci, colors[lab], `${lab} what-if: ${pct(a[key][lab])}, 95% interval ${ciText(aci)}`, true));
      }
      ul.append(li);
    }
    return ul;
  }
  function pairedDiff(key, lab) {
    const d = state.diff && state.diff[state.client];
    return d && d[key] ? d[key][lab] || null : null;
  }
  const pts1 = (x) => { const v = (100 * x).toFixed(1); return v === "-0.0" ? "0.0" : v; };
  const ptsRange = (ci) => `${pts1(ci[0])} to ${pts1(ci[1])} pts`;
  function track(p, ci, color, label, alt) {
    const t = el("div", { class: "track" + (alt ? " alt" : ""), role: "img", "aria-label": label, title: label });
    t.append(el("div", { class: "fill", style: `width:${(100 * p).toFixed(2)}%;background-color:${color}` }));
    if (ci) t.append(el("div", { class: "ci", style: `left:${(100 * ci[0]).toFixed(2)}%;width:${Math.max(0, 100 * (ci[1] - ci[0])).toFixed(2)}%` }));
    return t;
  }

  // ------------------------------------------------------------------ rendering: line chart
  function electionPeriods(periods) {
    const c = state.facts && state.facts.scenario.clients[state.client];
    if (!c) return [];
    const out = new Set();
    for (const d of c.elections || []) {
      let idx = -1;
      periods.forEach((p, i) => { if (p <= String(d)) idx = i; });
      if (idx >= 0) out.add(idx);
    }
    return [...out];
  }

  function lineChart(opts) {
    const { periods, series, title, height, markers } = opts;
    const W = Math.max(360, Math.floor($("#timeline").clientWidth || 800)), H = height || 240;
    const m = { l: 46, r: 14, t: 12, b: 28 };
    const iw = W - m.l - m.r, ih = H - m.t - m.b;
    const x = (i) => m.l + (periods.length === 1 ? iw / 2 : (i * iw) / (periods.length - 1));
    const y = (v) => m.t + ih * (1 - v);
    const id = "c" + Math.random().toString(36).slice(2, 8);
    const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
      svg("title", { id: `${id}-t` }, title),
      svg("desc", { id: `${id}-d` }, opts.desc || "A line chart by period; the data table below the chart has the values."));
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      root.append(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }));
      root.append(svg("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, `${Math.round(v * 100)}%`));
    }
    root.append(svg("line", { class: "axis", x1: m.l, x2: W - m.r, y1: y(0), y2: y(0) }));
    const every = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor(iw / 52))));
    periods.forEach((p, i) => {
      if (i % every === 0 || i === periods.length - 1) {
        root.append(svg("text", { x: x(i), y: H - 8, "text-anchor": "middle" }, p));
      }
    });
    for (const i of markers || []) {
      root.append(svg("line", { class: "election", x1: x(i), x2: x(i), y1: m.t, y2: y(0) }));
      root.append(svg("text", { x: x(i) + 3, y: m.t + 10 }, "election"));
    }
    for (const s of series) {
      if (s.lo && s.hi) {
        const up = s.hi.map((v, i) => `${x(i)},${y(v)}`), down = s.lo.map((v, i) => `${x(i)},${y(v)}`).reverse();
        root.append(svg("polygon", { points: up.concat(down).join(" "), fill: s.color, "fill-opacity": 0.14, stroke: "none" }));
      }
    }
    for (const s of series) {
      const pts = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
      root.append(svg("polyline", { points: pts, fill: "none", stroke: s.color, "stroke-width": s.dashed ? 2.2 : 2.4,
        "stroke-dasharray": s.dashed ? "7 4" : null, "stroke-linejoin": "round" }));
      s.values.forEach((v, i) => {
        const tip = `${s.label} ${periods[i]}: ${pct(v)}` + (s.lo ? ` (95% ${pct(s.lo[i])}–${pct(s.hi[i])})` : "");
        root.append(svg(s.dashed ? "rect" : "circle", s.dashed
          ? { x: x(i) - 3.5, y: y(v) - 3.5, width: 7, height: 7, fill: "#fff", stroke: s.color, "stroke-width": 2 }
          : { cx: x(i), cy: y(v), r: 3.5, fill: s.color }, svg("title", {}, tip)));
      });
    }
    return root;
  }

  function legend(items) {
    return el("ul", { class: "legend", "aria-hidden": "true" }, items.map((it) => {
      const s = svg("svg", { width: 26, height: 10 }, svg("line", { x1: 1, x2: 25, y1: 5, y2: 5, stroke: it.color, "stroke-width": 2.5,
        "stroke-dasharray": it.dashed ? "6 3" : null }));
      return el("li", {}, s, it.label);
    }));
  }

  function dataTable(caption, periods, cols) {
    return el("details", {}, el("summary", { text: "Show the data as a table" }),
      factsTable(caption, ["Period", ...cols.map((c) => c.label)],
        periods.map((p, i) => [p, ...cols.map((c) => pct(c.values[i]))]), [false, ...cols.map(() => true)]));
  }

  function renderTimeline() {
    const b = state.base.clients[state.client], a = state.alt ? state.alt.clients[state.client] : null;
    const periods = b.timeline.map((r) => r.period);
    const labels = Object.keys(b.alignment), colors = colorMap(labels);
    const markers = electionPeriods(periods);
    const series = [], items = [], cols = [];
    for (const lab of labels) {
      const vals = b.timeline.map((r) => r.alignment[lab]);
      series.push({ label: lab, color: colors[lab], values: vals,
        lo: b.timeline.map((r) => r.alignment_ci[lab][0]), hi: b.timeline.map((r) => r.alignment_ci[lab][1]) });
      items.push({ label: lab, color: colors[lab] });
      cols.push({ label: a ? `${lab} (baseline)` : lab, values: vals });
      if (a) {
        const avals = a.timeline.map((r) => r.alignment[lab]);
        series.push({ label: `${lab} (what-if)`, color: colors[lab], values: avals, dashed: true });
        cols.push({ label: `${lab} (what-if)`, values: avals });
      }
    }
    if (a) items.push({ label: "what-if (dashed)", color: "#444", dashed: true });
    const box = $("#timeline");
    box.replaceChildren();
    box.append(el("p", { class: "chart-title", text: `P(${state.client} aligned with …) by period, with 95% bands` }), legend(items));
    box.append(lineChart({ periods, series, markers, title: `Alignment probabilities of ${state.client} by period`,
      desc: labels.map((l) => `${l}: ${pct(b.timeline[0].alignment[l])} in ${periods[0]} to ${pct(b.alignment[l])} in ${periods[periods.length - 1]}`).join("; ") }));
    box.append(dataTable("Alignment probability by period", periods, cols));

    const s2 = [], it2 = [], c2 = [];
    const prec = b.timeline.map((r) => r.precarity_mean), sup = b.timeline.map((r) => r.ruler_support_mean);
    s2.push({ label: "precarity", color: "#B42318", values: prec }, { label: "ruler's mass support", color: "#1f5fbf", values: sup });
    it2.push({ label: "precarity of the ruler (mean P of losing power next period)", color: "#B42318" },
      { label: "ruler's mass support (mean share)", color: "#1f5fbf" });
    c2.push({ label: a ? "precarity (baseline)" : "precarity", values: prec }, { label: a ? "ruler support (baseline)" : "ruler support", values: sup });
    if (a) {
      const ap = a.timeline.map((r) => r.precarity_mean), as = a.timeline.map((r) => r.ruler_support_mean);
      s2.push({ label: "precarity (what-if)", color: "#B42318", values: ap, dashed: true },
        { label: "ruler's support (what-if)", color: "#1f5fbf", values: as, dashed: true });
      c2.push({ label: "precarity (what-if)", values: ap }, { label: "ruler support (what-if)", values: as });
      it2.push({ label: "what-if (dashed)", color: "#444", dashed: true });
    }
    box.append(el("p", { class: "chart-title", text: "Precarity and the ruler's support by period" }), legend(it2));
    box.append(lineChart({ periods, series: s2, markers, height: 190, title: `Precarity and ruler's support of ${state.client} by period`,
      desc: `Mean precarity from ${pct(prec[0])} to ${pct(prec[prec.length - 1])}.` }));
    box.append(dataTable("Precarity and ruler support by period", periods, c2));
  }

  // ------------------------------------------------------------------ rendering: events, drivers, warnings
  function spark(dist, periods, cis) {
    const s = el("span", { class: "spark", "aria-hidden": "true" });
    const max = Math.max(0.0001, ...periods.map((p) => dist[p] || 0));
    for (const p of periods) {
      const ci = cis && cis[p] ? ` (95% ${ciText(cis[p])})` : "";
      s.append(el("i", { style: `height:${Math.max(1, Math.round(18 * (dist[p] || 0) / max))}px`,
        title: `first in ${p}: ${pct(dist[p] || 0)} of the runs where it happens${ci}` }));
    }
    return s;
  }
  function renderEvents() {
    const b = state.base.clients[state.client], a = state.alt ? state.alt.clients[state.client] : null;
    const periods = b.timeline.map((r) => r.period);
    const kinds = Object.keys(b.events).filter((k) => b.events[k].probability > 0 || (a && a.events[k].probability > 0));
    kinds.sort((k1, k2) => b.events[k2].probability - b.events[k1].probability);
    const never = Object.keys(b.events).filter((k) => !kinds.includes(k)).map((k) => EVENT_NAMES[k] || k);
    const head = ["Event", "Probability (95%)", ...(a ? ["What-if", "Change"] : []), "First happens", "By"];
    const rows = kinds.map((k) => {
      const e = b.events[k];
      const by = Object.entries(e.by).filter(([, v]) => v.probability > 0).sort((x, y) => y[1].probability - x[1].probability)
        .slice(0, 3).map(([lab, v]) => `${lab} ${pct(v.probability)}`).join(", ");
      const cells = [EVENT_NAMES[k] || k, el("span", {}, pct(e.probability), el("br"), el("span", { class: "muted", text: ciText(e.ci) }))];
      if (a) {
        const pd = pairedDiff("events", k), d = pd ? pd.diff : a.events[k].probability - e.probability;
        cells.push(pct(a.events[k].probability), el("span", {}, el("span", { class: "delta " + (d > 0.0005 ? "up" : d < -0.0005 ? "down" : ""), text: signedPts(d) }),
          pd && pd.ci ? el("span", { class: "muted pci", text: ` (95% ${ptsRange(pd.ci)})` }) : null));
      }
      cells.push(e.modal_first_period ? el("span", {}, spark(e.first_period, periods, e.first_period_ci), ` mostly ${e.modal_first_period}`) : "–", by || "–");
      return cells;
    });
    const numeric = [false, true, ...(a ? [true, true] : []), false, false];
    const box = $("#events");
    box.replaceChildren(kinds.length ? factsTable(`Events for ${state.client} (any period)`, head, rows, numeric) : el("p", { class: "muted", text: "No events in any run." }));
    if (never.length) box.append(el("p", { class: "muted", text: `Never in any run: ${never.join(", ")}.` }));
  }

  function renderDrivers() {
    const box = $("#drivers-out");
    const d = state.base.drivers || {};
    const ids = Object.keys(d).sort((x, y) => d[x].rank - d[y].rank);
    if (!ids.length) {
      box.replaceChildren(el("p", { class: "muted", text: "Not measured: tick “Measure drivers” and run again." }));
      return;
    }
    const outcome = d[ids[0]].outcome;
    const maxAbs = Math.max(0.01, ...ids.map((i) => Math.abs(d[i].change_when_off)));
    const row = (i) => {
      const c = d[i].change_when_off, w = (50 * Math.abs(c)) / maxAbs;
      const bar = el("div", { class: "track", role: "img", "aria-label": `switching ${i} off changes the probability by ${signedPts(c)}` },
        el("div", { class: "fill", style: `left:${c < 0 ? 50 - w : 50}%;width:${w}%;background-color:${c < 0 ? "#9a3412" : "#1f5fbf"}` }));
      return [el("abbr", { title: d[i].description }, i), el("span", {}, d[i].description.split(" (off")[0]), signedPts(c), bar];
    };
    const top = ids.slice(0, 8), rest = ids.slice(8);
    box.replaceChildren(
      el("p", { class: "hint" }, `Change of P(${outcome.replace("alignment=", "alignment = ")}) for ${state.base.primary_client} when each mechanism is switched off (${state.base.driver_runs.toLocaleString()} runs each, same seed).`),
      factsTable("Drivers", ["Id", "Mechanism", "Change when off", "Effect"], top.map(row), [false, false, true, false]));
    if (rest.length) box.append(el("details", {}, el("summary", { text: `${rest.length} more` }), factsTable("More drivers", ["Id", "Mechanism", "Change when off", "Effect"], rest.map(row), [false, false, true, false])));
  }

  function renderWarnings() {
    const box = $("#warnings");
    const items = state.base.warnings.map((w) => el("li", { text: w }));
    if (state.alt) for (const w of state.alt.warnings) if (!state.base.warnings.includes(w)) items.push(el("li", { text: `what-if: ${w}` }));
    box.replaceChildren(items.length ? el("ul", { class: "warnings" }, items) : el("p", { class: "muted", text: "None." }));
  }

  function render() {
    if (!state.base) return;
    const b = state.base;
    const clients = Object.keys(b.clients);
    if (!clients.includes(state.client)) state.client = b.primary_client;
    const pick = $("#client-pick"), sel = $("#client");
    pick.hidden = clients.length < 2;
    sel.replaceChildren(...clients.map((c) => el("option", { value: c, text: c, selected: c === state.client })));
    $("#result-meta").textContent = `${b.runs.toLocaleString()} runs · seed ${b.seed} · periods ${b.periods[0]}–${b.final_period} · primary client ${b.primary_client}`;
    for (const s of document.querySelectorAll("[data-final]")) s.textContent = `in ${b.final_period}`;
    $("#legend-compare").hidden = !state.alt;
    $("#whatif-list").textContent = state.alt ? ` · ${state.altOverrides.join(", ")}` : "";
    const blk = b.clients[state.client];
    const alab = Object.keys(blk.alignment), rlab = Object.keys(blk.ruling), tlab = ["strong", "unstable", "affiliation", "none"].filter((t) => t in blk.alliance_type);
    $("#bars-alignment").replaceChildren(barList("alignment", alab, colorMap(alab)));
    $("#bars-ruling").replaceChildren(barList("ruling", rlab, colorMap(rlab)));
    $("#bars-type").replaceChildren(barList("alliance_type", tlab, colorMap(tlab, TYPE_COLORS)));
    renderExtras(blk);
    renderTimeline();
    renderEvents();
    renderDrivers();
    renderWarnings();
    fire(hooks.forecast, state);
  }

  // optional keys of the forecast (rendered when present, never required): alignment forms (E19),
  // the baselines of simpler theories, the posterior uncertainty split
  function renderExtras(blk) {
    const forms = blk.alignment_form;
    $("#card-form").hidden = !forms;
    if (forms) {
      const labs = Object.keys(forms).sort((x, y) => forms[y] - forms[x]);
      $("#bars-form").replaceChildren(barList("alignment_form", labs, colorMap(labs)));
    }
    const bl = state.base.baselines;
    const rows = [];
    for (const [name, per] of Object.entries(bl || {})) {
      const v = per && per[state.client];
      if (v) rows.push([name.replace(/_/g, " "), v.alignment || "–", v.basis || ""]);
    }
    $("#card-baselines").hidden = !rows.length;
    if (rows.length) $("#baselines").replaceChildren(factsTable(`Baseline predictions for ${state.client} in ${state.base.final_period}`, ["Baseline", "Predicts", "Why"], rows));
    const u = state.base.uncertainty;
    $("#card-uncertainty").hidden = !(u && u.alignment);
    if (u && u.alignment) {
      const urows = Object.entries(u.alignment).sort((x, y) => y[1].probability - x[1].probability).map(([lab, v]) => {
        const sd = v.sd || {};
        return [lab, pct(v.probability), v.interval_95 ? ciText(v.interval_95) : "–",
          ...["monte_carlo", "parameter", "input", "interaction"].map((k) => (sd[k] === undefined ? "–" : num(sd[k])))];
      });
      $("#uncertainty").replaceChildren(
        factsTable(`P(final alignment) with ${u.parameter_draws || "?"} posterior draws × ${u.input_draws || "?"} input draws`,
          ["Outcome", "P", "95% interval", "s.d. MC", "s.d. parameters", "s.d. inputs", "s.d. interaction"], urows,
          [false, true, true, true, true, true, true]),
        u.posterior && u.posterior.label ? el("p", { class: "muted", text: `Posterior: ${u.posterior.label}. The lab's what-ifs compare point forecasts (same parameters and seed).` }) : null);
    }
  }

  // ------------------------------------------------------------------ backtest
  async function runBacktest() {
    showError("#bt-error", null);
    const runs = Number($("#bt-runs").value), seed = Number($("#bt-seed").value);
    try {
      await withBusy(`Backtest: ${runs.toLocaleString()} runs per case…`, async () => {
        const r = await api(`/api/backtest?runs=${encodeURIComponent(runs)}&seed=${encodeURIComponent(seed)}`);
        state.backtestLoaded = true;
        renderBacktest(r);
      });
    } catch (err) { showError("#bt-error", err.message); }
  }
  function passTrack(c, threshold) {
    const t = track(c.probability, c.ci, c.probability >= threshold ? "#1a7f37" : "#B42318",
      `${c.case}: ${pct(c.probability)}; pass needs ${pct(threshold, 0)}`, false);
    t.append(el("div", { class: "thr", style: `left:${(100 * threshold).toFixed(1)}%`, title: `pass threshold ${pct(threshold, 0)}` }));
    return t;
  }
  function renderBacktest(r) {
    $("#bt-pass").textContent = r.pass_probability;
    $("#bt-tol").textContent = r.timing_tolerance_years;
    const rows = r.cases.map((c) => {
      const t = c.timing;
      const year = t.model_year === null ? "never" : `${t.model_year} (history ${t.historical_year})`;
      const details = el("details", {}, el("summary", { text: "criteria" }),
        el("ul", {}, c.criteria.map((k) => el("li", { text: `${Object.values(k.criterion).join(" ").replace(/_/g, " ")}: ${pct(k.probability)}` })),
          Object.keys(c.year_distribution).length ? el("li", { text: "year: " + Object.entries(c.year_distribution).map(([y, p]) => `${y} ${pct(p)}`).join(", ") }) : null,
          c.warnings.map((w) => el("li", { class: "muted", text: w }))));
      return [
        el("span", {}, el("b", { text: c.case })),
        c.paper,
        el("span", {}, c.expected, details),
        el("span", {}, pct(c.probability), el("br"), el("span", { class: "muted", text: ciText(c.ci) }),
          passTrack(c, r.pass_probability)),
        el("span", {}, year, el("br"), el("span", { class: t.within_tolerance ? "muted" : "bad", text: t.within_tolerance ? "on time" : "off by more than the tolerance" })),
        el("span", { class: "badge " + (c.passed ? "pass" : "fail"), text: c.passed ? "pass" : "fail" }),
      ];
    });
    $("#bt-out").replaceChildren(
      el("p", {}, el("b", { text: `${r.passed} of ${r.total} cases pass` }), ` · ${r.runs.toLocaleString()} runs per case · seed ${r.seed}`),
      factsTable("Backtest by case", ["Case", "Paper", "The paper's outcome", "Model P (95%)", "Model year", "Result"], rows,
        [false, false, false, true, false, false]));
  }

  // ------------------------------------------------------------------ start
  async function start() {
    setupTabs();
    const h = readHash();
    if (h.runs) $("#runs").value = h.runs;
    if (h.seed) $("#seed").value = h.seed;
    if (h.unc === "1") $("#use-posterior").checked = true;
    $("#run-form").addEventListener("submit", (ev) => { ev.preventDefault(); runBaseline(); });
    $("#bt-form").addEventListener("submit", (ev) => { ev.preventDefault(); runBacktest(); });
    $("#run-whatif").addEventListener("click", runCompare);
    $("#add-override").addEventListener("click", () => addOverrideRow("", ""));
    $("#clear-whatif").addEventListener("click", () => {
      $("#overrides").replaceChildren(); addOverrideRow("", "");
      clearWhatif();
    });
    $("#client").addEventListener("change", (ev) => { state.client = ev.target.value; render(); });
    $("#scenario").addEventListener("change", async (ev) => {
      try { await loadScenario(ev.target.value); await runBaseline(); } catch (err) { showError("#error", err.message); }
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => state.base && renderTimeline(), 150); });

    try {
      await loadModules();
      fire(hooks.start);
      setStatus("Loading scenarios…", true);
      const data = await api("/api/scenarios");
      state.scenarios = data.scenarios;
      for (const inp of [$("#runs"), $("#bt-runs")]) inp.max = data.max_runs;
      fillScenarioSelect();
      const ids = state.scenarios.map((s) => s.id);
      const id = ids.includes(h.id) ? h.id : ids.includes("italy-1948") ? "italy-1948" : ids[0];
      $("#scenario").value = id;
      let custom = false;
      if (h.yaml && window.AL.openShared) custom = await window.AL.openShared(h.yaml);
      if (!custom) await loadScenario(id, { set: h.set });
      else resetOverrides(h.set);
      setStatus("", false);
      await runBaseline();
      if (h.set.length) await runCompare();
      if (h.tab && document.getElementById("tab-" + h.tab)) selectTab(h.tab);
    } catch (err) {
      setStatus("", false);
      showError("#error", err.message);
    }
  }

  // ------------------------------------------------------------------ the page's other scripts
  const MODULES = ["lab.js", "editor.js", "network.js", "world.js", "advise.js", "glossary.js", "validation.js"];
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src; s.async = false;
      s.onload = resolve; s.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.append(s);
    });
  }
  let cyPromise = null;
  function loadCytoscape() { // the vendored graph library, loaded when a graph is first drawn
    if (!cyPromise) {
      // Cytoscape inserts an inline <style> unless an element with this id exists; the page's CSP forbids
      // inline styles, so its one rule (position: relative) is in style.css and this marker stands in for it
      if (!document.getElementById("__________cytoscape_stylesheet")) document.head.append(el("meta", { id: "__________cytoscape_stylesheet", name: "cytoscape-style", content: "style.css" }));
      cyPromise = loadScript("vendor/cytoscape.min.js").then(() => window.cytoscape);
    }
    return cyPromise;
  }
  async function loadModules() {
    for (const m of MODULES) {
      try { await loadScript(m); } catch (err) { console.error(err.message); }
    }
  }

  window.AL = {
    $, el, svg, api, state, hooks, pct, ciText, num, signedPts, colorMap, factsTable, showError, setStatus,
    request, render, runBaseline, runWhatif, clearWhatif, loadScenario, useCustom, selectTab, writeHash,
    readHash, withBusy, loadCytoscape, PALETTE, NEUTRAL, addOverrideRow,
  };

  document.addEventListener("DOMContentLoaded", start);
})();
