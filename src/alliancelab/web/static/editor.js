// alliancelab explorer: the scenario editor — open a YAML file or start from a case, edit it with
// validation as you type (POST /api/validate: the validator's one-line errors, pointing at the line),
// forecast it, download it, and share a link that rebuilds it (deflated text in the URL's hash).
"use strict";

(function () {
  const AL = window.AL, { $, el } = AL;
  //: longest packed text a share link carries (the server accepts at most 56,000 bytes of YAML anyway)
  const MAX_LINK_CHARS = 30000;
  let timer = null, ctl = null, lastFacts = null, badLine = null;

  // ---------------------------------------------------------------- packing for share links
  const b64url = (bytes) => {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const unb64url = (text) => {
    const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  async function pipe(bytes, stream) {
    const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
    return new Uint8Array(await out.arrayBuffer());
  }
  async function pack(text) {
    return b64url(await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw")));
  }
  async function unpack(packed) {
    if (packed.length > MAX_LINK_CHARS) throw new Error(`the link's scenario is ${packed.length.toLocaleString()} characters; allowed: at most ${MAX_LINK_CHARS.toLocaleString()}`);
    const bytes = await pipe(unb64url(packed), new DecompressionStream("deflate-raw"));
    if (bytes.length > 56000) throw new Error("the link's scenario is larger than 56,000 bytes; allowed: at most 56,000");
    return new TextDecoder().decode(bytes);
  }

  // ---------------------------------------------------------------- the text box
  function gutter() {
    const n = $("#ed-text").value.split("\n").length;
    const g = $("#ed-gutter");
    g.replaceChildren();
    for (let i = 1; i <= n; i++) {
      g.append(el("span", { class: i === badLine ? "bad" : null, text: String(i) }), "\n");
    }
    g.scrollTop = $("#ed-text").scrollTop;
  }
  function goToLine(line) {
    const ta = $("#ed-text"), lines = ta.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
    ta.scrollTop = Math.max(0, (line - 5) * lh);
  }
  function setText(text) {
    $("#ed-text").value = text;
    badLine = null;
    gutter();
    validate();
  }

  async function validate() {
    clearTimeout(timer);
    if (ctl) ctl.abort();
    const c = new AbortController(); ctl = c;
    const text = $("#ed-text").value;
    $("#ed-status").textContent = "Checking…";
    try {
      const r = await AL.api("/api/validate", { yaml: text }, c.signal);
      if (c !== ctl) return null;
      const box = $("#ed-error");
      if (r.ok) {
        badLine = null;
        lastFacts = r.facts;
        AL.showError(box, null);
        $("#ed-text").setAttribute("aria-invalid", "false");
        const sc = r.facts.scenario;
        $("#ed-status").textContent = `Valid: ${sc.metadata.id} · ${r.facts.periods.length} periods · patrons ${Object.keys(sc.patrons).join(", ")} · clients ${Object.keys(sc.clients).join(", ")}`;
      } else {
        lastFacts = null;
        badLine = r.line;
        $("#ed-text").setAttribute("aria-invalid", "true");
        box.hidden = false;
        box.replaceChildren(el("span", { class: "ed-msg", text: r.error }),
          r.line ? el("button", { type: "button", class: "mini", onclick: () => goToLine(r.line) }, `Go to line ${r.line}`) : null);
        $("#ed-status").textContent = r.line ? `Error at line ${r.line}${r.field ? ` (field ${r.field})` : ""}` : "Error";
      }
      gutter();
      return r;
    } catch (err) {
      if (err.name === "AbortError") return null;
      lastFacts = null;
      AL.showError("#ed-error", err.message);
      $("#ed-status").textContent = "";
      return null;
    }
  }

  async function useIt() {
    const r = await validate();
    if (!r || !r.ok) { $("#ed-error").focus && $("#ed-error").scrollIntoView({ block: "nearest" }); return; }
    const text = $("#ed-text").value;
    let packed = null;
    try { packed = await pack(text); if (packed.length > MAX_LINK_CHARS) packed = null; } catch (err) { packed = null; }
    AL.useCustom(text, r.facts, packed);
    AL.selectTab("forecast");
    await AL.runBaseline();
  }

  function download() {
    const text = $("#ed-text").value;
    const id = (lastFacts && lastFacts.scenario.metadata.id) || "scenario";
    const a = $("#ed-download-link");
    const url = URL.createObjectURL(new Blob([text], { type: "text/yaml" }));
    a.href = url;
    a.download = `${id}.yaml`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 2000);
  }

  async function share() {
    const out = $("#ed-share-out");
    const r = await validate();
    if (!r || !r.ok) { out.textContent = "Fix the error first: only a valid scenario can be shared."; return; }
    const packed = await pack($("#ed-text").value);
    if (packed.length > MAX_LINK_CHARS) {
      out.textContent = `Too large for a link (${packed.length.toLocaleString()} characters packed; at most ${MAX_LINK_CHARS.toLocaleString()}): download the file instead.`;
      return;
    }
    const link = `${location.origin}${location.pathname}#yaml=${packed}&runs=${$("#runs").value}&seed=${$("#seed").value}`;
    const input = el("input", { type: "text", readonly: true, value: link, "aria-label": "Share link", id: "ed-share-link" });
    out.replaceChildren("Share link: ", input);
    input.select();
    try { await navigator.clipboard.writeText(link); out.append(el("span", { text: " (copied)" })); } catch (err) { /* the link is shown */ }
  }

  // opening a share link (#yaml=...): rebuild, validate, and use the scenario
  AL.openShared = async (packed) => {
    try {
      const text = await unpack(packed);
      $("#ed-text").value = text;
      const r = await validate();
      if (!r || !r.ok) { AL.showError("#error", "The shared scenario is not valid: " + (r ? r.error : "cannot check it")); return false; }
      AL.useCustom(text, r.facts, packed);
      return true;
    } catch (err) {
      AL.showError("#error", "Cannot open the shared scenario: " + err.message);
      return false;
    }
  };

  AL.hooks.start.push(() => {
    const ta = $("#ed-text");
    ta.addEventListener("input", () => { gutter(); clearTimeout(timer); timer = setTimeout(validate, 350); });
    ta.addEventListener("scroll", () => { $("#ed-gutter").scrollTop = ta.scrollTop; });
    ta.addEventListener("keydown", (ev) => { // Tab indents (two spaces); Escape leaves the box for keyboard users
      if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey) {
        ev.preventDefault();
        const s = ta.selectionStart;
        ta.setRangeText("  ", s, ta.selectionEnd, "end");
        ta.dispatchEvent(new Event("input"));
      } else if (ev.key === "Escape") { ta.blur(); $("#ed-use").focus(); }
    });
    $("#ed-load-case").addEventListener("click", async () => {
      try {
        const f = await AL.api("/api/scenario?id=" + encodeURIComponent($("#ed-case").value));
        setText(f.yaml);
      } catch (err) { AL.showError("#ed-error", err.message); }
    });
    $("#ed-file").addEventListener("change", async (ev) => {
      const file = ev.target.files[0];
      if (!file) return;
      if (file.size > 56000) { AL.showError("#ed-error", `${file.name}: ${file.size.toLocaleString()} bytes; allowed: at most 56,000 in the web explorer (use the CLI)`); return; }
      setText(await file.text());
    });
    $("#ed-use").addEventListener("click", useIt);
    $("#ed-download").addEventListener("click", download);
    $("#ed-share").addEventListener("click", share);
  });
  AL.hooks.tab.editor = () => {
    const sel = $("#ed-case");
    if (!sel.children.length) {
      for (const s of AL.state.scenarios) sel.append(el("option", { value: s.id, text: s.id }));
      sel.value = $("#scenario").value;
    }
    if (!$("#ed-text").value && AL.state.facts && AL.state.facts.yaml) setText(AL.state.facts.yaml);
  };
})();
