"""Screenshots of the web explorer for docs/web.md (headless Debian Chromium via Playwright).

    .venv/bin/python scripts/web_screenshots.py [--data-dir ../shared/data] [--out docs]

Writes docs/web-lab.png (a slider moved: the change with its paired interval), docs/web-network.png
and docs/web-world.png (needs the data folder), as small palette PNGs.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from alliancelab.web.server import make_server

REPO = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _save(page, path: Path) -> None:
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(colors=160).save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "docs")
    a = ap.parse_args()
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True,
                      data_dir=a.data_dir if a.data_dir.is_dir() else None)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            pg = b.new_page(viewport={"width": 1280, "height": 860})
            pg.set_default_timeout(120_000)
            pg.goto(srv.url + "#id=italy-1948&runs=2000&seed=1")
            pg.wait_for_selector("#bars-alignment .bars li")
            pg.wait_for_selector("#lab-fields .lab-row")
            budget = pg.locator('#lab-fields input[type=number][data-path="patrons.USA.budget"]')
            budget.fill("150")
            budget.dispatch_event("change")
            pg.wait_for_selector("#bars-alignment .track.alt")
            _save(pg, a.out / "web-lab.png")
            pg.click("#lab-reset")
            pg.click("#tab-network")
            pg.wait_for_selector("#net-graph canvas")
            pg.click("#net-next")
            pg.click("#net-next")
            time.sleep(0.5)
            _save(pg, a.out / "web-network.png")
            if srv.data_dir is not None:
                pg.click("#tab-world")
                pg.wait_for_selector("#world-table table")
                st, x, y = pg.evaluate("() => { const n = window.AL.worldGraph().nodes('[kind = \"state\"]')[0];"
                                       " const p = n.renderedPosition(); return [n.id(), p.x, p.y]; }")
                pg.locator("#world-graph").click(position={"x": x, "y": y})
                pg.wait_for_selector(f"#world-side h3:has-text('{st}')")
                _save(pg, a.out / "web-world.png")
            b.close()
    finally:
        srv.shutdown()
        srv.server_close()


if __name__ == "__main__":
    main()
