"""The texts editor of the bilaga: named inserts instead of raw placeholders, and a preview
that saves nothing (on the server without JavaScript; tests/browser/test_roller.py has the live
one)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from rapporter import bilagetexter
from registrering.models import Arsbilaga, AuditEntry, Forbund

pytestmark = pytest.mark.django_db

URL = "/rapporter/2025/texter/"
LAGRAD = "Perioden {period}, sammanställd {sammanstallningsdatum}, år {ar}."
VISAD = "Perioden «period», sammanställd «sammanställningsdatum», år «rapportår»."


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 11, 23))


def _text(html: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _textarea(html: str, namn: str) -> str:
    match = re.search(rf'<textarea name="{namn}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, namn
    return match[1].strip()


def _forhandsvisning(html: str, id_: str) -> str:
    start = html.index(f'<div id="{id_}">')
    return _text(html[start : html.index("</div>", start)])


def test_oversattningen_fram_och_tillbaka():
    assert bilagetexter.till_namn(LAGRAD) == VISAD
    assert bilagetexter.fran_namn(VISAD) == LAGRAD
    varden = bilagetexter.varden(ar=2025, sammanstallningsdatum=dt.date(2026, 1, 20))
    vantat = (
        "Perioden 1 januari till och med den 31 december 2025, sammanställd 20 januari 2026, "
        "år 2025."
    )
    assert bilagetexter.fyll_i(LAGRAD, varden) == vantat
    assert bilagetexter.fyll_i(VISAD, varden) == vantat


def test_redigeraren_visar_namn_och_forhandsvisning(
    client, forbund: Forbund, verksamhetsutvecklare
):
    forbund.metod_text = LAGRAD
    forbund.save()
    Arsbilaga.objects.create(forbund=forbund, ar=2025, sammanstallningsdatum=dt.date(2026, 1, 20))
    client.force_login(verksamhetsutvecklare)

    html = client.get(URL).content.decode()

    assert _textarea(html, "metod_text") == VISAD
    # Nothing the user sees holds a raw placeholder (the script's data may, for the preview).
    synligt = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    for ra in ("{period}", "{ar}", "{sammanstallningsdatum}"):
        assert ra not in synligt
    knappar = re.findall(r'<li data-infoga="[^"]+" data-knapp="([^"]+)"', html)
    assert knappar == [
        "Infoga: Rapportåret (2025)",
        "Infoga: Perioden (1 januari till och med den 31 december 2025)",
        "Infoga: Sammanställningsdatumet (20 januari 2026)",
    ]
    # Without JavaScript the names are listed to be typed; texter.js makes them buttons.
    assert "<strong>«rapportår»</strong>: rapportåret, 2025" in html
    assert _forhandsvisning(html, "forhandsvisning-metod") == (
        "Perioden 1 januari till och med den 31 december 2025, sammanställd 20 januari 2026, "
        "år 2025."
    )


def test_forhandsgranska_sparar_inget(client, forbund: Forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    fore = (forbund.bakgrund_text, forbund.metod_text, AuditEntry.objects.count())

    response = client.post(
        URL,
        {
            "bakgrund_text": "Förbundet bildades 2010.\n\nFyra kommuner.",
            "metod_text": "Data för «period» (år {ar}).",
            "sammanstallningsdatum": "2026-02-03",
            "forhandsgranska": "1",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert _forhandsvisning(html, "forhandsvisning-metod") == (
        "Data för 1 januari till och med den 31 december 2025 (år 2025)."
    )
    assert "<p>Förbundet bildades 2010.</p>" in html  # paragraphs as in the bilaga
    # The form keeps what was typed, with the inserts by name.
    assert _textarea(html, "metod_text") == "Data för «period» (år {ar})."
    forbund.refresh_from_db()
    assert (forbund.bakgrund_text, forbund.metod_text, AuditEntry.objects.count()) == fore
    assert not Arsbilaga.objects.filter(forbund=forbund).exists()


def test_spara_lagrar_platshallarna(client, forbund: Forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.post(
        URL, {"bakgrund_text": "", "metod_text": VISAD, "sammanstallningsdatum": ""}
    )
    assert response.status_code == 302
    forbund.refresh_from_db()
    assert forbund.metod_text == LAGRAD


def test_forhandsvisning_med_fel_visar_felet(client, forbund: Forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.post(
        URL,
        {
            "bakgrund_text": "",
            "metod_text": "År «rapportår».",
            "sammanstallningsdatum": "20/1",
            "forhandsgranska": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in html
    assert _forhandsvisning(html, "forhandsvisning-metod") == "År 2025."
