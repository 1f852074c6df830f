"""Insatser financed by several förbund (issue 14, point 3), on the read side: the co-financier's
bilaga lists the insats apart with its amount, share and figures (approved months only) and its
own totals stay as they were; the owner's bilaga marks the insats; a joint report over several
förbund counts every participant once. Constant query counts, and no writes.

As in seed 004: IT-spåret is run by Höglandet and co-financed by Södra Vätterbygden (600 tKr)
and Finnveden (200 tKr); Höglandet's own 600 tKr is not recorded, so the shares are entered:
42,86 % and 14,29 %, leaving Höglandet 42,85 %."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from rapporter import pdf
from rapporter.arsdata import arsdata
from rapporter.samfinansiering import bilagans_samfinansiering, gemensamma_insatser
from rapporter.selectors import arsrapport
from registrering.ledger import Kon
from registrering.models import Manadsrapport, Medfinansiering
from tests import factories as f

pytestmark = pytest.mark.django_db
AR = 2024
GODKAND = Manadsrapport.Status.GODKAND


@pytest.fixture
def sov(db):
    return f.ForbundFactory(namn="Samordningsförbundet Södra Vätterbygden", kortnamn="SÖV")


@pytest.fixture
def fin(db):
    return f.ForbundFactory(namn="Finnvedens samordningsförbund", kortnamn="FIN")


@pytest.fixture
def hog(db):
    return f.ForbundFactory(namn="Höglandets samordningsförbund", kortnamn="HÖG")


def _flode(insats, *, ingaende=(0, 0), manader=(), ar=AR):
    """An insats's year: the ingående balans and (manad, nya kvinnor, nya män, avslutade män,
    status) per month."""
    f.IngaendeBalansFactory(insats=insats, ar=ar, kvinnor=ingaende[0], man=ingaende[1])
    for manad, nk, nm, am, status in manader:
        Manadsrapport.objects.create(
            insats=insats,
            ar=ar,
            manad=manad,
            nya_kvinnor=nk,
            nya_man=nm,
            avslutade_man=am,
            status=status,
        )


@pytest.fixture
def it_sparet(hog):
    insats = f.InsatsFactory(forbund=hog, namn="IT-spåret")
    # Approved: 1 + 4 nya, 2 + 2 avslutade; March is only sent in, and counts nowhere here.
    _flode(
        insats,
        ingaende=(1, 1),
        manader=[
            (1, 1, 2, 2, GODKAND),
            (2, 0, 2, 2, Manadsrapport.Status.REGISTRERAD),
            (3, 5, 5, 0, Manadsrapport.Status.INSKICKAD),
        ],
    )
    return insats


@pytest.fixture
def egna(sov, fin, hog):
    """Each förbund's own insats, approved."""
    result = {}
    for forbund, namn, nya in (
        (sov, "NOVA", 6),
        (fin, "Samverkansteam Finnveden", 3),
        (hog, "SE-Höglandet", 8),
    ):
        insats = f.InsatsFactory(forbund=forbund, namn=namn)
        _flode(insats, ingaende=(2, 2), manader=[(1, nya, 0, 1, GODKAND)])
        result[forbund.kortnamn] = insats
    return result


def _medfinansiera(insats, finansiar, belopp, andel, ar=AR):
    return Medfinansiering.objects.create(
        insats=insats, finansiar=finansiar, ar=ar, belopp=belopp, andel=Decimal(andel)
    )


@pytest.fixture
def samfinansierad(it_sparet, sov, fin):
    _medfinansiera(it_sparet, sov, 600_000, "42.86")
    _medfinansiera(it_sparet, fin, 200_000, "14.29")
    return it_sparet


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").split())


# --- the co-financier's bilaga ----------------------------------------------------------------


def test_medfinansiarens_bilaga_listar_insatsen_och_dess_totaler_ar_oforandrade(
    egna, it_sparet, sov, fin
):
    fore = arsdata(forbund=fin, ar=AR)
    _medfinansiera(it_sparet, sov, 600_000, "42.86")
    _medfinansiera(it_sparet, fin, 200_000, "14.29")

    efter = arsdata(forbund=fin, ar=AR)
    assert efter == fore  # no double counting: IT-spåret is Höglandet's
    assert [i.namn for i in efter.insatser] == ["Samverkansteam Finnveden"]

    rapport = arsrapport(forbund=fin, ar=AR)
    assert rapport.data == fore
    (rad,) = rapport.samfinansiering.medfinansierade
    assert (rad.insats.namn, rad.insats.agare_namn) == (
        "IT-spåret",
        "Höglandets samordningsförbund",
    )
    assert (rad.belopp, rad.andel, rad.andel_text) == (200_000, Decimal("14.29"), "14,29\xa0%")
    # Approved months only: the sent-in March counts nowhere.
    assert rad.insats.ingaende == Kon(1, 1)
    assert rad.insats.nya == Kon(1, 4)
    assert rad.insats.avslutade == Kon(0, 4)
    assert rad.insats.deltagare == Kon(2, 5)
    assert rapport.samfinansiering.markeringar is None  # none of Finnveden's own is co-financed


def test_medfinansiarens_bilaga_visar_avsnittet_med_not(samfinansierad, egna, fin):
    html = pdf.html(arsrapport(forbund=fin, ar=AR))
    text = _text(html)
    assert '<h3 id="samfinansierade">Samfinansierade insatser</h3>' in html
    assert '<a href="#samfinansierade">Samfinansierade insatser</a>' in html
    assert (
        "IT-spåret (samfinansierad) Höglandets samordningsförbund 200 000 kr 14,29 % 2 5 5 4"
        in text
    )
    assert "de ingår inte i FINs siffror ovan, så att ingen deltagare räknas två gånger" in text
    assert "Siffrorna gäller godkända månader." in text
    # Finnveden's own flow table still counts only its own insats: 4 + 3 deltagare.
    assert "Deltagare totalt 2024 7" in text


def test_agarens_bilaga_marker_insatsen(samfinansierad, egna, hog):
    rapport = arsrapport(forbund=hog, ar=AR)
    assert rapport.samfinansiering.markeringar == {
        samfinansierad.pk: "samfinansierad med Finnvedens samordningsförbund (14,29\xa0%) och "
        "Samordningsförbundet Södra Vätterbygden (42,86\xa0%)"
    }
    assert rapport.samfinansiering.medfinansierade == ()
    html = pdf.html(rapport)
    text = _text(html)
    assert (
        '<th scope="row">IT-spåret<span class="samfinansierad">, samfinansierad med Finnvedens '
        "samordningsförbund (14,29\xa0%) och Samordningsförbundet Södra Vätterbygden "
        "(42,86\xa0%)</span></th>" in html
    )
    assert "SE-Höglandet, samfinansierad" not in text
    assert "Samfinansierade insatser" not in text
    # The owner counts its participants, also the unapproved month (as its bilaga always does).
    it = next(i for i in rapport.data.insatser if i.namn == "IT-spåret")
    assert it.nya == Kon(6, 9)


def test_ett_annat_ar_har_ingen_samfinansiering(samfinansierad, fin, hog):
    assert bilagans_samfinansiering(forbund=fin, ar=AR + 1).tom
    assert bilagans_samfinansiering(forbund=hog, ar=AR + 1).tom


def test_volyminsats_visas_utan_deltagarsiffror(hog, fin):
    volym = f.VolyminsatsFactory(forbund=hog, namn="Inspirationsdag")
    _medfinansiera(volym, fin, 50_000, "10")
    rapport = arsrapport(forbund=fin, ar=AR)
    html = render_to_string("rapporter/_samfinansierade.html", {"r": rapport, "a": rapport.data})
    assert (
        "Inspirationsdag (samfinansierad) Höglandets samordningsförbund 50 000 kr 10 % "
        "Följs inte upp med deltagarflöde." in _text(html)
    )


# --- query counts and no writes ----------------------------------------------------------------


def _fler_samfinansierade(hog, sov, fin, antal):
    for n in range(antal):
        insats = f.InsatsFactory(forbund=hog, namn=f"Gemensam {n:02d}")
        _flode(insats, ingaende=(1, 0), manader=[(1, 1, 1, 0, GODKAND), (2, 0, 1, 1, GODKAND)])
        _medfinansiera(insats, fin, 1000 * n, "20")
        _medfinansiera(insats, sov, 1000 * n, "30")


@pytest.mark.parametrize("antal", [1, 12])
def test_bilagans_samfinansiering_konstant_antal_fragor_och_inga_skrivningar(
    hog, sov, fin, antal, django_assert_num_queries
):
    _fler_samfinansierade(hog, sov, fin, antal)
    with CaptureQueriesContext(connection) as fragor:
        # One of them reads the yearly totals of the insatser without months that year, one
        # the owners' data versions (last year's closing balances are kept by them: one query
        # for every owner, `rapporter.arscache.per_forbund`).
        with django_assert_num_queries(8):
            medfinansiarens = bilagans_samfinansiering(forbund=fin, ar=AR)
        with django_assert_num_queries(1):
            agarens = bilagans_samfinansiering(forbund=hog, ar=AR)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in fragor.captured_queries)
    assert len(medfinansiarens.medfinansierade) == antal
    assert len(agarens.markeringar or {}) == antal


@pytest.mark.parametrize("antal", [1, 12])
def test_gemensamma_insatser_konstant_antal_fragor(
    hog, sov, fin, egna, antal, django_assert_num_queries
):
    _fler_samfinansierade(hog, sov, fin, antal)
    # One of them the owners' data versions (last year's closing balances are kept by them).
    with CaptureQueriesContext(connection) as fragor, django_assert_num_queries(9):
        gemensamma = gemensamma_insatser(forbund_ids=[sov.pk, fin.pk, hog.pk], ar=AR)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in fragor.captured_queries)
    assert len(gemensamma.insatser) == antal + 3


# --- the joint report's selector ---------------------------------------------------------------


def test_gemensam_rapport_raknar_varje_deltagare_en_gang(samfinansierad, egna, sov, fin, hog):
    gemensamma = gemensamma_insatser(forbund_ids=[sov.pk, fin.pk, hog.pk], ar=AR)
    namn = [i.namn for i in gemensamma.insatser]
    assert sorted(namn) == sorted({*namn})  # each insats once
    assert len(namn) == 4
    it = next(i for i in gemensamma.insatser if i.namn == "IT-spåret")
    assert (it.agare_id, it.samfinansierad) == (hog.pk, True)
    assert [(fi.kortnamn, fi.andel, fi.belopp, fi.agare) for fi in it.finansiarer] == [
        ("HÖG", Decimal("42.85"), None, True),
        ("FIN", Decimal("14.29"), 200_000, False),
        ("SÖV", Decimal("42.86"), 600_000, False),
    ]
    assert it.andel(fin.pk) == Decimal("14.29") and it.andel(9999) == 0

    # By hand: NOVA 4 + 6, Samverkansteam 4 + 3, SE-Höglandet 4 + 8 (kvinnor 2 + nya, män 2),
    # IT-spåret 2 + 5 (approved months only).
    assert gemensamma.deltagare == Kon(2 + 6 + 2 + 3 + 2 + 8 + 1 + 1, 2 + 2 + 2 + 1 + 4)
    assert gemensamma.nya == Kon(6 + 3 + 8 + 1, 4)
    assert gemensamma.avslutade == Kon(0, 3 + 4)
    # The same as the three owners' own figures (approved months) summed: nobody twice.
    per_forbund = Kon.summa(
        gemensamma_insatser(forbund_ids=[fb.pk], ar=AR).deltagare for fb in (sov, fin, hog)
    )
    assert per_forbund == gemensamma.deltagare
    assert {k: [i.namn for i in v] for k, v in gemensamma.per_agare().items()} == {
        sov.pk: ["NOVA"],
        fin.pk: ["Samverkansteam Finnveden"],
        hog.pk: ["IT-spåret", "SE-Höglandet"],
    }


def test_gemensam_rapport_utan_agaren_listar_men_raknar_inte_insatsen(
    samfinansierad, egna, sov, fin
):
    gemensamma = gemensamma_insatser(forbund_ids=[sov.pk, fin.pk], ar=AR)
    assert [i.namn for i in gemensamma.utanfor] == ["IT-spåret"]
    assert sorted(i.namn for i in gemensamma.egna) == ["NOVA", "Samverkansteam Finnveden"]
    assert gemensamma.deltagare == Kon(2 + 6 + 2 + 3, 4)


# --- the demo group (seed 004) -----------------------------------------------------------------


def test_demogruppen_it_sparet_medfinansieras_och_raknas_en_gang():
    from registrering.demodata.samverkan import ladda_grupp
    from samverkan.selectors import samverkansrapport

    grupp = ladda_grupp()
    ladda_grupp()  # idempotent
    forbund = {fb.kortnamn: fb for fb in grupp.forbund.all()}
    assert Medfinansiering.objects.count() == 2

    finnveden = bilagans_samfinansiering(forbund=forbund["FIN"], ar=AR)
    (rad,) = finnveden.medfinansierade
    assert (rad.insats.namn, rad.insats.agare_namn) == (
        "IT-spåret",
        "Höglandets samordningsförbund",
    )
    assert (rad.belopp, rad.andel_text) == (200_000, "14,29\xa0%")
    # Seed 004 in the demo: IT-spåret 0 kvinnor and 4 män on 1/1, 5 nya män (split as the
    # avslutade, all män), 4 avslutade män.
    assert (rad.insats.deltagare, rad.insats.nya, rad.insats.avslutade) == (
        Kon(0, 9),
        Kon(0, 5),
        Kon(0, 4),
    )
    assert "IT-spåret" not in [
        i.namn for i in arsrapport(forbund=forbund["FIN"], ar=AR).data.insatser
    ]

    # The joint report over the group counts IT-spåret once, under Höglandet: the same totals
    # as the group's report (samverkan), which counts each insats by its owner.
    gemensamma = gemensamma_insatser(forbund_ids=[fb.pk for fb in forbund.values()], ar=AR)
    assert [i.namn for i in gemensamma.insatser].count("IT-spåret") == 1
    rapport = samverkansrapport(grupp=grupp, ar=AR)
    assert gemensamma.deltagare == rapport.deltagare == Kon(101 + 37 + 67, 93 + 29 + 96)
    assert gemensamma.nya == rapport.nya


# --- the page and the PDF ----------------------------------------------------------------------


def test_medfinansiarens_pdf_har_avsnittet(samfinansierad, egna, fin):
    import io

    from pypdf import PdfReader

    innehall = pdf.rendera(arsrapport(forbund=fin, ar=AR)).innehall
    text = " ".join(
        " ".join(sida.extract_text().split()) for sida in PdfReader(io.BytesIO(innehall)).pages
    )
    assert "Samfinansierade insatser" in text
    assert "Höglandets samordningsförbund" in text
    assert "14,29" in text


def test_medfinansiarens_forbundschef_ser_insatsen_i_bilagan_men_inte_dess_manader(
    client, samfinansierad, egna, fin
):
    from django.urls import reverse

    from registrering.permissions import Roll

    chef = f.UserFactory(username="chef-fin", forbund=fin, roll=Roll.FORBUNDSCHEF, is_staff=True)
    client.force_login(chef)
    sida = client.get(reverse("rapporter:arsrapport", args=[AR]))
    assert sida.status_code == 200
    text = _text(sida.content.decode())
    assert "IT-spåret (samfinansierad) Höglandets samordningsförbund 200 000 kr 14,29 %" in text
    manad = reverse("registrering:manad", args=[samfinansierad.pk, AR, 1])
    assert client.get(manad).status_code == 404


def test_bilagan_gor_lika_manga_fragor_med_1_och_12_samfinansierade_insatser(hog, sov, fin, egna):
    def fragor(forbund):
        cache.clear()  # cold each time: what is kept by data version saves queries
        with CaptureQueriesContext(connection) as fangade:
            arsrapport(forbund=forbund, ar=AR)
        assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in fangade)
        return len(fangade)

    _fler_samfinansierade(hog, sov, fin, 1)
    fa = (fragor(fin), fragor(hog))
    for n in range(1, 12):
        insats = f.InsatsFactory(forbund=hog, namn=f"Fler {n:02d}")
        _flode(insats, ingaende=(1, 0), manader=[(1, 1, 1, 0, GODKAND)])
        _medfinansiera(insats, fin, 1000, "20")
    assert len(bilagans_samfinansiering(forbund=fin, ar=AR).medfinansierade) == 12
    # The owner's bilaga has 11 more insatser of its own; the co-financier's has none.
    assert (fragor(fin), fragor(hog)) == fa


# --- yearly totals (a year brought in from before the product) ---------------------------------


@pytest.fixture
def arstotaler(hog, fin):
    """Höglandet's insatser co-financed by Finnveden whose 2024 is a yearly total: one with the
    gender split, one without; and one with a yearly total and an approved month (months win)."""
    gamla = f.InsatsFactory(forbund=hog, namn="Gamla spåret")
    f.ArstotalFactory(
        insats=gamla,
        ar=AR,
        deltagare_kvinnor=30,
        deltagare_man=20,
        nya_kvinnor=10,
        nya_man=5,
        avslutade_kvinnor=4,
        avslutade_man=6,
        kalla="SUS",
    )
    aldre = f.InsatsFactory(forbund=hog, namn="Äldre spåret")
    f.ArstotalFactory(insats=aldre, ar=AR, deltagare=12, nya=7, avslutade=3, kalla="Excel")
    blandat = f.InsatsFactory(forbund=hog, namn="Blandat")
    f.ArstotalFactory(insats=blandat, ar=AR, deltagare_kvinnor=90, deltagare_man=90)
    _flode(blandat, manader=[(1, 2, 1, 0, GODKAND)])
    for insats in (gamla, aldre, blandat):
        _medfinansiera(insats, fin, 1000, "20")
    return gamla, aldre, blandat


def test_medfinansiarens_bilaga_tar_arstotalen_for_ett_ar_utan_manader(arstotaler, fin):
    s = bilagans_samfinansiering(forbund=fin, ar=AR)
    blandat, gamla, aldre = (m.insats for m in s.medfinansierade)
    assert (gamla.namn, aldre.namn, blandat.namn) == ("Gamla spåret", "Äldre spåret", "Blandat")
    # Deltagare 30/20 = ingående 20/15 + nya 10/5.
    assert (gamla.deltagare, gamla.ingaende) == (Kon(30, 20), Kon(20, 15))
    assert (gamla.nya, gamla.avslutade) == (Kon(10, 5), Kon(4, 6))
    assert gamla.arstotal and not gamla.utan_kon and gamla.arstotal_kalla == "SUS"
    assert (aldre.deltagare, aldre.nya, aldre.avslutade) == (
        Kon(utan_kon=12),
        Kon(utan_kon=7),
        Kon(utan_kon=3),
    )
    assert aldre.utan_kon
    # A year with a monthly report is its months', never its yearly total's.
    assert not blandat.arstotal and blandat.deltagare == Kon(2, 1)
    assert s.arstotaler == (gamla, aldre)


def test_medfinansiarens_bilaga_namner_arstotalerna(arstotaler, egna, fin):
    rapport = arsrapport(forbund=fin, ar=AR)
    html = render_to_string("rapporter/_samfinansierade.html", {"r": rapport, "a": rapport.data})
    text = _text(html)
    assert (
        "Gamla spåret (samfinansierad) Höglandets samordningsförbund 1 000 kr 20 % 30 20 15 10"
        in (text)
    )
    assert (
        "Äldre spåret (samfinansierad) Höglandets samordningsförbund 1 000 kr 20 % "
        "– uppgift saknas – uppgift saknas 7 3" in text
    )
    assert (
        "Årstotal, inte månadsrapporter, för 2024: Gamla spåret (Höglandets samordningsförbund, "
        "SUS), Äldre spåret (Höglandets samordningsförbund, Excel)." in text
    )
    assert "Uppdelning på kön saknas för Äldre spåret" in text
    assert "Uppdelning på kön saknas för Gamla spåret" not in text
    assert "Blandat (Höglandets" not in text


def test_gemensamma_insatser_raknar_arstotalerna(arstotaler, egna, sov, fin, hog):
    utan = gemensamma_insatser(forbund_ids=[sov.pk, fin.pk, hog.pk], ar=AR + 1)
    assert not any(i.arstotal for i in utan.insatser)  # a yearly total is of its year only
    g = gemensamma_insatser(forbund_ids=[sov.pk, fin.pk, hog.pk], ar=AR)
    # The three own insatser (ingående 2/2 + their nya kvinnor), Blandat's months, and the
    # two yearly totals.
    egna_deltagare = Kon(3 * 2 + 6 + 3 + 8, 3 * 2)
    assert g.deltagare == egna_deltagare + Kon(2, 1) + Kon(30, 20) + Kon(utan_kon=12)
    assert g.nya == Kon(6 + 3 + 8 + 2 + 10, 1 + 5, 7)
    assert g.avslutade == Kon(4, 3 + 6, 3)
    assert not g.deltagare.uppdelad


def test_arstotaler_andrar_inte_antalet_fragor(
    arstotaler, egna, sov, fin, hog, django_assert_num_queries
):
    # The same counts as without yearly totals (the tests above).
    with django_assert_num_queries(9):
        gemensamma_insatser(forbund_ids=[sov.pk, fin.pk, hog.pk], ar=AR)
    cache.clear()
    with django_assert_num_queries(8):
        bilagans_samfinansiering(forbund=fin, ar=AR)
