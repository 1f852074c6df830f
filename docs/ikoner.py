"""Draw the favicon's PNG and ICO fallbacks from static/bilder/favicon.svg.

Browsers that read SVG icons use the SVG itself; the PNG (32 px), the touch icon (180 px) and
favicon.ico (16, 32 and 48 px) are for the rest. Chromium draws the SVG, Pillow scales it down
and writes the ICO, so the copies always match the drawing. Run after changing the SVG:

    .venv/bin/python docs/ikoner.py      (or: make ikoner)
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

BILDER = Path(__file__).resolve().parent.parent / "static" / "bilder"
CHROMIUM = "/usr/bin/chromium"
STOR = 512  # drawn once this large, then scaled down with Lanczos


def rita_svg(svg: str, storlek: int) -> Image.Image:
    """The SVG as a square RGBA image, drawn by Chromium with a transparent background."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": storlek, "height": storlek})
            data = base64.b64encode(svg.encode()).decode()
            page.set_content(
                '<html><body style="margin:0;background:transparent">'
                f'<img src="data:image/svg+xml;base64,{data}" '
                f'width="{storlek}" height="{storlek}" style="display:block"></body></html>'
            )
            png = page.screenshot(omit_background=True)
        finally:
            browser.close()
    return Image.open(io.BytesIO(png)).convert("RGBA")


def main() -> None:
    bild = rita_svg((BILDER / "favicon.svg").read_text(encoding="utf-8"), STOR)
    bild.resize((32, 32), Image.Resampling.LANCZOS).save(BILDER / "favicon-32.png")
    # iOS rounds the corners itself and shows transparency as black: fill them.
    touch = Image.new("RGBA", bild.size, bild.getpixel((STOR // 2, STOR // 8)))
    touch.alpha_composite(bild)
    touch.resize((180, 180), Image.Resampling.LANCZOS).save(BILDER / "apple-touch-icon.png")
    bild.save(BILDER / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for namn in ("favicon-32.png", "apple-touch-icon.png", "favicon.ico"):
        print(f"{BILDER / namn} ({(BILDER / namn).stat().st_size} byte)")


if __name__ == "__main__":
    main()
