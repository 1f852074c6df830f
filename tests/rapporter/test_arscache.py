"""The goal page keeps each earlier year's figures by that year's data version
(`rapporter.arscache`): a write to this year computes this year alone, a write to an earlier
year (or to the whole förbund) computes that year again, and what is kept gives the same page
as computing everything.

The probe: a month of 2025 is changed in the database without bumping any version (as no door
of the product can). Whether the page shows the change tells whether 2025 was computed again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from effekter.selectors import resultat
from rapporter.mal import malsida
from registrering import dataversion, manadsliggare, services
from registrering.ledger import Kon
from registrering.models import BudgeteradVolym, Insats, Manadsrapport, Medlem, Verksamhetsplan
from registrering.services.medlemmar import medlem_spara
from tests import factories as f

pytestmark = pytest.mark.django_db


def _rapport(insats: Insats, ar: int, manad: int, **falt: int) -> None:
    f.ManadsrapportFactory(insats=insats, ar=ar, manad=manad, status="godkand", **falt)


@pytest.fixture
def tre_ar(forbund) -> list[Insats]:
    """Three insatser (one a volyminsats, one in a group) with every month of 2024 and 2025 and
    January–March 2026, a balance entered for 2024 and budgets for 2026."""
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")
    insatser = [
        f.InsatsFactory(forbund=forbund, namn="Flöde A", grupp=grupp),
        f.InsatsFactory(forbund=forbund, namn="Flöde B"),
        f.VolyminsatsFactory(forbund=forbund, namn="Volym C"),
    ]
    for insats in insatser:
        falt = {"volym": 5} if insats.ar_volyminsats else {"nya_kvinnor": 2, "avslutade_man": 1}
        if not insats.ar_volyminsats:
            f.IngaendeBalansFactory(insats=insats, ar=2024, kvinnor=3, man=2)
        for ar, manader in ((2024, 12), (2025, 12), (2026, 3)):
            for manad in range(1, manader + 1):
                _rapport(insats, ar, manad, **falt)
        BudgeteradVolym.objects.create(insats=insats, ar=2026, volym=40)
    return insatser


def _andra_tyst(forbund, ar: int) -> None:
    """December of `ar`: one more ny kvinna and avslutad man per flow insats, no version bump."""
    Manadsrapport.objects.filter(insats__forbund=forbund, ar=ar, manad=12, volym=None).update(
        nya_kvinnor=F("nya_kvinnor") + 1, avslutade_man=F("avslutade_man") + 1
    )


def _december(sida, ar: int) -> int:
    forlopp = sida.forlopp_foregaende if ar == sida.ar - 1 else sida.forlopp
    return next(m.nya.kvinnor for m in forlopp.manader if m.manad == 12)


def _avslutade(sida, ar: int) -> int:
    return next(a.avslutade for a in sida.resultat.per_ar if a.ar == ar)


def test_en_skrivning_i_ar_raknar_inte_om_tidigare_ar(forbund, tre_ar):
    forst = malsida(forbund=forbund, ar=2026)
    _andra_tyst(forbund, 2025)
    _andra_tyst(forbund, 2024)

    dataversion.andrat([(forbund.pk, 2026)])  # what every write to 2026 does
    sida = malsida(forbund=forbund, ar=2026)

    # Last year's line and the earlier years' effects are the kept ones: not computed again.
    assert sida.forlopp_foregaende == forst.forlopp_foregaende
    assert _december(sida, 2025) == 2 * 2
    assert sida.resultat.per_ar == forst.resultat.per_ar
    assert _avslutade(sida, 2024) == _avslutade(forst, 2024) == 2 * 12


def _medlemmar(forbund) -> None:
    """A plan for 2026 and two members, a kommun with its population 31/12 2025."""
    Verksamhetsplan.objects.create(forbund=forbund, ar=2026, tilldelning=1_000_000)
    Medlem.objects.create(forbund=forbund, namn="FK", typ=Medlem.Typ.STAT)
    kommun = Medlem.objects.create(forbund=forbund, namn="Storby kommun", typ=Medlem.Typ.KOMMUN)
    kommun.befolkning.create(ar=2025, invanare=30_000)


def test_en_skrivning_i_ar_laser_inte_insatserna_och_medlemmarna_igen(forbund, tre_ar):
    """Which insatser run in the two years, their names and groups, and the members with
    their population before the year change only with a förbund-wide write or one to an
    earlier year: they are kept with last year's figures."""
    _medlemmar(forbund)
    forst = malsida(forbund=forbund, ar=2026)

    dataversion.andrat([(forbund.pk, 2026)])
    with CaptureQueriesContext(connection) as fangade:
        sida = malsida(forbund=forbund, ar=2026)

    lasta = {
        tabell
        for q in fangade.captured_queries
        for tabell in ("insats", "medlem", "befolkning")
        if q["sql"].startswith(f'SELECT "registrering_{tabell}".')
    }
    assert lasta == set()
    assert sida == forst
    assert sida.ekonomi is not None and sida.ekonomi.befolkning_totalt == 30_000


def test_de_tidigare_arens_versioner_lases_en_gang(forbund, tre_ar):
    """Last year's figures and the earlier years' effects are kept by the same versions."""
    malsida(forbund=forbund, ar=2026)
    dataversion.andrat([(forbund.pk, 2026)])

    with CaptureQueriesContext(connection) as fangade:
        malsida(forbund=forbund, ar=2026)

    versioner = [q for q in fangade.captured_queries if "registrering_dataversion" in q["sql"]]
    assert len(versioner) == 1


def test_en_insats_som_byter_namn_syns_med_sitt_nya_namn(forbund, tre_ar, verksamhetsutvecklare):
    """A change to an insats is a förbund-wide write: the kept insatser are read again."""
    assert [v.namn for v in malsida(forbund=forbund, ar=2026).volymmal] == [
        "Flöde A",
        "Flöde B",
        "Volym C",
    ]

    services.insats_spara(
        user=verksamhetsutvecklare, forbund=forbund, insats=tre_ar[0], varden={"namn": "Flöde Ö"}
    )

    sida = malsida(forbund=forbund, ar=2026)
    assert [v.namn for v in sida.volymmal] == ["Flöde B", "Flöde Ö", "Volym C"]


def test_en_medlems_nya_befolkning_syns(forbund, tre_ar, verksamhetsutvecklare):
    """A member's population is written with the member (a förbund-wide write)."""
    _medlemmar(forbund)
    malsida(forbund=forbund, ar=2026)
    kommun = Medlem.objects.get(forbund=forbund, namn="Storby kommun")

    medlem_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        medlem=kommun,
        namn=kommun.namn,
        typ=kommun.typ,
        befolkning={2025: 31_000},
    )

    ekonomi = malsida(forbund=forbund, ar=2026).ekonomi
    assert ekonomi is not None and ekonomi.befolkning_totalt == 31_000


def test_en_skrivning_ett_tidigare_ar_raknar_om_det_aret_och_de_senare(forbund, tre_ar):
    forst = malsida(forbund=forbund, ar=2026)
    _andra_tyst(forbund, 2024)
    _andra_tyst(forbund, 2025)

    dataversion.andrat([(forbund.pk, 2025)])
    sida = malsida(forbund=forbund, ar=2026)

    assert _december(sida, 2025) == _december(forst, 2025) + 2
    assert _avslutade(sida, 2025) == _avslutade(forst, 2025) + 2
    # 2024's version did not move: its effect is still the kept one.
    assert _avslutade(sida, 2024) == _avslutade(forst, 2024)

    dataversion.andrat([(forbund.pk, 2024)])
    assert _avslutade(malsida(forbund=forbund, ar=2026), 2024) == _avslutade(forst, 2024) + 2


def test_en_skrivning_for_hela_forbundet_raknar_om_alla_ar(forbund, tre_ar):
    forst = malsida(forbund=forbund, ar=2026)
    _andra_tyst(forbund, 2024)
    _andra_tyst(forbund, 2025)

    dataversion.andrat([(forbund.pk, dataversion.ALLA_AR)])  # an insats, a member, a text
    sida = malsida(forbund=forbund, ar=2026)

    assert _december(sida, 2025) == _december(forst, 2025) + 2
    assert _avslutade(sida, 2024) == _avslutade(forst, 2024) + 2


def test_det_som_halls_ger_samma_sida_som_att_rakna_allt(forbund, tre_ar):
    malsida(forbund=forbund, ar=2026)
    # A real change to this year: a new month and a balance entered for 2026.
    a, b, c = tre_ar
    _rapport(a, 2026, 4, nya_kvinnor=3, avslutade_kvinnor=1)
    _rapport(c, 2026, 4, volym=9)
    f.IngaendeBalansFactory(insats=b, ar=2026, kvinnor=7, man=1)
    dataversion.andrat([(forbund.pk, 2026)])

    med_det_som_halls = malsida(forbund=forbund, ar=2026)
    cache.clear()
    allt = malsida(forbund=forbund, ar=2026)

    assert med_det_som_halls == allt
    assert med_det_som_halls.till_manad == 4
    assert {g.grupp: g.deltagare for g in allt.grupper} == {
        "Försteg": 5 + 2 * (24 - 12) + 2 * 3 + 3
    }


def test_effekterna_for_tidigare_ar_halls_per_ar(forbund, tre_ar, django_assert_num_queries):
    forst = resultat(forbund=forbund, ar=2026)
    dataversion.andrat([(forbund.pk, 2026)])
    # The years' versions, then this year's six queries; the four earlier years are kept.
    with django_assert_num_queries(7):
        assert resultat(forbund=forbund, ar=2026) == forst


def test_versionerna_per_ar_ar_samma_summor_som_version(forbund):
    dataversion.andrat([(forbund.pk, 2024), (forbund.pk, dataversion.ALLA_AR)])
    dataversion.andrat([(forbund.pk, 2026)])
    per_ar = dataversion.versioner_per_ar(forbund.pk, [2023, 2024, 2025, 2026])
    assert per_ar == {ar: dataversion.version(forbund.pk, ar).nummer for ar in per_ar}
    assert per_ar == {2023: 1, 2024: 2, 2025: 2, 2026: 3}


def test_liggaren_fran_i_ar_med_forra_arets_utgaende_ar_densamma(forbund):
    """`liggare(…, utgaende_forra=…)`: the closing balances of last year kept, the same months,
    also through a year kept as a yearly total and a balance entered for this year."""
    med_balans, med_arstotal = f.InsatsFactory(forbund=forbund), f.InsatsFactory(forbund=forbund)
    f.IngaendeBalansFactory(insats=med_balans, ar=2024, kvinnor=2, man=1)
    _rapport(med_balans, 2025, 5, nya_kvinnor=4, avslutade_man=1)
    f.JusteringFactory(insats=med_balans, ar=2025, manad=12, kvinnor=-1, man=0)
    f.IngaendeBalansFactory(insats=med_balans, ar=2026, kvinnor=9, man=9)
    f.ArstotalFactory(insats=med_arstotal, ar=2025, deltagare_kvinnor=6, avslutade_kvinnor=2)
    _rapport(med_arstotal, 2026, 2, nya_man=3)
    ids = [med_balans.pk, med_arstotal.pk]

    fjol = manadsliggare.liggare(ids, fran_ar=2025)
    utgaende = {pk: fjol.utgaende(pk, 2025) for pk in ids}
    assert utgaende == {med_balans.pk: Kon(5, 0), med_arstotal.pk: Kon(4, 0)}
    i_ar = manadsliggare.liggare(ids, fran_ar=2026, utgaende_forra=utgaende)

    for pk in ids:
        assert i_ar.ingaende(pk, 2026) == fjol.ingaende(pk, 2026)
        assert list(i_ar.saldon(pk)) == [s for s in fjol.saldon(pk) if s.ar == 2026]
    assert i_ar.ingaende(med_balans.pk, 2026) == Kon(9, 9)
    assert i_ar.saldo(med_arstotal.pk, 2026, 12).slut == Kon(4, 3)


def test_utgaende_fore_liggarens_forsta_ar_ar_ett_fel(forbund):
    insats = f.InsatsFactory(forbund=forbund, startdatum=dt.date(2025, 1, 1))
    with pytest.raises(ValueError):
        manadsliggare.liggare([insats.pk], fran_ar=2025).utgaende(insats.pk, 2024)


@pytest.mark.parametrize("slag", ["mal", "rapport", "underlag"])
def test_sidan_raknas_med_farre_skrapsamlingar(forbund, tre_ar, monkeypatch, slag):
    """The cycle collector runs seldom while a kept page's figures are computed and rendered
    (~20 000 objects at 300 insatser), and its threshold is put back after."""
    import gc

    from rapporter import sidcache, underlag_vyer
    from registrering.masskrivning import FARRE_SKRAPSAMLINGAR

    fore = gc.get_threshold()
    under: list[tuple[int, ...]] = []
    render_to_string = sidcache.render_to_string

    def renderad(*args, **kwargs):
        under.append(gc.get_threshold())
        return render_to_string(*args, **kwargs)

    for modul in (sidcache, underlag_vyer):  # the pages' templates are rendered in these
        monkeypatch.setattr(modul, "render_to_string", renderad)
    cache.clear()
    sidcache.innehall(slag, forbund, 2025, redigera=False)
    assert under == [(max(fore[0], FARRE_SKRAPSAMLINGAR), *fore[1:])]
    assert gc.get_threshold() == fore


def test_varje_falt_hos_insatsen_granskas():
    """What is kept by an earlier year's version holds the insatser (names, dates, groups),
    because every change to an insats is an audited, förbund-wide write. `insats_spara` audits
    the fields of `INSATSFALT` only: a field of the model left out of it would change nothing
    kept."""
    from registrering.services.insats import INSATSFALT

    falt = {f.name for f in Insats._meta.concrete_fields} - {"id", "forbund"}
    assert falt <= set(INSATSFALT)


def test_kodens_fingeravtryck_ser_migreringarna_och_django(tmp_path, settings, monkeypatch):
    """A data migration can rename an insats without a data version moving, and what is kept
    holds model objects: the key changes with the migrations and with Django's version."""
    import django

    from rapporter import arscache

    migrering = tmp_path / "registrering" / "migrations" / "0099_namn.py"
    migrering.parent.mkdir(parents=True)
    migrering.write_text("# före\n")
    settings.BASE_DIR = tmp_path
    kod = arscache._kod.__wrapped__
    fore = kod()
    migrering.write_text("# efter\n")
    assert kod() != fore
    efter = kod()
    monkeypatch.setattr(django, "get_version", lambda: "9.9")
    assert kod() != efter
