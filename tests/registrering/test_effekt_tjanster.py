"""Outcomes and effects, the write side: outcome goals, key figures per year and the transition
matrices, with their rules, their audit rows and their permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import effektkatalog, services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forflyttning,
    Inkomstnyckeltal,
    Utfallsmal,
)
from tests import factories

AR = 2025


def _fel(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Outcome goals ------------------------------------------------------------------------------


def test_utfallsmal_satts_andras_och_tas_bort_med_logg(insats, verksamhetsutvecklare):
    mal = services.utfallsmal_satt(user=verksamhetsutvecklare, insats=insats, ar=AR, procent=35)
    services.utfallsmal_satt(user=verksamhetsutvecklare, insats=insats, ar=AR, procent=40)
    mal.refresh_from_db()
    assert mal.procent == 40
    rader = list(audit_entries_for(mal).order_by("tid", "pk"))
    assert [r.action for r in rader] == [AuditEntry.Action.SKAPAD, AuditEntry.Action.ANDRAD]
    assert rader[1].changes == {"procent": [35, 40]}
    services.utfallsmal_ta_bort(user=verksamhetsutvecklare, mal=mal)
    assert not Utfallsmal.objects.exists()


@pytest.mark.parametrize(
    ("procent", "meddelande"),
    [
        (101, "Målet ska vara mellan 0 och 100 %."),
        (-1, "Målet ska vara mellan 0 och 100 %."),
        ("35", "Målet måste vara ett heltal i procent."),
    ],
)
def test_utfallsmal_utanfor_gransen_nekas(insats, verksamhetsutvecklare, procent, meddelande):
    with pytest.raises(ValidationError) as exc:
        services.utfallsmal_satt(user=verksamhetsutvecklare, insats=insats, ar=AR, procent=procent)
    assert _fel(exc)["procent"] == [meddelande]
    assert not Utfallsmal.objects.exists()


# --- Key figures --------------------------------------------------------------------------------


def test_forsta_aret_far_katalogens_nyckeltal_och_nasta_ar_kopierar_forra(
    forbund, verksamhetsutvecklare
):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=2024)
    enkel = Effektnyckeltal.objects.get(forbund=forbund, ar=2024)
    assert (enkel.kostnad_per_manad, enkel.skatt_per_manad) == (10_500, 5_700)
    koder = list(
        Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=2024).values_list("kod", flat=True)
    )
    assert koder == [e.kod for e in effektkatalog.ERSATTNINGAR]
    assert Inkomstnyckeltal.objects.get(forbund=forbund, ar=2024).arslon == 267_120
    assert audit_entries_for(enkel).get().kommentar == "Nyckeltalen från katalogen."

    services.effektnyckeltal_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=2024,
        kostnad_per_manad=11_000,
        skatt_per_manad=5_900,
        kalla="Egen beräkning",
        kalla_datum=dt.date(2025, 1, 15),
    )
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=2025)
    nasta = Effektnyckeltal.objects.get(forbund=forbund, ar=2025)
    assert (nasta.kostnad_per_manad, nasta.kalla, nasta.kalla_datum) == (
        11_000,
        "Egen beräkning",
        dt.date(2025, 1, 15),
    )
    assert audit_entries_for(nasta).get().kommentar == "Nyckeltalen kopierade från 2024."
    # A second call leaves the year's own figures alone.
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=2025)
    assert Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=2025).count() == len(
        effektkatalog.ERSATTNINGAR
    )


def test_ersattning_andras_med_logg_och_felaktiga_varden_nekas(forbund, verksamhetsutvecklare):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)
    rad = services.ersattningsnyckeltal_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=AR,
        kod="forsorjningsstod",
        namn="Försörjningsstöd",
        betalare="kommun",
        arsbelopp=118_000,
        okning=Decimal("2.5"),
        skattepliktig=False,
        kalla="Socialstyrelsen 2025",
    )
    andring = audit_entries_for(rad).filter(action=AuditEntry.Action.ANDRAD).get()
    assert andring.changes["arsbelopp"] == [110_000, 118_000]
    with pytest.raises(ValidationError) as exc:
        services.ersattningsnyckeltal_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            ar=AR,
            kod="arbete",
            namn="",
            betalare="kyrkan",
            arsbelopp=-5,
            okning=Decimal("120"),
            skattepliktig=False,
            kalla="",
        )
    assert _fel(exc) == {
        "kod": ["Koden arbete är reserverad; välj en annan."],
        "namn": ["Ange ersättningens namn."],
        "betalare": ["Välj vem som betalar ersättningen: kommun, region eller stat."],
        "arsbelopp": ["Beloppet kan inte vara mindre än 0 kr."],
        "okning": ["Den årliga ökningen ska vara mellan -50 och 100 %."],
    }


def test_inkomstsidan_sparas_och_regler_galler(forbund, verksamhetsutvecklare):
    varden = {
        "arslon": 270_000,
        "loneokning": Decimal("3"),
        "kommunalskatt": Decimal("21.0"),
        "regionskatt": Decimal("11.5"),
        "arbetsgivaravgift": Decimal("31.42"),
        "jobbskatteavdrag": 25_000,
        "kalla": "SCB 2025",
    }
    rad = services.inkomstnyckeltal_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, varden=varden
    )
    assert (rad.arslon, rad.kommunalskatt) == (270_000, Decimal("21.00"))
    with pytest.raises(ValidationError) as exc:
        services.inkomstnyckeltal_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            ar=AR,
            varden=varden | {"kommunalskatt": Decimal("60"), "regionskatt": Decimal("40")},
        )
    assert _fel(exc) == {
        "regionskatt": ["Kommunalskatt och regionskatt kan inte vara 100 % tillsammans."]
    }
    with pytest.raises(ValidationError) as exc:
        services.inkomstnyckeltal_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            ar=AR,
            varden=varden | {"arslon": 0, "arbetsgivaravgift": "tre"},
        )
    assert _fel(exc) == {
        "arslon": ["Lönen måste vara större än 0 kr."],
        "arbetsgivaravgift": ["Arbetsgivaravgiften måste vara ett tal i procent."],
    }
    rad.refresh_from_db()
    assert rad.arslon == 270_000


# --- Transitions --------------------------------------------------------------------------------


def test_forflyttningar_sparas_andras_och_tas_bort_per_cell(insats, verksamhetsutvecklare):
    services.forflyttningar_spara(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=AR,
        matris={("forsorjningsstod", "arbete"): 3, ("sjukpenning", "studier"): 2},
    )
    services.forflyttningar_spara(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=AR,
        matris={("forsorjningsstod", "arbete"): 4, ("sjukpenning", "studier"): 0},
    )
    rader = {(f.fran, f.till): f.antal for f in Forflyttning.objects.filter(insats=insats)}
    assert rader == {("forsorjningsstod", "arbete"): 4}
    handelser = AuditEntry.objects.filter(
        content_type__model="forflyttning", forbund=insats.forbund
    ).values_list("action", flat=True)
    assert sorted(handelser) == sorted(
        [
            AuditEntry.Action.SKAPAD,
            AuditEntry.Action.SKAPAD,
            AuditEntry.Action.ANDRAD,
            AuditEntry.Action.BORTTAGEN,
        ]
    )


def test_en_felaktig_cell_sparar_ingen_av_cellerna(insats, verksamhetsutvecklare):
    with pytest.raises(ValidationError) as exc:
        services.forflyttningar_spara(
            user=verksamhetsutvecklare,
            insats=insats,
            ar=AR,
            matris={
                ("forsorjningsstod", "arbete"): 3,
                ("lotto", "arbete"): 1,
                ("sjukpenning", "sjukpenning"): 2,
                ("a_kassa", "hemma"): 1,
                ("a_kassa", "studier"): -1,
                ("sjukersattning", "studiemedel"): 2,
            },
        )
    assert _fel(exc) == {
        "lotto-arbete": ["Ersättningen lotto finns inte bland årets nyckeltal."],
        "sjukpenning-sjukpenning": [
            "Att stanna på sjukpenning/rehabiliteringspenning anges som ingen förflyttning."
        ],
        "a_kassa-hemma": ["Förflyttningen till hemma finns inte bland årets nyckeltal."],
        "a_kassa-studier": ["Antalet från a-kassa kan inte vara mindre än 0."],
        "sjukersattning-studiemedel": ["Att gå till studiemedel anges som Studier."],
    }
    assert not Forflyttning.objects.exists()


def test_forflyttningar_bara_for_individinriktade_insatser_med_deltagarflode(
    forbund, verksamhetsutvecklare
):
    volym = factories.VolyminsatsFactory(forbund=forbund, namn="Nätverket")
    with pytest.raises(ValidationError) as exc:
        services.forflyttningar_spara(
            user=verksamhetsutvecklare,
            insats=volym,
            ar=AR,
            matris={("forsorjningsstod", "arbete"): 1},
        )
    assert exc.value.messages == [
        "Förflyttningar räknas bara för individinriktade insatser som följs upp med deltagarflöde."
    ]
    assert not Forflyttning.objects.exists()


def test_andra_roller_och_forbund_far_inte_skriva(
    insats, styrelse, insatsansvarig, utomstaende, forbund
):
    for user in (styrelse, insatsansvarig, utomstaende):
        with pytest.raises(PermissionDenied):
            services.utfallsmal_satt(user=user, insats=insats, ar=AR, procent=30)
        with pytest.raises(PermissionDenied):
            services.nyckeltal_for_aret(user=user, forbund=forbund, ar=AR)
        with pytest.raises(PermissionDenied):
            services.forflyttningar_spara(
                user=user, insats=insats, ar=AR, matris={("forsorjningsstod", "arbete"): 1}
            )
    assert not Utfallsmal.objects.exists() and not Effektnyckeltal.objects.exists()
