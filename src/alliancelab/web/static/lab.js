// alliancelab explorer: the lab — a slider and a field for every numeric fact of the loaded scenario.
// The fields come from GET /api/scenario (`fields`, read from the scenario schema: unit and range);
// a change re-runs the what-if (debounced; the stale run is cancelled) through POST /api/whatif.
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  const changed = new Map(); // path -> new value
  let timer = null;
  const DEBOUNCE_MS = 450;

  const SECTION_NAMES = { support: "Support items", threats: "Threats", mistrust: "Mistrust", power_grabs: "Power grabs" };
  function sectionTitle(sec) {
    if (SECTION_NAMES[sec]) return SECTION_NAMES[sec];
    const p = sec.split(".");
    if (p[0] === "patrons") return `Patron ${p[1]}`;
    if (p[0] === "actors") return `Actor ${p[1]}`;
    if (p[0] === "clients" && p.length === 2) return `Client ${p[1]}`;
    if (p[0] === "clients" && p[2] === "factions") return `${p[1]}: faction ${p[3]}`;
    return sec;
  }
  function fieldLabel(f, facts) {
    if (f.section === "support") {
      const id = f.path.split(".")[1], s = facts.support.find((x) => x.id === id);
      if (s) return `${s.patron} → ${s.faction}: ${s.instrument.replace(/_/g, " ")} (${s.from === s.to ? s.from : s.from + "–" + s.to})`;
    }
    return f.label.replace(/_/g, " ").replace(/ \* /, " (all clients) ").replace(/ \*$/, " (all clients)");
  }
  const fmtRange = (f) => `${f.min === null ? "−∞" : AL.num(f.min)} … ${f.max === null ? "∞" : AL.num(f.max)}`;
  function sliderMax(f) {
    if (f.max !== null) return f.max;
    const v = Math.abs(f.value);
    return v > 0 ? Number((v * 3).toPrecision(2)) : 1;
  }

  function build(facts) {
    changed.clear();
    updateCount();
    const box = $("#lab-fields");
    const groups = new Map();
    for (const f of facts.fields || []) {
      if (!groups.has(f.section)) groups.set(f.section, []);
      groups.get(f.section).push(f);
    }
    const parts = [];
    let i = 0;
    for (const [sec, fields] of groups) {
      const det = el("details", { class: "lab-sec", "data-section": sec, open: i === 0 ? true : null },
        el("summary", {}, sectionTitle(sec), el("span", { class: "muted", text: ` · ${fields.length}` })));
      for (const f of fields) det.append(fieldRow(f, facts));
      parts.push(det);
      i += 1;
    }
    box.replaceChildren(...(parts.length ? parts : [el("p", { class: "muted", text: "No numeric facts." })]));
  }

  function fieldRow(f, facts) {
    const lo = f.min === null ? Math.min(0, f.value) : f.min, hi = Math.max(sliderMax(f), f.value);
    const step = (hi - lo) / 100 || 0.01;
    const id = "lab-" + f.path.replace(/[^\w-]/g, "_");
    const range = el("input", { type: "range", id, min: lo, max: hi, step, value: f.value, "data-path": f.path,
      "aria-describedby": id + "-u" });
    const numIn = el("input", { type: "number", step: "any", value: f.value, "data-path": f.path, class: "lab-num",
      min: f.min === null ? null : f.min, max: f.max === null ? null : f.max, "aria-label": `${fieldLabel(f, facts)} (value)` });
    const row = el("div", { class: "lab-row", "data-path": f.path },
      el("label", { for: id, class: "lab-label", title: f.path }, fieldLabel(f, facts)),
      el("div", { class: "lab-ctl" }, range, numIn),
      el("span", { id: id + "-u", class: "muted lab-unit", text: `${f.unit} · range ${fmtRange(f)} · was ${AL.num(f.value)}` }));
    const set = (v, from) => {
      if (from !== range) range.value = v;
      if (from !== numIn) numIn.value = Number(v).toPrecision(6).replace(/\.?0+$/, "");
      const bad = !(isFinite(v)) || (f.min !== null && v < f.min) || (f.max !== null && v > f.max);
      numIn.setAttribute("aria-invalid", bad ? "true" : "false");
      if (bad) { AL.showError("#lab-error", `field '${f.path}': out of range; got ${numIn.value}; allowed: ${fmtRange(f)}`); return; }
      AL.showError("#lab-error", null);
      if (Math.abs(v - f.value) < 1e-12) changed.delete(f.path); else changed.set(f.path, v);
      row.classList.toggle("changed", changed.has(f.path));
      schedule();
    };
    range.addEventListener("input", () => set(Number(range.value), range));
    numIn.addEventListener("change", () => set(Number(numIn.value), numIn));
    return row;
  }

  function overrides() {
    return [...changed].map(([p, v]) => `${p}=${Number(Number(v).toPrecision(6))}`);
  }
  function updateCount() {
    const n = changed.size;
    $("#lab-changed").textContent = n ? `${n} fact${n > 1 ? "s" : ""} changed` : "";
  }
  function schedule() {
    updateCount();
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }
  async function run() {
    const ov = overrides();
    if (!ov.length) { AL.clearWhatif(); return; }
    if (!AL.state.base) await AL.runBaseline();
    await AL.runWhatif(ov, { errorBox: "#lab-error" });
  }

  AL.hooks.facts.push(build);
  AL.hooks.start.push(() => {
    $("#lab-reset").addEventListener("click", () => {
      if (AL.state.facts) build(AL.state.facts);
      AL.showError("#lab-error", null);
      AL.clearWhatif();
    });
  });
  AL.labOverrides = overrides;
})();
