"""The transition model's selector: the year's rows in a constant number of queries, the
förbund's matrix summed over its insatser, the year's own key figures or the catalogue's, and
what-if equal to the model's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from effekter import berakning, modell
from effekter.nyckeltal import STANDARD
from registrering import services
from registrering.models import Ersattningsnyckeltal, Inkomstnyckeltal
from tests import factories

AR = 2025


def _matris(user, insats, **celler):
    services.forflyttningar_spara(
        user=user,
        insats=insats,
        ar=AR,
        matris={tuple(k.split("__")): v for k, v in celler.items()},
    )


def test_forbundets_matris_ar_insatsernas_summa_och_raknas_med_arets_nyckeltal(
    forbund, insats, annan_insats, verksamhetsutvecklare
):
    _matris(verksamhetsutvecklare, insats, forsorjningsstod__arbete=3, a_kassa__studier=1)
    _matris(verksamhetsutvecklare, annan_insats, forsorjningsstod__arbete=2)
    services.ersattningsnyckeltal_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=AR,
        kod="forsorjningsstod",
        namn="Försörjningsstöd",
        betalare="kommun",
        arsbelopp=120_000,
        okning=Decimal("2.5"),
        skattepliktig=False,
        kalla="Egen",
    )

    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR, horisont=3)

    assert res.egna_nyckeltal
    assert res.nyckeltal.basar == AR
    assert res.nyckeltal.ersattning("forsorjningsstod").arsbelopp == 120_000
    assert res.nyckeltal.ersattning("forsorjningsstod").arlig_okning == Decimal("0.025")
    assert sorted(res.rader, key=lambda r: r.fran) == [
        modell.Forflyttning("a_kassa", "studier", 1),
        modell.Forflyttning("forsorjningsstod", "arbete", 5),
    ]
    assert res.effekt == modell.berakna_effekt(res.nyckeltal, res.rader, 3)
    assert [a.ar for a in res.effekt.per_ar] == [2025, 2026, 2027]
    per_insats = {i.namn: i for i in res.insatser}
    assert per_insats["Försteg Testby"].rader == (
        modell.Forflyttning("a_kassa", "studier", 1),
        modell.Forflyttning("forsorjningsstod", "arbete", 3),
    )
    assert per_insats["Försteg Grannby"].effekt == modell.berakna_effekt(
        res.nyckeltal, [modell.Forflyttning("forsorjningsstod", "arbete", 2)], 3
    )
    # 120 000 kr of försörjningsstöd saved by the kommun per person in the base year, plus the
    # kommunalskatt on the wage; a krona more would fail.
    forsta = per_insats["Försteg Grannby"].effekt.per_ar[0]
    kommunalskatt = Decimal("0.2067") * 267_120
    assert forsta.kommun == modell.kronor(2 * (120_000 + kommunalskatt))


def test_ett_ar_utan_egna_nyckeltal_raknas_med_katalogens_flyttade_till_aret(forbund):
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    assert not res.egna_nyckeltal
    assert res.nyckeltal == replace(STANDARD, basar=AR)
    assert res.rader == () and res.insatser == ()
    assert res.effekt is not None and res.effekt.totalt == 0


def test_ofullstandiga_nyckeltal_raknas_som_inga(forbund, verksamhetsutvecklare):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)
    Inkomstnyckeltal.objects.filter(forbund=forbund, ar=AR).delete()
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    assert not res.egna_nyckeltal


def _insatser_med_matris(forbund, user, antal, start=0):
    for i in range(start, start + antal):
        insats = factories.InsatsFactory(forbund=forbund, namn=f"Insats {i}")
        _matris(user, insats, forsorjningsstod__arbete=i + 1, sjukpenning__a_kassa=1)


def test_fragorna_ar_lika_manga_for_en_och_fyra_insatser(forbund, verksamhetsutvecklare):
    _insatser_med_matris(forbund, verksamhetsutvecklare, 1)
    with CaptureQueriesContext(connection) as en:
        en_res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    _insatser_med_matris(forbund, verksamhetsutvecklare, 3, start=1)
    with CaptureQueriesContext(connection) as fyra:
        fyra_res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    assert (len(en_res.insatser), len(fyra_res.insatser)) == (1, 4)
    assert len(en) == len(fyra) == 5


def test_forbundet_ser_bara_sina_egna_forflyttningar(
    forbund, annat_forbund, insats, verksamhetsutvecklare, utomstaende
):
    _matris(verksamhetsutvecklare, insats, forsorjningsstod__arbete=3)
    deras = factories.InsatsFactory(forbund=annat_forbund, namn="Annanstans insats")
    _matris(utomstaende, deras, forsorjningsstod__arbete=7)
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    assert res.rader == (modell.Forflyttning("forsorjningsstod", "arbete", 3),)
    assert [i.namn for i in res.insatser] == ["Försteg Testby"]


def test_tank_om_ar_modellens_om_effekt(forbund, insats, verksamhetsutvecklare):
    _matris(verksamhetsutvecklare, insats, forsorjningsstod__arbete=3)
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR, horisont=4)
    svar = berakning.om(res, fran="forsorjningsstod", till="arbete", antal=10)
    assert svar == modell.om_effekt(
        res.nyckeltal,
        res.rader,
        [modell.Forflyttning("forsorjningsstod", "arbete", 10)],
        4,
    )
    assert svar.tillagg.totalt > 0
    # Linear in the counts: ten more are ten times what one more is, up to rounding per cell.
    en = berakning.om(res, fran="forsorjningsstod", till="arbete", antal=1)
    assert abs(svar.tillagg.totalt - 10 * en.tillagg.totalt) <= 10 * 3 * 4


def test_tank_om_med_okand_ersattning_ger_inget_svar(forbund, insats, verksamhetsutvecklare):
    _matris(verksamhetsutvecklare, insats, forsorjningsstod__arbete=3)
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)
    assert berakning.om(res, fran="finns_inte", till="arbete", antal=1) is None
    assert Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=AR).exists()
