"""Open a comparison report (and one document view) in headless Chromium and take screenshots.

Why: the acceptance check for the report is that a real browser shows the charts. This script
renders the page, saves PNGs, and fails unless the screenshot contains chart-like content
(enough non-white, coloured pixels). Needs Chromium (`apt-get install -y chromium`) and, for
Chinese labels, a CJK font (`apt-get install -y fonts-noto-cjk` or `fonts-wqy-zenhei`).

    .venv/bin/python scripts/screenshot_report.py out/report.html [--out shots/]

Not part of `make test`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    for b in BROWSERS:
        if p := shutil.which(b):
            return p
    return None


def screenshot(browser: str, page: Path, png: Path, size: str = "1200,2400") -> None:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={size}", f"--screenshot={png}", page.resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def ink(png: Path) -> tuple[float, float]:
    """Fractions of non-white pixels and of saturated (coloured) pixels: charts have both."""
    import matplotlib.image as mpimg
    import numpy as np

    img = mpimg.imread(png)[..., :3]
    nonwhite = float((img.min(axis=2) < 0.9).mean())
    colour = float(((img.max(axis=2) - img.min(axis=2)) > 0.25).mean())
    return nonwhite, colour


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="Folder for the PNGs (default: beside the report)")
    args = ap.parse_args()
    browser = find_browser()
    if not browser:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 2
    if not args.report.is_file():
        print(f"no report at {args.report}", file=sys.stderr)
        return 2
    out = args.out or args.report.parent
    out.mkdir(parents=True, exist_ok=True)
    html = args.report.read_text("utf-8")
    n_charts = len(re.findall(r'<img class="chart" src="data:image/png;base64,', html))
    shots = [(args.report, out / "report.png", "1200,2400")]
    view = re.search(r'href="(views/[0-9a-f]+\.html)"', html)
    if view:
        shots.append((args.report.parent / view.group(1), out / "view.png", "1300,1400"))
    ok = n_charts > 0
    for page, png, size in shots:
        screenshot(browser, page, png, size)
        nonwhite, colour = ink(png)
        good = nonwhite > 0.03 and colour > 0.005
        ok = ok and good
        print(f"{png}: {nonwhite:.1%} ink, {colour:.1%} colour {'ok' if good else 'LOOKS EMPTY'}")
    print(f"{n_charts} charts in {args.report}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
