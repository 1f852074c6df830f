"""The Indikatorer report (enkater/indikatorer.py, indikatorpdf.py, indikatorvyer.py): its
structure and figures as seed 003 lays them out, suppression below the minimum n in the page and
the PDF, PDF/A-3a and PDF/UA-1, the query count and who may read it."""

from __future__ import annotations

import io
import re

import pytest
from page import validate_pdf_bytes
from pypdf import PdfReader

from enkater import indikatordiagram, indikatorpdf
from enkater.indikatorer import FOR_FA, FOR_FA_INDIKATOR, indikatorrapport
from registrering.models import User
from tests.enkater import indikatordata as data


@pytest.fixture
def nns(forbund, verksamhetsutvecklare):
    data.nns_enkat(forbund)
    data.svar(forbund, verksamhetsutvecklare)
    return forbund


def _fraga(rapport, text):
    return next(f for i in rapport.indikatorer for f in i.fragor if f.text == text)


def test_ar_och_n_per_fraga_som_i_seed_003(nns):
    r = indikatorrapport(forbund=nns, ar=2024)
    assert r.ar_lista == (2020, 2022, 2024)
    assert [(s.ar, s.n) for s in _fraga(r, data.NYTTA_P).staplar] == [
        (2020, 48),
        (2022, 55),
        (2024, 86),
    ]
    assert [s.n for s in _fraga(r, data.NYTTA_A).staplar] == [50, 33, 64]
    assert [s.n for s in _fraga(r, data.PLANERING).staplar] == [19, 33, 64]
    assert _fraga(r, data.NYTTA_P).staplar[0].etikett == "2020 (n=48)"


def test_andelarna_summerar_till_hundra(nns):
    r = indikatorrapport(forbund=nns, ar=2024)
    stapel = _fraga(r, data.PLANERING).staplar[2]
    assert stapel.antal == (20, 44)
    assert stapel.andelar == (31, 69)
    for ind in r.indikatorer:
        for f in ind.fragor:
            for s in f.staplar:
                assert not s.visas or sum(s.andelar) == 100


def test_inledningen_antal_enkater_och_grupper_med_for_fa(nns):
    r = indikatorrapport(forbund=nns, ar=2024)
    # The groups' forms: 86 + 64 + 24 (each import round's most answered question), without
    # the styrelse's 3: the total minus the groups shown would give them.
    assert r.antal_svar == 86 + 64 + 24
    assert (r.forra_ar, r.forra_antal) == (2022, 55 + 33)
    assert [g.grupp for g in r.grupper_for_fa] == ["styrelse", "chefsgrupp"]


def test_under_minsta_n_visas_inga_siffror(nns):
    r = indikatorrapport(forbund=nns, ar=2024)
    personal = _fraga(r, data.PERSONAL)
    assert [(s.ar, s.n, s.antal) for s in personal.staplar] == [
        (2022, None, None),
        (2024, 24, (1, 2, 5, 8, 6, 2)),
    ]
    assert personal.staplar[0].etikett == "2022 (för få svar för att redovisas)"
    strategi = next(i for i in r.indikatorer if i.nummer == 14)
    assert strategi.for_fa_svar and not strategi.visade_fragor


def test_minsta_n_ar_en_installning(nns, settings):
    settings.FINSAM_ENKAT_MIN_N = 3
    r = indikatorrapport(forbund=nns, ar=2024)
    assert _fraga(r, data.STRATEGI).staplar[0].n == 3
    assert _fraga(r, data.PERSONAL).staplar[0].n == 4


def test_ett_annat_forbunds_svar_raknas_inte(nns, annat_forbund, utomstaende):
    data.nns_enkat(annat_forbund)
    data.svar(annat_forbund, utomstaende, {(data.NYTTA_P, 2024): (100, 0, 0, 0, 0, 0)})
    assert _fraga(indikatorrapport(forbund=nns, ar=2024), data.NYTTA_P).staplar[2].n == 86


def test_konstant_antal_fragor(nns, verksamhetsutvecklare, django_assert_num_queries):
    with django_assert_num_queries(4):
        indikatorrapport(forbund=nns, ar=2024)
    data.svar(nns, verksamhetsutvecklare, {(data.NYTTA_P, 2026): (5, 5, 5, 5, 5, 5)})
    with django_assert_num_queries(4):
        r = indikatorrapport(forbund=nns, ar=2026)
    assert r.ar_lista == (2020, 2022, 2024, 2026)


def test_insamlingsaret_borjar_1_november(nns, verksamhetsutvecklare):
    from registrering.models import Enkattillfalle

    tillfalle = Enkattillfalle.objects.get(namn="Import NNS Deltagare (pågående) 2024")
    assert (tillfalle.datum.isoformat(), tillfalle.slutdatum.isoformat()) == (
        "2023-11-01",
        "2024-10-31",
    )
    assert tillfalle.kalla == "import" and tillfalle.antal_svar == 86


# --- The page -------------------------------------------------------------------------------


def test_sidan_visar_indikatorerna_och_doljer_for_fa(nns, client, styrelse):
    client.force_login(styrelse)
    response = client.get("/enkater/indikatorer/2024/")
    assert response.status_code == 200
    html = response.content.decode()
    for nr in range(1, 17):
        assert f"Indikator {nr}:" in html
    assert "Rekommenderade mått: registerstudie" in html
    assert FOR_FA_INDIKATOR in html  # indicator 14: the styrelse's three answers
    assert "2020 (n=48)" in html and "2024 (n=86)" in html
    assert "Från styrelsen och parternas chefsgrupp har alltför få svar" in html
    assert (
        "Under 2024 har totalt 174 enkäter samlats in från de grupper som redovisas, vilket är"
        " fler än vid förra"
    ) in html
    assert "1/11 2023–31/10 2024" in html
    assert "2022: för få svar för att redovisas" in html
    # The suppressed counts are nowhere: not the styrelse's 3, not personal's 4 of 2022.
    assert not re.search(r"n=[34]\b", html) and "Demodata" not in html
    nytta = _fraga(indikatorrapport(forbund=nns, ar=2024), data.NYTTA_P)
    assert f'src="/enkater/indikatorer/2024/diagram/{nytta.id}.svg?v=' in html
    # The export and the import are the kansli's.
    assert "export.csv" not in html and "importera" not in html


def test_diagrammet_som_svg(nns, client, styrelse, insatsansvarig):
    r = indikatorrapport(forbund=nns, ar=2024)
    nytta, strategi = _fraga(r, data.NYTTA_P), _fraga(r, data.STRATEGI)
    client.force_login(styrelse)
    response = client.get(f"/enkater/indikatorer/2024/diagram/{nytta.id}.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "2020 (n=48)" in svg and "För det mesta" in svg
    assert response["Cache-Control"] == "private, no-cache"
    version = indikatordiagram.version(nytta)
    response = client.get(f"/enkater/indikatorer/2024/diagram/{nytta.id}.svg?v={version}")
    assert "immutable" in response["Cache-Control"]
    # A question with too few answers has no chart to ask for.
    assert client.get(f"/enkater/indikatorer/2024/diagram/{strategi.id}.svg").status_code == 404
    client.force_login(insatsansvarig)
    assert client.get(f"/enkater/indikatorer/2024/diagram/{nytta.id}.svg").status_code == 403


def test_sidan_for_kansliet_har_export_och_import(nns, client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    html = client.get("/enkater/indikatorer/2024/").content.decode()
    assert "/enkater/indikatorer/2024/export.csv" in html
    assert "/enkater/indikatorer/importera/" in html


def test_demodata_markeras(nns, client, styrelse):
    from registrering.models import Enkattillfalle

    tillfalle = Enkattillfalle.objects.filter(forbund=nns).first()
    tillfalle.namn = "Demodata " + tillfalle.namn
    tillfalle.save()
    client.force_login(styrelse)
    assert "Demodata:" in client.get("/enkater/indikatorer/2024/").content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("verksamhetsutvecklare", 200),
        ("forbundschef", 200),
        ("styrelse", 200),
        ("insatsansvarig", 403),
        ("utomstaende", 200),  # their own förbund's (empty) report, never ours
    ],
)
def test_behorighet(nns, client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/enkater/indikatorer/2024/")
    assert response.status_code == status
    if persona == "utomstaende":
        assert "n=86" not in response.content.decode()


def test_anonym_loggar_in(client):
    response = client.get("/enkater/indikatorer/2024/")
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


# --- The PDF --------------------------------------------------------------------------------


@pytest.fixture
def pdf_2024(nns):
    return indikatorpdf.rendera_pdf(indikatorrapport(forbund=nns, ar=2024))


def test_pdf_text(pdf_2024):
    assert pdf_2024.filnamn == "Indikatorer-STB-2024.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_2024.innehall)).pages)
    text = " ".join(text.split())
    assert "Indikatorer för finansiell samordning 2024" in text
    assert "Indikator 16:" in text
    assert data.NYTTA_P in text and "(Deltagare (pågående))" in text
    assert "2020 (n=48) · 2022 (n=55) · 2024 (n=86)" in text
    assert FOR_FA_INDIKATOR in text
    assert "Rekommenderade mått: registerstudie" in text
    assert not re.search(r"n=[34]\b", text)
    assert "2022: " + FOR_FA.lower() in text


def test_pdf_a_3a_och_pdf_ua_1(pdf_2024):
    fel = {}
    for profil in ("3a", "ua1"):
        rapport = validate_pdf_bytes(pdf_2024.innehall, profile=profil)
        if not rapport.is_compliant:
            fel[profil] = [f"{f.rule_id}: {f.message}" for f in rapport.failures]
    assert fel == {}


def test_pdf_i_webblasaren(nns, client, forbundschef):
    client.force_login(forbundschef)
    response = client.get("/enkater/indikatorer/2024/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Indikatorer-STB-2024.pdf"'
    assert response.content.startswith(b"%PDF")


# --- The demo ---------------------------------------------------------------------------------


def test_demodata_med_seed_003_n_och_markerad(db, client):
    import datetime as dt

    from registrering import demodata

    forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
    r = indikatorrapport(forbund=forbund, ar=2026)
    assert r.ar_lista == (2020, 2022, 2024, 2026) and r.demodata
    nytta = next(f for f in r.indikatorer[0].fragor if f.respondentgrupp == "deltagare_pagaende")
    assert [s.n for s in nytta.staplar] == [48, 55, 86, 92]
    assert [g.grupp for g in r.grupper_for_fa] == ["styrelse", "chefsgrupp"]
    assert r.indikatorer[13].for_fa_svar and r.indikatorer[14].for_fa_svar
    assert [i.nummer for i in r.indikatorer if i.for_fa_svar] == [14, 15]
    # The bilaga §6 is still the training survey's alone.
    from rapporter.selectors import arsrapport

    fragor = {e.fraga for e in arsrapport(forbund=forbund, ar=2025).enkater}
    assert not fragor & {f.text for i in r.indikatorer for f in i.fragor}
    client.force_login(User.objects.get(username="styrelse"))
    html = client.get("/enkater/indikatorer/2026/").content.decode()
    assert "Demodata:" in html
