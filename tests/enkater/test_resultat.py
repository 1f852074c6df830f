"""The results page (/enkater/resultat/), its charts and the goal page's survey goal: figures
against hand-computed ones, suppression below the minimum n in the page, the SVG and the goal
page (and the setting changing it), who sees what, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.core.cache import cache

from enkater import diagram as d
from enkater.selectors import enkatresultat
from rapporter.mal import NAR_INTE, NAR_MALET, malsida
from rapporter.mal_sammanfattning import sammanfatta
from registrering.models import Enkat, Respondentgrupp, Verksamhetsplan
from tests import factories as f
from tests.enkater.resultathjalp import fraga, svara, tillfalle

URL = "/enkater/resultat/"
STOD = "Får du stöd på ett sätt som är till stor nytta för dig?"
TID = "Får stödet ta den tid som du behöver?"


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\xa0", " ")


@pytest.fixture
def nns(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="Indikatorer", slag=Enkat.Slag.NNS)


@pytest.fixture
def svar(nns, insats, annan_insats):
    """Two questions: STOD in 2024 in the insatsansvarig's insats (n=20, 16 positive) and in
    the neighbour's (n=20, 8 positive), TID only 3 answers in the neighbour's insats."""
    stod, tid = fraga(nns, STOD), fraga(nns, TID, indikator=3)
    egen = tillfalle(nns, dt.date(2024, 3, 1), insats=insats, namn="Testby")
    grannens = tillfalle(nns, dt.date(2024, 3, 2), insats=annan_insats, namn="Grannby")
    svara(egen, stod, (1, 1, 2, 4, 6, 6))
    svara(grannens, stod, (4, 4, 4, 4, 2, 2))
    svara(grannens, tid, (0, 0, 1, 1, 1, 0))
    return stod, tid


def test_sidan_visar_andelar_n_och_positiva(client, verksamhetsutvecklare, svar):
    client.force_login(verksamhetsutvecklare)
    response = client.get(URL)

    assert response.status_code == 200
    sida = text(response)
    # 40 answers, 24 positive (Ofta, För det mesta, Alltid): 60 %.
    assert "2024 (n=40): 60 % positiva" in sida
    # The table: Aldrig 5 of 40 = 12,5 % -> 13 %, Alltid 8 of 40 = 20 %.
    assert "13 % (5)" in sida and "20 % (8)" in sida
    assert "Indikator 1, deltagare (pågående)" in sida
    # TID had 3 answers: no figures, no chart.
    assert f"{TID}" in sida
    assert "För få svar för att redovisas (2024)" in sida
    html = response.content.decode()
    assert html.count("/enkater/resultat/diagram/") == 1
    assert "(n=3)" not in sida


def test_minsta_n_fran_installningen(client, verksamhetsutvecklare, svar, settings):
    settings.FINSAM_ENKAT_MIN_N = 3
    client.force_login(verksamhetsutvecklare)
    sida = text(client.get(URL))

    assert "2024 (n=3): 67 % positiva" in sida
    assert "Färre än 3 svar på en fråga redovisas inte." in sida

    settings.FINSAM_ENKAT_MIN_N = 41
    sida = text(client.get(URL))
    assert "n=" not in sida
    assert sida.count("För få svar för att redovisas") == 2


def test_filter_per_tillfalle_och_insats(client, verksamhetsutvecklare, svar, insats):
    client.force_login(verksamhetsutvecklare)

    sida = text(client.get(URL, {"visa": "tillfalle"}))
    assert "Testby 1/3 2024 (n=20): 80 % positiva" in sida
    assert "Grannby 2/3 2024 (n=20): 40 % positiva" in sida

    sida = text(client.get(URL, {"insats": insats.pk}))
    assert "2024 (n=20): 80 % positiva" in sida

    sida = text(client.get(URL, {"fran_ar": 2025}))
    assert "n=" not in sida and "Inga svar i urvalet." in sida

    assert client.get(URL, {"fran_ar": 2025, "till_ar": 2024}).status_code == 400
    assert client.get(URL, {"grupp": "ingen"}).status_code == 400


def test_insatsansvarig_ser_bara_sina_egna_tillfallen(client, insatsansvarig, svar, annan_insats):
    client.force_login(insatsansvarig)
    response = client.get(URL)

    assert response.status_code == 200
    sida = text(response)
    # Only the own round: n=20 and 80 %, never the total of 40 that includes the neighbour's.
    assert "2024 (n=20): 80 % positiva" in sida
    assert "n=40" not in sida and "Grannby" not in sida
    assert "Inga svar i urvalet." in sida  # TID: only the neighbour's answers
    # The neighbour's insats cannot be chosen, neither in the form nor by address.
    assert annan_insats.namn not in response.content.decode()
    assert client.get(URL, {"insats": annan_insats.pk}).status_code == 400
    assert client.get(URL, {"visa": "tillfalle"}).status_code == 200
    assert "Grannby" not in text(client.get(URL, {"visa": "tillfalle"}))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("verksamhetsutvecklare", 200),
        ("forbundschef", 200),
        ("styrelse", 200),
        ("insatsansvarig", 200),
        ("utomstaende", 200),
    ],
)
def test_vem_nar_sidan(client, request, svar, persona, status):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL)

    assert response.status_code == status
    if persona == "utomstaende":
        # Their own förbund's (empty) results: nothing of ours.
        assert STOD not in response.content.decode()


def test_anonym_skickas_till_inloggningen(client, svar):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_konto_utan_roll_nekas(client, forbund):
    user = f.UserFactory(username="utan-roll", forbund=forbund)
    client.force_login(user)

    assert client.get(URL).status_code == 403


# --- The charts ---------------------------------------------------------------------------


def _diagramadress(html: str) -> str:
    return unescape(re.search(r'src="(/enkater/resultat/diagram/[^"]+)"', html).group(1))


def test_diagrammet_som_svg(client, verksamhetsutvecklare, svar):
    cache.clear()
    client.force_login(verksamhetsutvecklare)
    adress = _diagramadress(client.get(URL).content.decode())

    response = client.get(adress)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "immutable" in response["Cache-Control"]
    assert "script-src" not in response.get("Content-Security-Policy", "")
    svg = response.content.decode()
    assert "2024 (n=40)" in svg
    for alternativ in ("Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid"):
        assert alternativ in svg  # the legend, in scale order
    assert svg.index("Aldrig") < svg.index("Alltid")
    assert "<script" not in svg


def test_diagrammet_for_en_for_liten_grupp_finns_inte(client, verksamhetsutvecklare, svar):
    _stod, tid = svar
    client.force_login(verksamhetsutvecklare)

    response = client.get(f"/enkater/resultat/diagram/{tid.pk}/deltagare_pagaende.svg")

    assert response.status_code == 404


def test_insatsansvarig_far_inte_kansliets_diagram(
    client, verksamhetsutvecklare, insatsansvarig, svar
):
    """The chart for all rounds, cached for the kansli, is drawn anew for the insatsansvarig
    from their own rounds only."""
    cache.clear()
    client.force_login(verksamhetsutvecklare)
    adress = _diagramadress(client.get(URL).content.decode())
    assert "n=40" in client.get(adress).content.decode()

    client.force_login(insatsansvarig)
    svg = client.get(adress).content.decode()

    assert "n=40" not in svg and "2024 (n=20)" in svg


def test_diagrammets_rader_och_tabell_for_for_fa():
    from enkater.selectors import ForFaSvar, Fragaserie, Stapel, Svarsandel

    serie = Fragaserie(
        fraga_id=1,
        text="Fråga",
        version=1,
        indikator=1,
        respondentgrupp="personal",
        respondentgrupp_namn="Personal i insatser",
        malfraga=False,
        alternativ=("Nej", "Ja"),
        positiva_alternativ=("Ja",),
        staplar=(
            ForFaSvar("2020"),
            Stapel("2022", 8, (Svarsandel("Nej", 2, 25, False), Svarsandel("Ja", 6, 75, True))),
        ),
    )
    dg = d.diagram_for_serie(serie)

    assert dg is not None
    assert dg.rader == ("2020", "2022 (n=8)")
    assert dg.andelar == (None, (25.0, 75.0))
    assert dg.tabell.rader == (
        ("2020", "För få svar för att redovisas", "–", "–"),
        ("2022 (n=8)", "25\u00a0% (2)", "75\u00a0% (6)", "75\u00a0%"),
    )
    svg = d.rendera(dg).decode()
    assert "För få svar för att redovisas" in svg
    assert "2022 (n=8)" in svg
    assert "för få svar för att redovisas" in dg.alt


# --- The goal page ------------------------------------------------------------------------


@pytest.fixture
def utbildning(forbund) -> Enkat:
    return Enkat.objects.create(
        forbund=forbund, namn="Utvärdering av utbildning", slag=Enkat.Slag.UTBILDNING
    )


def _malfraga(utbildning):
    return fraga(
        utbildning,
        "Motsvarade utbildningen dina förväntningar?",
        grupp="",
        indikator=None,
        malfraga=True,
    )


def test_malsidan_laser_webbsvar_papper_och_import(forbund, utbildning):
    mal = _malfraga(utbildning)
    kurs = Respondentgrupp.KURSDELTAGARE
    webb = tillfalle(utbildning, dt.date(2026, 2, 1), grupp=kurs, namn="Webb")
    webb.kalla = "lank"
    webb.save()
    papper = tillfalle(utbildning, dt.date(2026, 5, 1), grupp=kurs, namn="Papper")
    papper.kalla = "papper"
    papper.save()
    importerat = tillfalle(utbildning, dt.date(2026, 9, 1), grupp=kurs, namn="Import")
    svara(webb, mal, (0, 0, 1, 1, 1, 1))  # 3 of 4 positive
    svara(papper, mal, (0, 1, 0, 0, 2, 0))  # 2 of 3
    svara(importerat, mal, (0, 0, 0, 1, 1, 1))  # 3 of 3
    Verksamhetsplan.objects.create(
        forbund=forbund, ar=2026, tilldelning=1_000_000, enkatmal_procent=80
    )

    enkatmal = malsida(forbund=forbund, ar=2026).enkatmal

    assert enkatmal is not None
    # 8 of 10 positive: exactly the 80 % goal.
    assert (enkatmal.positiva, enkatmal.antal_svar, enkatmal.andel) == (8, 10, 80)
    assert (enkatmal.mal_procent, enkatmal.status) == (80, NAR_MALET)


def test_malsidan_under_minsta_n(client, forbund, utbildning, styrelse, settings):
    mal = _malfraga(utbildning)
    runda = tillfalle(utbildning, dt.date(2026, 2, 1), grupp=Respondentgrupp.KURSDELTAGARE)
    svara(runda, mal, (0, 0, 1, 1, 1, 1))  # 4 answers, 3 positive

    enkatmal = malsida(forbund=forbund, ar=2026).enkatmal
    assert enkatmal is not None and enkatmal.for_fa_svar
    assert (enkatmal.positiva, enkatmal.antal_svar, enkatmal.andel) == (0, 0, None)
    assert enkatmal.status == "För få svar för att redovisas"
    punkt = sammanfatta(malsida(forbund=forbund, ar=2026)).punkter[1]
    assert "För få svar för att redovisas" in punkt.text and "4" not in punkt.text

    client.force_login(styrelse)
    sida = text(client.get("/mal/2026/"))
    assert "För få svar för att redovisas" in sida
    assert "av 4 svar" not in sida

    settings.FINSAM_ENKAT_MIN_N = 4
    enkatmal = malsida(forbund=forbund, ar=2026).enkatmal
    assert enkatmal is not None and not enkatmal.for_fa_svar
    assert (enkatmal.positiva, enkatmal.antal_svar, enkatmal.status) == (3, 4, NAR_MALET)
    sida = text(client.get("/mal/2026/"))
    assert "75 % (3 av 4 svar)" in sida


def test_malsidan_utan_plan_ar_malet_75_procent(forbund, utbildning):
    mal = _malfraga(utbildning)
    runda = tillfalle(utbildning, dt.date(2026, 2, 1), grupp=Respondentgrupp.KURSDELTAGARE)
    svara(runda, mal, (1, 1, 1, 1, 2, 2))  # 5 of 8 = 62,5 %

    enkatmal = malsida(forbund=forbund, ar=2026).enkatmal

    assert enkatmal is not None
    assert (enkatmal.mal_procent, enkatmal.andel, enkatmal.status) == (75, 63, NAR_INTE)


# --- Queries ------------------------------------------------------------------------------


def _mycket(enkat: Enkat, insats, antal_tillfallen: int) -> None:
    fragor = [fraga(enkat, f"Fråga {i}", indikator=i + 1) for i in range(4)]
    for t in range(antal_tillfallen):
        runda = tillfalle(
            enkat, dt.date(2020 + t % 6, 1 + t % 12, 1 + t // 72), insats=insats, namn=f"R{t}"
        )
        for fr in fragor:
            svara(runda, fr, (1, 2, 3, 4, 5, 6))


@pytest.mark.parametrize("antal_tillfallen", [3, 30])
@pytest.mark.parametrize("persona", ["verksamhetsutvecklare", "insatsansvarig"])
def test_sidan_gor_lika_manga_fragor_oavsett_mangd(
    client, request, nns, insats, persona, antal_tillfallen, django_assert_num_queries
):
    _mycket(nns, insats, antal_tillfallen)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.get(URL)  # the session and the user's roles are read once here too

    fragor = 10 if persona == "insatsansvarig" else 9
    with django_assert_num_queries(fragor):
        response = client.get(URL, {"visa": "tillfalle"})
    assert response.status_code == 200
    assert len(enkatresultat(forbund=insats.forbund).serier) == 4


def test_tabellrader_som_mallen_skrev_dem():
    """The results page's table rows are built by a filter: the same cells, escaped."""
    from registrering.templatetags.finsam import tabellrader

    html = tabellrader((("2024 (n=86)", "1\u00a0873", "42\u00a0%"), ("<b>&", "0", "0\u00a0%")))
    assert html == (
        '<tr><th scope="row">2024 (n=86)</th><td class="tal">1\u00a0873</td>'
        '<td class="tal">42\u00a0%</td></tr>'
        '<tr><th scope="row">&lt;b&gt;&amp;</th><td class="tal">0</td>'
        '<td class="tal">0\u00a0%</td></tr>'
    )
