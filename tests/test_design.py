"""The design tokens (static/css/tokens.css) are the only literal colours and sizes in the CSS,
every token used exists, the documented colour pairs pass WCAG 2.1 AA, and every page – the
app's, the admin's and the error pages – carries the favicon and the tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
TOKENS = CSS / "tokens.css"

FARG = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|(?<![\w-])(?:white|black|red|green|blue)(?![\w-])"
)
# A length with a unit; 0 and percentages are not sizes to keep in step.
STORLEK = re.compile(r"(?<![\w.-])\d*\.?\d+(?:px|rem|em|pt|mm|cm|vw|vh)\b")
# Lines where CSS does not allow var(): media queries and the printed page's box.
UNDANTAG = re.compile(r"^\s*@(?:media|page)\b")


def _utan_kommentarer(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def _tokens() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", _utan_kommentarer(TOKENS.read_text())))


def _stilmallar() -> list[Path]:
    return sorted(p for p in CSS.glob("*.css") if p != TOKENS)


def test_det_finns_stilmallar_att_prova() -> None:
    assert {p.name for p in _stilmallar()} >= {"finsam.css", "admin.css"}


@pytest.mark.parametrize("fil", _stilmallar(), ids=lambda p: p.name)
def test_inga_losa_farger_eller_storlekar_utanfor_tokens(fil: Path) -> None:
    losa = []
    for nr, rad in enumerate(_utan_kommentarer(fil.read_text()).splitlines(), start=1):
        if UNDANTAG.match(rad):
            continue
        # Generated content ("✓ ", "Fel: ") is text, not a size or a colour.
        kod = re.sub(r'"[^"]*"', '""', rad)
        losa += [f"{fil.name}:{nr}: {m.group()}" for m in FARG.finditer(kod)]
        losa += [f"{fil.name}:{nr}: {m.group()}" for m in STORLEK.finditer(kod)]
    assert not losa, "Skriv dem som token i tokens.css:\n" + "\n".join(losa)


@pytest.mark.parametrize("fil", _stilmallar(), ids=lambda p: p.name)
def test_varje_token_som_anvands_finns(fil: Path) -> None:
    definierade = set(_tokens())
    anvanda = set(re.findall(r"var\((--[\w-]+)\)", fil.read_text()))
    assert anvanda, f"{fil.name} använder inga token"
    assert anvanda <= definierade, sorted(anvanda - definierade)


def test_varje_token_anvands() -> None:
    anvant = "".join(p.read_text() for p in _stilmallar())
    oanvanda = [namn for namn in _tokens() if f"var({namn})" not in anvant]
    assert not oanvanda, oanvanda


def _luminans(hex_: str) -> float:
    def kanal(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * kanal(r) + 0.7152 * kanal(g) + 0.0722 * kanal(b)


def kontrast(a: str, b: str) -> float:
    ljus, mork = sorted((_luminans(a), _luminans(b)), reverse=True)
    return (ljus + 0.05) / (mork + 0.05)


def test_kontrasten_raknas_som_wcag() -> None:
    assert kontrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert kontrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


TEXT = 4.5  # WCAG 2.1 AA, 1.4.3 text
GRAFIK = 3.0  # 1.4.11 borders of controls, focus ring, graphics

PAR = [
    ("--farg-text", "--farg-bakgrund", TEXT),
    ("--farg-text", "--farg-yta", TEXT),
    ("--farg-mutad", "--farg-bakgrund", TEXT),
    ("--farg-mutad", "--farg-yta", TEXT),
    ("--farg-accent", "--farg-bakgrund", TEXT),
    ("--farg-accent", "--farg-yta", TEXT),
    ("--farg-accent-mork", "--farg-yta", TEXT),
    ("--farg-pa-accent", "--farg-accent", TEXT),
    ("--farg-pa-accent", "--farg-accent-mork", TEXT),
    ("--farg-fel", "--farg-bakgrund", TEXT),
    ("--farg-fel", "--farg-yta", TEXT),
    ("--farg-fel", "--farg-status-returnerad", TEXT),
    ("--farg-fel", "--farg-status-registrerad", TEXT),
    ("--farg-pa-accent", "--farg-fel", TEXT),
    ("--farg-pa-accent", "--farg-fel-mork", TEXT),
    ("--farg-pa-accent", "--farg-mutad", TEXT),
    ("--farg-text", "--farg-fel-ljus", TEXT),
    ("--farg-ok", "--farg-bakgrund", TEXT),
    ("--farg-varning", "--farg-bakgrund", TEXT),
    ("--farg-mutad", "--farg-status-registrerad", TEXT),
    *(
        ("--farg-text", f"--farg-status-{s}", TEXT)
        for s in ("inskickad", "returnerad", "godkand", "registrerad")
    ),
    ("--farg-mutad", "--farg-bakgrund", GRAFIK),  # input borders
    ("--farg-fokus", "--farg-accent", GRAFIK),  # focus ring on the header
    ("--farg-text", "--farg-bakgrund", GRAFIK),  # the focus ring's halo on white
]


@pytest.mark.parametrize(("forgrund", "bakgrund", "minst"), PAR)
def test_fargparen_klarar_aa(forgrund: str, bakgrund: str, minst: float) -> None:
    tokens = _tokens()
    assert kontrast(tokens[forgrund], tokens[bakgrund]) >= minst


def _lankar(html: str) -> list[str]:
    return re.findall(r'<link rel="(?:icon|apple-touch-icon|stylesheet)"[^>]*href="([^"]+)"', html)


def _finns(url: str) -> bool:
    return url.startswith("/static/") and finders.find(url.removeprefix("/static/")) is not None


@pytest.mark.django_db
@pytest.mark.parametrize("adress", ["/logga-in/", "/admin/login/", "/finns-inte/"])
def test_sidorna_har_ikon_och_tokens(client: Client, adress: str) -> None:
    html = client.get(adress).content.decode()
    lankar = _lankar(html)
    for fil in ("bilder/favicon.svg", "bilder/favicon-32.png", "bilder/favicon.ico"):
        assert f"/static/{fil}" in lankar, (adress, fil)
    assert "/static/bilder/apple-touch-icon.png" in lankar
    assert "/static/css/tokens.css" in lankar
    assert all(_finns(url) for url in lankar if url.startswith("/static/")), lankar


@pytest.mark.django_db
def test_admin_har_appens_farger_och_ingen_morkt_lage(admin_client: Client) -> None:
    html = admin_client.get("/admin/").content.decode()
    lankar = _lankar(html)
    assert lankar.index("/static/css/tokens.css") < lankar.index("/static/css/admin.css")
    assert "dark_mode.css" not in html
    assert "Finsam uppföljning – administration" in html
