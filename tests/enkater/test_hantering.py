"""The verksamhetsutvecklare's survey pages (enkater.hantering, enkater.affisch): a new round
gives a working public link and a QR code (PNG and SVG) that decodes back to it, the poster is
one A4 page, paper counts are added and audited or refused with Swedish messages, closing and
reopening, own questions and their versions, and who may open what."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import zxingcpp
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from enkater.affisch import RUBRIK, UNDERRUBRIK
from registrering.models import (
    AuditEntry,
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)

IDAG = dt.date(2026, 11, 23)
BAS = "https://finsam.example.se"
KURS = Respondentgrupp.KURSDELTAGARE


@pytest.fixture(autouse=True)
def _idag_och_bas(monkeypatch, settings):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: IDAG)
    settings.FINSAM_BAS_URL = BAS + "/"


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ny_fraga(enkat: Enkat, text: str, alternativ: tuple[str, ...], grupp: str = KURS):
    fraga = Enkatfraga.objects.create(
        forbund=enkat.forbund, enkat=enkat, respondentgrupp=grupp, text=text
    )
    for i, alt in enumerate(alternativ):
        Svarsalternativ.objects.create(fraga=fraga, text=alt, ordning=i, positivt=i >= 2)
    return fraga


@pytest.fixture
def enkat(forbund) -> Enkat:
    enkat = Enkat.objects.create(
        forbund=forbund, namn="Utvärdering av utbildning", slag=Enkat.Slag.UTBILDNING
    )
    ny_fraga(enkat, "Motsvarade utbildningen dina förväntningar?", ("Nej", "Delvis", "Ja"))
    ny_fraga(enkat, "Kan du använda det du lärt dig?", ("Inte alls", "Lite", "Mycket"))
    return enkat


def tillfalle(enkat, *, insats=None, namn="Föreläsning om stress", kalla="lank", **kw):
    return Enkattillfalle.objects.create(
        forbund=enkat.forbund,
        enkat=enkat,
        insats=insats,
        namn=namn,
        datum=kw.pop("datum", IDAG),
        respondentgrupp=KURS,
        kalla=kalla,
        lank=kw.pop("lank", f"nyckel-{namn.replace(' ', '-')}") if kalla == "lank" else None,
        **kw,
    )


def logg(objekt):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(objekt), object_id=str(objekt.pk)
    )


def avkoda_png(data: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def avkoda_svg(svg: bytes) -> list[str]:
    """Draw segno's SVG path (M x y, m dx dy, h n: a dark run of n modules on row y - ½) and
    decode the picture: the SVG a print shop gets is the code, not only the PNG."""
    text = svg.decode()
    storlek = int(re.search(r'<path fill="#fff" d="M0 0h(\d+)', text).group(1))
    (vag,) = re.findall(r'<path stroke="#000" d="([^"]+)"', text)
    skala = 8
    bild = Image.new("1", (storlek * skala, storlek * skala), 1)
    rita = ImageDraw.Draw(bild)
    x = y = 0.0
    for kommando, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", vag):
        if kommando == "M":
            x, y = float(a), float(b)
        elif kommando == "m":
            x, y = x + float(a), y + float(b)
        else:
            rad = int(y - 0.5)
            rita.rectangle(
                [x * skala, rad * skala, (x + float(a)) * skala - 1, (rad + 1) * skala - 1],
                fill=0,
            )
            x += float(a)
    return [r.text for r in zxingcpp.read_barcodes(bild)]


# --- A new round ------------------------------------------------------------------------------


def test_nytt_tillfalle_ger_en_lank_och_en_qr_kod_som_avkodas_till_lanken(
    verksamhetsutvecklare, enkat, insats
):
    c = klient(verksamhetsutvecklare)
    assert c.get(reverse("enkater:tillfalle_ny")).status_code == 200
    response = c.post(
        reverse("enkater:tillfalle_ny"),
        {
            "enkat": enkat.pk,
            "respondentgrupp": KURS,
            "insats": insats.pk,
            "namn": "",
            "datum": "2026-11-23",
            "slutdatum": "2026-12-15",
            "kalla": "lank",
        },
    )
    t = Enkattillfalle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enkater:tillfalle", args=[t.pk])
    assert (t.namn, t.insats, t.enkat, t.respondentgrupp) == (insats.namn, insats, enkat, KURS)
    assert t.slutdatum == dt.date(2026, 12, 15)
    assert t.lank and len(t.lank) >= 32
    lank = f"{BAS}/e/{t.lank}/"
    assert logg(t).filter(user=verksamhetsutvecklare, action=AuditEntry.Action.SKAPAD).exists()

    sida = c.get(response["Location"]).content.decode()
    assert f'href="{lank}"' in sida
    assert "Sista svarsdag" not in sida or "15/12 2026" in sida

    png = c.get(reverse("enkater:qr_png", args=[t.pk]))
    assert png["Content-Type"] == "image/png"
    assert avkoda_png(png.content) == [lank]
    svg = c.get(reverse("enkater:qr_svg", args=[t.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert avkoda_svg(svg.content) == [lank]


def test_nytt_tillfalle_pa_papper_har_ingen_lank_och_ingen_qr_kod(verksamhetsutvecklare, enkat):
    c = klient(verksamhetsutvecklare)
    c.post(
        reverse("enkater:tillfalle_ny"),
        {
            "enkat": enkat.pk,
            "respondentgrupp": KURS,
            "namn": "Kurs i Motala",
            "datum": "2026-11-02",
            "kalla": "papper",
        },
    )
    t = Enkattillfalle.objects.get()
    assert (t.kalla, t.lank) == ("papper", None)
    assert c.get(reverse("enkater:qr_png", args=[t.pk])).status_code == 404
    assert c.get(reverse("enkater:affisch", args=[t.pk])).status_code == 404


def test_nytt_tillfalle_nekas_med_svenska_fel_vid_faltet_och_sparar_inget(
    verksamhetsutvecklare, enkat
):
    c = klient(verksamhetsutvecklare)
    response = c.post(
        reverse("enkater:tillfalle_ny"),
        {
            "enkat": enkat.pk,
            "respondentgrupp": Respondentgrupp.STYRELSE,  # the enkät asks the styrelse nothing
            "namn": "Styrelsedag",
            "datum": "2026-11-23",
            "slutdatum": "2026-11-01",
            "kalla": "lank",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "före första" in " ".join(form.errors["slutdatum"])
    assert "inga frågor" in " ".join(form.errors["respondentgrupp"])
    assert "Något behöver rättas – inget har sparats" in response.content.decode()
    assert not Enkattillfalle.objects.exists()


def test_namn_eller_insats_kravs(verksamhetsutvecklare, enkat):
    response = klient(verksamhetsutvecklare).post(
        reverse("enkater:tillfalle_ny"),
        {"enkat": enkat.pk, "respondentgrupp": KURS, "datum": "2026-11-23", "kalla": "lank"},
    )
    assert response.context["form"].errors["namn"] == [
        "Skriv ett namn på tillfället eller välj en insats."
    ]
    assert not Enkattillfalle.objects.exists()


# --- The poster -----------------------------------------------------------------------------


def test_affischen_som_pdf_ar_en_a4_sida_med_lanken(verksamhetsutvecklare, enkat, insats):
    t = tillfalle(enkat, insats=insats, slutdatum=dt.date(2026, 12, 15))
    response = klient(verksamhetsutvecklare).get(reverse("enkater:affisch_pdf", args=[t.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    sida = pdf.pages[0]
    assert (round(float(sida.mediabox.width)), round(float(sida.mediabox.height))) == (595, 842)
    text = " ".join(sida.extract_text().split())
    assert "Vad tycker du?" in text and "det tar två minuter" in text
    assert f"finsam.example.se/e/{t.lank}/" in text.replace(" ", "")
    assert "Föreläsning om stress" in text and insats.namn in text
    assert "15/12 2026" in text


def test_affischen_att_skriva_ut(verksamhetsutvecklare, enkat):
    t = tillfalle(enkat)
    response = klient(verksamhetsutvecklare).get(reverse("enkater:affisch", args=[t.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="affisch__rubrik">{RUBRIK}</h1>' in html and UNDERRUBRIK in html
    assert f"finsam.example.se/e/{t.lank}/" in html
    assert 'src="data:image/svg+xml' in html
    assert "css/affisch.css" in html and "<style" not in html


# --- Paper counts ---------------------------------------------------------------------------


def _alternativ(enkat: Enkat) -> list[list[Svarsalternativ]]:
    return [list(f.alternativ.order_by("ordning")) for f in enkat.fragor.order_by("pk")]


def test_pappersvar_laggs_till_och_skrivs_i_andringsloggen(verksamhetsutvecklare, enkat):
    t = tillfalle(enkat, kalla="papper")
    (nej, delvis, ja), (_inte, _lite, mycket) = _alternativ(enkat)
    Enkatsvar.objects.create(tillfalle=t, alternativ=ja, antal=2)
    t.antal_svar = 2
    t.save()
    c = klient(verksamhetsutvecklare)
    data = {
        "papper-antal_formular": "5",
        f"papper-alternativ_{ja.pk}": "3",
        f"papper-alternativ_{delvis.pk}": "1",
        f"papper-alternativ_{nej.pk}": "",
        f"papper-alternativ_{mycket.pk}": "4",
    }
    response = c.post(reverse("enkater:pappersvar", args=[t.pk]), data)
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.antal_svar == 7
    antal = dict(Enkatsvar.objects.filter(tillfalle=t).values_list("alternativ_id", "antal"))
    assert antal == {ja.pk: 5, delvis.pk: 1, mycket.pk: 4}
    rad = logg(t).filter(user=verksamhetsutvecklare).latest("pk")
    assert "antal_svar" in rad.changes
    assert "5 pappersformulär har lagts till." in c.get(response["Location"]).content.decode()


def test_pappersvar_med_fler_svar_an_formular_nekas_och_inget_sparas(verksamhetsutvecklare, enkat):
    t = tillfalle(enkat, kalla="papper")
    (nej, _delvis, ja), _ = _alternativ(enkat)
    response = klient(verksamhetsutvecklare).post(
        reverse("enkater:pappersvar", args=[t.pk]),
        {
            "papper-antal_formular": "3",
            f"papper-alternativ_{ja.pk}": "3",
            f"papper-alternativ_{nej.pk}": "2",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Något behöver rättas – inget har sparats" in html
    assert "har 5 svar men bara 3 formulär" in html
    t.refresh_from_db()
    assert t.antal_svar == 0
    assert not Enkatsvar.objects.exists()


@pytest.mark.parametrize(
    ("antal_formular", "varde", "falt", "meddelande"),
    [
        ("", "1", "antal_formular", "Fyll i ett antal (0 om inga)."),
        ("2", "tre", "alternativ", "Ange ett heltal med siffrorna 0–9"),
        ("0", "", "antal_formular", "Ange hur många formulär som lämnades in."),
        ("2", "-1", None, "kan inte vara mindre än 0"),
    ],
)
def test_pappersvar_som_inte_ar_antal_nekas(
    verksamhetsutvecklare, enkat, antal_formular, varde, falt, meddelande
):
    t = tillfalle(enkat, kalla="papper")
    (_nej, _delvis, ja), _ = _alternativ(enkat)
    response = klient(verksamhetsutvecklare).post(
        reverse("enkater:pappersvar", args=[t.pk]),
        {"papper-antal_formular": antal_formular, f"papper-alternativ_{ja.pk}": varde},
    )
    assert response.status_code == 200
    form = response.context["form"]
    namn = {"antal_formular": "antal_formular", "alternativ": f"alternativ_{ja.pk}"}.get(falt)
    assert meddelande in " ".join(form.errors[namn] if namn else form.non_field_errors())
    assert "Något behöver rättas – inget har sparats" in response.content.decode()
    assert not Enkatsvar.objects.exists()
    assert Enkattillfalle.objects.get().antal_svar == 0


def test_ett_stangt_tillfalle_tar_inga_pappersvar(verksamhetsutvecklare, enkat):
    t = tillfalle(enkat, kalla="papper", stangd=True)
    (_nej, _delvis, ja), _ = _alternativ(enkat)
    response = klient(verksamhetsutvecklare).post(
        reverse("enkater:pappersvar", args=[t.pk]),
        {"papper-antal_formular": "1", f"papper-alternativ_{ja.pk}": "1"},
    )
    assert "är stängd och tar inte emot fler svar" in response.content.decode()
    assert not Enkatsvar.objects.exists()


# --- Closing and reopening ------------------------------------------------------------------


def test_stang_och_oppna_igen(verksamhetsutvecklare, enkat):
    t = tillfalle(enkat)
    c = klient(verksamhetsutvecklare)
    response = c.post(reverse("enkater:tillfalle_stang", args=[t.pk]))
    assert response["Location"] == reverse("enkater:tillfalle", args=[t.pk])
    t.refresh_from_db()
    assert t.stangd
    assert "Stängd" in c.get(reverse("enkater:hantering")).content.decode()
    c.post(reverse("enkater:tillfalle_oppna", args=[t.pk]))
    t.refresh_from_db()
    assert not t.stangd
    assert logg(t).count() == 2


# --- The list -------------------------------------------------------------------------------


def test_listan_visar_tillfallen_med_status_svar_period_och_lank(
    verksamhetsutvecklare, enkat, insats
):
    tillfalle(enkat, insats=insats, antal_svar=12, slutdatum=dt.date(2026, 12, 1))
    tillfalle(enkat, namn="Kurs i våras", datum=dt.date(2026, 4, 1), slutdatum=dt.date(2026, 4, 30))
    tillfalle(enkat, namn="Nästa kurs", datum=dt.date(2026, 12, 10))
    html = klient(verksamhetsutvecklare).get(reverse("enkater:hantering")).content.decode()
    assert "Föreläsning om stress" in html and insats.namn in html
    assert "23/11 2026–1/12 2026" in html
    assert ">12<" in html
    assert f"{BAS}/e/nyckel-Föreläsning-om-stress/" in html
    assert "Öppen" in html
    assert "Sista dagen att svara på Kurs i våras var 30/4 2026." in html
    assert "Nästa kurs tar emot svar från och med 10/12 2026." in html
    assert reverse("enkater:tillfalle_ny") in html
    assert reverse("enkater:resultat") in html


@pytest.mark.parametrize("antal", [3, 12])
def test_listan_har_samma_antal_fragor_hur_manga_tillfallen_som_helst(
    verksamhetsutvecklare, enkat, insats, antal, django_assert_max_num_queries
):
    for i in range(antal):
        tillfalle(enkat, insats=insats if i % 2 else None, namn=f"Kurs {i}")
    c = klient(verksamhetsutvecklare)
    c.get(reverse("enkater:hantering"))  # the session and the user, read once
    with django_assert_max_num_queries(9):
        assert c.get(reverse("enkater:hantering")).status_code == 200


def test_menyn_har_enkater_for_alla_roller(verksamhetsutvecklare, styrelse, insatsansvarig):
    for user in (verksamhetsutvecklare, styrelse, insatsansvarig):
        html = klient(user).get(reverse("enkater:hantering")).content.decode()
        assert f'<a href="{reverse("enkater:hantering")}" aria-current="page">Enkäter</a>' in html


# --- Who may open what ----------------------------------------------------------------------


def test_en_annan_forbunds_verksamhetsutvecklare_far_404(utomstaende, enkat):
    t = tillfalle(enkat)
    fraga = enkat.fragor.first()
    c = klient(utomstaende)
    for namn in ("tillfalle", "qr_svg", "qr_png", "affisch", "affisch_pdf"):
        assert c.get(reverse(f"enkater:{namn}", args=[t.pk])).status_code == 404, namn
    for namn in ("pappersvar", "tillfalle_stang", "tillfalle_oppna"):
        assert c.post(reverse(f"enkater:{namn}", args=[t.pk])).status_code == 404, namn
    assert c.get(reverse("enkater:fraga_andra", args=[fraga.pk])).status_code == 404
    assert "Föreläsning om stress" not in c.get(reverse("enkater:hantering")).content.decode()


def test_insatsansvarig_ser_bara_sina_insatsers_affischer(
    insatsansvarig, enkat, insats, annan_insats
):
    egen = tillfalle(enkat, insats=insats, namn="Egen runda")
    annan = tillfalle(enkat, insats=annan_insats, namn="Annan runda")
    utbildning = tillfalle(enkat, namn="Utbildningsdag")
    c = klient(insatsansvarig)
    for namn in ("qr_svg", "qr_png", "affisch", "affisch_pdf"):
        assert c.get(reverse(f"enkater:{namn}", args=[egen.pk])).status_code == 200, namn
        assert c.get(reverse(f"enkater:{namn}", args=[annan.pk])).status_code == 403, namn
        assert c.get(reverse(f"enkater:{namn}", args=[utbildning.pk])).status_code == 403, namn
    # Managing rounds is the kansli's.
    assert c.get(reverse("enkater:tillfalle", args=[egen.pk])).status_code == 403
    assert c.post(reverse("enkater:tillfalle_stang", args=[egen.pk])).status_code == 403
    assert c.get(reverse("enkater:tillfalle_ny")).status_code == 403
    assert c.get(reverse("enkater:fragor")).status_code == 403
    html = c.get(reverse("enkater:hantering")).content.decode()
    assert "Egen runda" in html and reverse("enkater:affisch", args=[egen.pk]) in html
    assert "Annan runda" not in html and "Utbildningsdag" not in html
    assert reverse("enkater:tillfalle_ny") not in html


def test_styrelsen_ser_tillfallena_men_hanterar_inte(styrelse, enkat):
    t = tillfalle(enkat)
    c = klient(styrelse)
    html = c.get(reverse("enkater:hantering")).content.decode()
    assert "Föreläsning om stress" in html
    assert reverse("enkater:tillfalle", args=[t.pk]) not in html
    assert c.get(reverse("enkater:tillfalle", args=[t.pk])).status_code == 403
    assert c.get(reverse("enkater:affisch", args=[t.pk])).status_code == 403


# --- Questions ------------------------------------------------------------------------------


def test_fragorna_per_enkat_och_grupp_med_skala(verksamhetsutvecklare, enkat):
    html = klient(verksamhetsutvecklare).get(reverse("enkater:fragor")).content.decode()
    assert "Motsvarade utbildningen dina förväntningar?" in html
    assert "Deltagare i utbildning" in html
    assert "Nej · Delvis · <strong>Ja</strong>" in html


def test_egen_fraga_och_ny_version_nar_den_har_svar(verksamhetsutvecklare, enkat):
    c = klient(verksamhetsutvecklare)
    data = {
        "enkat": enkat.pk,
        "respondentgrupp": KURS,
        "indikator": "",
        "text": "Var lokalen bra?",
        "alternativ_1": "Nej",
        "alternativ_2": "Ja",
        "positivt_2": "on",
    }
    response = c.post(reverse("enkater:fraga_ny"), data)
    fraga = Enkatfraga.objects.get(text="Var lokalen bra?")
    assert response["Location"] == f"{reverse('enkater:fragor')}#fraga-{fraga.pk}"
    assert [(a.text, a.positivt) for a in fraga.alternativ.order_by("ordning")] == [
        ("Nej", False),
        ("Ja", True),
    ]
    t = tillfalle(enkat)
    Enkatsvar.objects.create(tillfalle=t, alternativ=fraga.alternativ.get(text="Ja"), antal=4)

    sida = c.get(reverse("enkater:fraga_andra", args=[fraga.pk])).content.decode()
    assert "Frågan har svar" in sida and "version 2" in sida
    response = c.post(
        reverse("enkater:fraga_andra", args=[fraga.pk]),
        {**data, "text": "Var lokalen bra för dig?"},
    )
    ny = Enkatfraga.objects.get(text="Var lokalen bra för dig?")
    assert (ny.version, ny.ersatter, ny.aktiv) == (2, fraga, True)
    fraga.refresh_from_db()
    assert not fraga.aktiv
    assert Enkatsvar.objects.get(antal__gt=0).alternativ.fraga == fraga
    # The new version's options have their rows with 0 in the link round already.
    assert {
        (s.alternativ.text, s.antal) for s in Enkatsvar.objects.filter(alternativ__fraga=ny)
    } == {
        ("Nej", 0),
        ("Ja", 0),
    }
    assert "version 2" in c.get(response["Location"]).content.decode()


def test_fraga_med_ett_alternativ_nekas_vid_faltet(verksamhetsutvecklare, enkat):
    c = klient(verksamhetsutvecklare)
    response = c.post(
        reverse("enkater:fraga_ny"), {"enkat": enkat.pk, "text": "Något mer?", "alternativ_1": "Ja"}
    )
    assert response.context["form"].errors["alternativ_1"] == [
        "Frågan behöver minst två svarsalternativ."
    ]
    response = c.post(
        reverse("enkater:fraga_ny"),
        {
            "enkat": enkat.pk,
            "text": "Något mer?",
            "alternativ_1": "Nej",
            "alternativ_2": "Ja",
            "positivt_3": "on",
        },
    )
    assert response.context["form"].errors["alternativ_3"] == [
        "Skriv alternativet eller ta bort krysset."
    ]
    assert not Enkatfraga.objects.filter(text="Något mer?").exists()


def test_id_i_sidorna_utan_tusentalsavgransare(verksamhetsutvecklare, forbund):
    """Ids of 1 000 and more are written without the thousands separator in HTML ids (an id
    with a space is invalid and breaks aria-labelledby)."""
    stor = Enkat.objects.create(id=12345, forbund=forbund, namn="Stor enkät")
    ny_fraga(stor, "Hur var det?", ("Bra", "Dåligt"))
    for adress in ("/enkater/fragor/", "/enkater/"):
        sida = klient(verksamhetsutvecklare).get(adress).content.decode()
        assert 'id="enkat-12345"' in sida, adress
        assert "12\u00a0345" not in sida and "12 345" not in sida
