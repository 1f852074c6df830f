"""The data version (`registrering.dataversion`): every write bumps the förbund's and year's
version, through whichever door it comes; a rolled-back write bumps nothing; a year's version
also moves with earlier years and with förbund-wide writes, never with later years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from registrering import dataversion, services
from registrering.models import AuditEntry, Forbund, Kommentar
from tests import factories as f

pytestmark = pytest.mark.django_db

AR = 2025


def _v(forbund: Forbund, ar: int = AR) -> int:
    return dataversion.version(forbund.pk, ar).nummer


def test_en_kommentar_hojer_sitt_ar_och_senare_men_inte_tidigare(forbund, verksamhetsutvecklare):
    fore = {ar: _v(forbund, ar) for ar in (AR - 1, AR, AR + 1)}
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
    )
    assert _v(forbund, AR - 1) == fore[AR - 1]
    assert _v(forbund, AR) > fore[AR]
    assert _v(forbund, AR + 1) > fore[AR + 1]
    andrad = dataversion.version(forbund.pk, AR).andrad
    assert andrad is not None
    assert dataversion.senast_andrad(forbund.pk) == andrad


def test_manadens_godkannande_hojer_dess_ar(insats, verksamhetsutvecklare):
    rapport = f.ManadsrapportFactory(insats=insats, ar=AR, manad=3, status="inskickad")
    fore = _v(insats.forbund)
    services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=rapport)
    assert _v(insats.forbund) > fore
    assert _v(insats.forbund, AR - 1) == 0


def test_forbundets_texter_hojer_alla_ar(forbund, verksamhetsutvecklare):
    fore = [_v(forbund, ar) for ar in (2019, AR)]
    services.forbund_spara(
        user=verksamhetsutvecklare, forbund=forbund, varden={"bakgrund_text": "Ny bakgrund."}
    )
    assert all(_v(forbund, ar) > v for ar, v in zip((2019, AR), fore, strict=True))


def test_import_hojer_versionen(insats, verksamhetsutvecklare):
    from registrering import resources
    from tests.registrering.importhjalp import MANAD_RUBRIK, fil, importera

    fore = _v(insats.forbund)
    data = fil(MANAD_RUBRIK, "Försteg Testby;2025;4;1;1;0;0", "Försteg Testby;2025;5;2;0;0;0")
    importera(resources.ManadsdataResource, data, verksamhetsutvecklare, godkand=True)
    assert _v(insats.forbund) > fore


def test_ett_annat_forbunds_skrivning_hojer_inte_vart(
    forbund, annat_forbund, verksamhetsutvecklare, utomstaende
):
    fore = _v(forbund)
    services.kommentar_spara(
        user=utomstaende, forbund=annat_forbund, ar=AR, avsnitt="volym", text="Deras."
    )
    assert _v(forbund) == fore
    assert _v(annat_forbund) > 0


def test_en_skrivning_som_rullas_tillbaka_hojer_inget(forbund, verksamhetsutvecklare):
    fore = _v(forbund)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.kommentar_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
        )
        raise RuntimeError("avbruten")
    assert _v(forbund) == fore
    assert not Kommentar.objects.filter(forbund=forbund).exists()


def test_varje_granskad_skrivning_hojer_aven_adminens(forbund, verksamhetsutvecklare):
    """The door does not matter: the audit writer bumps (here called as the admin does)."""
    from registrering.audit import logga_skrivning

    fore = _v(forbund)
    kommentar = Kommentar.objects.create(forbund=forbund, ar=AR, avsnitt="volym", text="x")
    logga_skrivning(user=verksamhetsutvecklare, instance=kommentar, fanns=False, changes={})
    assert _v(forbund) == fore + 1
    assert AuditEntry.objects.filter(object_id=str(kommentar.pk)).exists()


def test_anonym_skrivning_hojer_numret_men_sparar_ingen_tid(forbund):
    """A public survey answer must leave no time behind: the number moves, the time does not."""
    from registrering.audit import logga_anonymt

    logga_anonymt(
        instance=forbund, forbund_id=forbund.pk, datum=dt.date(2026, 11, 30), kommentar=""
    )
    version = dataversion.version(forbund.pk, AR)
    assert version.nummer == 1
    assert version.andrad is None


def test_versionen_ar_en_fraga(forbund, django_assert_num_queries):
    with django_assert_num_queries(1):
        dataversion.version(forbund.pk, AR)


def test_tjansternas_skrivning_hojer_sitt_ar_en_gang(forbund, insats, verksamhetsutvecklare):
    """The audit writer's bump is the only one: the services do not bump the same förbund and
    year again beside it (one upsert per write), and a save that changes nothing bumps nothing."""
    skrivningar = {
        "kommentar": lambda: services.kommentar_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
        ),
        "verksamhetsplan": lambda: services.verksamhetsplan_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=AR, varden={"tilldelning": 1000}
        ),
        "utfallsmål": lambda: services.utfallsmal_satt(
            user=verksamhetsutvecklare, insats=insats, ar=AR, procent=40
        ),
    }
    for namn, skriv in skrivningar.items():
        fore = _v(forbund)
        skriv()
        assert _v(forbund) == fore + 1, namn
        skriv()  # the same again: nothing changes
        assert _v(forbund) == fore + 1, namn


def test_oforandrad_manad_hojer_inget_och_granskas_inte(insats, insatsansvarig):
    """A month form sent again unchanged writes nothing: no audit row, no new version of the
    month or of the year's data; a real change does all three."""
    spara = {"user": insatsansvarig, "insats": insats, "ar": AR, "manad": 3}
    spara["idag"] = dt.date(AR, 4, 2)
    rapport = services.manadsrapport_spara(**spara, nya_kvinnor=2, nya_man=1, kommentar="Hej")
    fore = (_v(insats.forbund), rapport.version, AuditEntry.objects.count())
    samma = services.manadsrapport_spara(
        **spara, nya_kvinnor=2, nya_man=1, kommentar="Hej", version=rapport.version
    )
    assert (_v(insats.forbund), samma.version, AuditEntry.objects.count()) == fore
    andrad = services.manadsrapport_spara(
        **spara, nya_kvinnor=3, nya_man=1, kommentar="Hej", version=rapport.version
    )
    assert (_v(insats.forbund), andrad.version, AuditEntry.objects.count()) == (
        fore[0] + 1,
        fore[1] + 1,
        fore[2] + 1,
    )


def test_ingaende_balans_hojer_aven_aret_fore(insats, verksamhetsutvecklare):
    """The year before shows what is left at its end from the next year's entered balance, so
    its report is stale after the balance changes: both years are bumped, not the one before."""
    fore = {ar: _v(insats.forbund, ar) for ar in (AR - 2, AR - 1, AR)}
    services.ingaende_balans_satt(
        user=verksamhetsutvecklare, insats=insats, ar=AR, kvinnor=2, man=1
    )
    assert _v(insats.forbund, AR - 2) == fore[AR - 2]
    assert _v(insats.forbund, AR - 1) > fore[AR - 1]
    assert _v(insats.forbund, AR) > fore[AR]
