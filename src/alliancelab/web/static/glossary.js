// alliancelab explorer: the glossary (GET /api/glossary) — a page of every term and mechanism code, and
// hover/focus definitions for the terms and codes shown elsewhere in the page.
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  let entries = null;
  const defs = new Map();

  function renderPage() {
    const q = ($("#gl-filter").value || "").trim().toLowerCase();
    const match = (...xs) => !q || xs.some((x) => String(x).toLowerCase().includes(q));
    const terms = entries.terms.filter((t) => match(t.term, t.text));
    const mechs = entries.mechanisms.filter((m) => match(m.code, m.theory, m.model));
    $("#gl-out").replaceChildren(
      el("h3", { text: "Terms" }),
      el("dl", { class: "glossary" }, terms.flatMap((t) => [el("dt", { id: "gl-" + t.term.replace(/\W+/g, "-") , text: t.term }), el("dd", { text: t.text })])),
      el("h3", { text: "Mechanism codes" }),
      AL.factsTable("Mechanisms of the two papers and what the model does", ["Code", "Paper", "What the paper states", "In the model (and when switched off)"],
        mechs.map((m) => [el("span", { id: "gl-" + m.code }, m.code), m.paper, m.theory || "–", m.model || "(a property checked by the tests, not a switch)"])));
  }

  // hover and focus definitions: every <abbr> or [data-term] whose text is a known term or code
  function annotate(root) {
    if (!entries) return;
    for (const node of (root || document).querySelectorAll("abbr, [data-term], th, summary, h3")) {
      if (node.dataset.glossed) continue;
      const key = (node.dataset.term || node.textContent || "").trim().toLowerCase();
      const d = defs.get(key);
      if (!d) continue;
      node.dataset.glossed = "1";
      node.title = node.title ? `${node.title} — ${d}` : d;
      node.classList.add("gloss");
      if (!node.hasAttribute("tabindex") && node.tagName === "ABBR") node.tabIndex = 0;
    }
  }

  async function load() {
    try {
      entries = await AL.api("/api/glossary");
    } catch (err) { $("#gl-out").replaceChildren(el("p", { class: "error", text: err.message })); return; }
    for (const t of entries.terms) defs.set(t.term.toLowerCase(), t.text);
    for (const m of entries.mechanisms) defs.set(m.code.toLowerCase(), `${m.code}: ${m.theory}${m.model ? " Model: " + m.model : ""}`);
    defs.set("alignment", defs.get("alignment")); defs.set("timeline", "P(aligned), who rules and precarity per period.");
    renderPage();
    annotate();
    new MutationObserver(() => annotate()).observe(document.body, { childList: true, subtree: true });
  }

  AL.hooks.start.push(() => {
    $("#gl-filter").addEventListener("input", () => entries && renderPage());
    load();
  });
})();
