"""The static page shipped as package data: consistent ids, no external resources (no browser needed)."""

from __future__ import annotations

import re
from importlib import resources

STATIC = resources.files("alliancelab.web").joinpath("static")


def _read(name: str) -> str:
    return STATIC.joinpath(name).read_text(encoding="utf-8")


def test_static_files_are_package_data():
    assert {"index.html", "app.js", "style.css"} <= {p.name for p in STATIC.iterdir()}


def test_every_id_the_script_uses_exists_in_the_page():
    html, js = _read("index.html"), _read("app.js")
    ids = set(re.findall(r'id="([\w-]+)"', html))
    used = set(re.findall(r'\$\("#([\w-]+)"\)', js)) | set(re.findall(r'showError\("#([\w-]+)"', js))
    assert used, "no ids found in app.js"
    assert used <= ids, f"ids used by app.js but missing from index.html: {sorted(used - ids)}"


def test_page_loads_only_its_own_files():
    html = _read("index.html")
    assert re.findall(r'<script[^>]*src="([^"]+)"', html) == ["app.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["style.css"]
    for name in ("index.html", "app.js", "style.css"):
        text = _read(name).replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in text and "https://" not in text and "@import" not in text, name


def test_script_uses_the_api_endpoints():
    js = _read("app.js")
    for endpoint in ("/api/scenarios", "/api/scenario?id=", "/api/forecast", "/api/backtest?runs="):
        assert endpoint in js
    assert "innerHTML" not in js  # text from scenario files is never parsed as HTML


MODULES = ("lab.js", "editor.js", "network.js", "world.js", "advise.js", "glossary.js", "validation.js")


def test_the_page_modules_use_only_ids_of_the_page_and_no_html_parsing():
    html = _read("index.html")
    ids = set(re.findall(r'id="([\w-]+)"', html))
    app = _read("app.js")
    for name in MODULES:
        assert f'"{name}"' in app, f"app.js does not load {name}"
        js = _read(name)
        used = set(re.findall(r'\$\("#([\w-]+)"\)', js)) | set(re.findall(r'showError\("#([\w-]+)"', js))
        assert used <= ids, f"{name} uses ids missing from index.html: {sorted(used - ids)}"
        assert "innerHTML" not in js and "eval(" not in js, name
        text = js.replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in text and "https://" not in text, name


def test_the_graph_library_is_vendored_with_its_licence():
    vendor = STATIC.joinpath("vendor")
    assert vendor.joinpath("cytoscape.min.js").is_file()
    licence = vendor.joinpath("cytoscape.LICENSE").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in licence and "Cytoscape" in licence


def test_ids_are_unique():
    ids = re.findall(r'id="([\w-]+)"', _read("index.html"))
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_page_has_the_validation_view_and_its_script_reads_the_endpoint():
    html, js = _read("index.html"), _read("validation.js")
    assert 'id="tab-validation"' in html and 'aria-controls="view-validation"' in html
    assert re.search(r'<section id="view-validation" role="tabpanel" aria-labelledby="tab-validation"', html)
    for box in ("val-error", "val-meta", "val-summary", "val-out"):
        assert f'id="{box}"' in html, box
    assert '"/api/validation"' in js and "AL.hooks.tab.validation" in js
    assert "aria-sort" in js and "miss" in js  # sortable, misses marked


def test_the_server_serves_every_page_module():
    from alliancelab.web.server import _STATIC

    for name in MODULES:
        assert f"/{name}" in _STATIC, name
