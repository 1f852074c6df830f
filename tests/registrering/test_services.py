"""The services: who may call them, what they refuse, and what they write to the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import services
from registrering.audit import audit_entries_for
from registrering.ledger import Kon
from registrering.models import AuditEntry, IngaendeBalans, Justering, Kommentar, Manadsrapport
from tests import factories as f

pytestmark = pytest.mark.django_db
IDAG = dt.date(2026, 11, 23)
ROLLER = ["verksamhetsutvecklare", "forbundschef", "insatsansvarig", "styrelse", "utomstaende"]


@pytest.fixture
def personer(request):
    """Every persona by name, plus an anonymous visitor."""
    result = {namn: request.getfixturevalue(namn) for namn in ROLLER}
    result["anonym"] = AnonymousUser()
    return result


def _spara(user, insats, manad=10, **kwargs):
    return services.manadsrapport_spara(
        user=user, insats=insats, ar=2026, manad=manad, idag=IDAG, **kwargs
    )


@pytest.mark.parametrize(
    ("roll", "egen_insats", "far"),
    [
        ("verksamhetsutvecklare", True, True),
        ("verksamhetsutvecklare", False, True),
        ("forbundschef", False, True),
        ("insatsansvarig", True, True),
        ("insatsansvarig", False, False),
        ("styrelse", True, False),
        ("utomstaende", True, False),
        ("anonym", True, False),
    ],
)
def test_vem_far_rapportera_en_manad(personer, insats, annan_insats, roll, egen_insats, far):
    target = insats if egen_insats else annan_insats
    if far:
        rapport = _spara(personer[roll], target, nya_kvinnor=1)
        assert rapport.nya_kvinnor == 1
        services.manadsrapport_skicka_in(user=personer[roll], rapport=rapport)
    else:
        with pytest.raises(PermissionDenied):
            _spara(personer[roll], target, nya_kvinnor=1)
        assert not Manadsrapport.objects.exists()


@pytest.mark.parametrize(
    ("roll", "far"),
    [
        ("verksamhetsutvecklare", True),
        ("forbundschef", True),
        ("insatsansvarig", False),
        ("styrelse", False),
        ("utomstaende", False),
        ("anonym", False),
    ],
)
def test_vem_far_granska_justera_och_skriva_kommentarer(personer, insats, forbund, roll, far):
    user = personer[roll]
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=3, man=3)
    rapport = f.ManadsrapportFactory(insats=insats, ar=2026, manad=9, status="inskickad")
    calls = [
        lambda: services.manadsrapport_returnera(user=user, rapport=rapport, kommentar="Fel"),
        lambda: (
            services.manadsrapport_skicka_in(user=user, rapport=rapport)
            if far
            else services.manadsrapport_godkann(user=user, rapport=rapport)
        ),
        lambda: services.manadsrapport_godkann(user=user, rapport=rapport),
        lambda: services.manadsrapport_markera_registrerad(user=user, rapport=rapport),
        lambda: services.manadsrapport_las_upp(user=user, rapport=rapport, anledning="Rättelse"),
        lambda: services.justering_skapa(
            user=user, insats=insats, ar=2025, manad=12, kvinnor=-1, man=0, anledning="Räknat"
        ),
        lambda: services.kommentar_spara(
            user=user, forbund=forbund, ar=2025, avsnitt="volym", text="Text"
        ),
        lambda: services.budgeterad_volym_satt(user=user, insats=insats, ar=2026, volym=25),
    ]
    for call in calls:
        if far:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    rapport.refresh_from_db()
    if far:
        assert rapport.status == Manadsrapport.Status.INSKICKAD  # returned, re-sent, unlocked
        assert Justering.objects.count() == 1
        assert Kommentar.objects.count() == 1
    else:
        assert rapport.status == Manadsrapport.Status.INSKICKAD
        assert not Justering.objects.exists()
        assert not AuditEntry.objects.exists()


def test_hela_flodet_med_retur_och_godkannande(insatsansvarig, verksamhetsutvecklare, insats):
    rapport = _spara(insatsansvarig, insats, nya_kvinnor=2, nya_man=1)
    assert rapport.status == Manadsrapport.Status.UTKAST
    rapport = services.manadsrapport_skicka_in(user=insatsansvarig, rapport=rapport)
    assert rapport.status == Manadsrapport.Status.INSKICKAD
    assert rapport.inskickad_av == insatsansvarig
    with pytest.raises(ValidationError):
        services.manadsrapport_returnera(user=verksamhetsutvecklare, rapport=rapport, kommentar=" ")
    rapport = services.manadsrapport_returnera(
        user=verksamhetsutvecklare, rapport=rapport, kommentar="Stämmer nya män?"
    )
    assert rapport.status == Manadsrapport.Status.RETURNERAD
    assert rapport.returkommentar == "Stämmer nya män?"
    rapport = _spara(insatsansvarig, insats, nya_kvinnor=2, nya_man=2, version=rapport.version)
    rapport = services.manadsrapport_skicka_in(user=insatsansvarig, rapport=rapport)
    rapport = services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=rapport)
    assert rapport.last and rapport.godkand_av == verksamhetsutvecklare
    with pytest.raises(ValidationError, match="låst"):
        _spara(verksamhetsutvecklare, insats, nya_kvinnor=9, version=rapport.version)
    with pytest.raises(ValidationError):
        services.manadsrapport_las_upp(user=verksamhetsutvecklare, rapport=rapport, anledning="")
    rapport = services.manadsrapport_markera_registrerad(
        user=verksamhetsutvecklare, rapport=rapport, datum=dt.date(2026, 11, 20)
    )
    assert rapport.status == Manadsrapport.Status.REGISTRERAD
    assert rapport.registrerad_datum == dt.date(2026, 11, 20)
    rapport = services.manadsrapport_las_upp(
        user=verksamhetsutvecklare, rapport=rapport, anledning="Fel antal män"
    )
    assert rapport.status == Manadsrapport.Status.INSKICKAD
    assert rapport.registrerad_datum is None
    actions = list(
        audit_entries_for(rapport).order_by("tid", "id").values_list("action", flat=True)
    )
    assert actions == [
        "skapad",
        "inskickad",
        "returnerad",
        "andrad",
        "inskickad",
        "godkand",
        "registrerad",
        "upplast",
    ]


def test_andring_loggas_med_gammalt_och_nytt_varde(insatsansvarig, insats):
    rapport = _spara(insatsansvarig, insats, nya_kvinnor=2)
    _spara(insatsansvarig, insats, nya_kvinnor=3, nya_man=1, version=rapport.version)
    senaste = audit_entries_for(rapport).first()
    assert senaste.action == AuditEntry.Action.ANDRAD
    assert senaste.user == insatsansvarig
    assert senaste.forbund == insats.forbund
    assert senaste.changes == {"nya_kvinnor": [2, 3], "nya_man": [0, 1]}


def test_insatsansvarig_kan_inte_andra_inskickad_manad(insatsansvarig, insats):
    rapport = _spara(insatsansvarig, insats, nya_kvinnor=1)
    services.manadsrapport_skicka_in(user=insatsansvarig, rapport=rapport)
    with pytest.raises(ValidationError, match="väntar på granskning"):
        _spara(insatsansvarig, insats, nya_kvinnor=5)


@pytest.mark.parametrize(
    ("kwargs", "falt", "text"),
    [
        ({"nya_kvinnor": -1}, "nya_kvinnor", "kan inte vara mindre än 0"),
        ({"nya_man": 1.5}, "nya_man", "måste vara ett heltal"),
        ({"avslutade_kvinnor": 3}, "avslutade_kvinnor", "Fler avslutade kvinnor (3)"),
    ],
)
def test_felaktiga_tal_ger_fel_vid_faltet(verksamhetsutvecklare, insats, kwargs, falt, text):
    with pytest.raises(ValidationError) as exc:
        _spara(verksamhetsutvecklare, insats, **kwargs)
    assert any(text in m for m in exc.value.message_dict[falt])
    assert not Manadsrapport.objects.exists()


def test_manad_som_inte_ar_slut_kan_inte_rapporteras(verksamhetsutvecklare, insats):
    with pytest.raises(ValidationError) as exc:
        _spara(verksamhetsutvecklare, insats, manad=11)
    assert "November 2026 är inte slut än" in exc.value.message_dict["manad"][0]


def test_manad_innan_insatsen_startade(verksamhetsutvecklare, forbund):
    ny = f.InsatsFactory(forbund=forbund, namn="Ny", startdatum=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="pågick inte"):
        _spara(verksamhetsutvecklare, ny, manad=8)


def test_fordelningar_maste_summera(verksamhetsutvecklare, forbund, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=5, man=5)
    arbete = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete")
    arbete.insatser.add(insats)
    fremmande = f.AvslutsanledningFactory(forbund=forbund, namn="Används ej")
    kommun = f.HuvudmanFactory(forbund=forbund, namn="Kommun")
    # Sent in, the breakdowns must add up (a draft may wait: test_services_utkast.py).
    with pytest.raises(ValidationError) as exc:
        _spara(
            verksamhetsutvecklare,
            insats,
            nya_kvinnor=2,
            avslutade_man=2,
            avslut={arbete.pk: 1},
            nya_huvudman={kommun.pk: 3},
            skicka_in=True,
        )
    assert (
        "Fördelningen per avslutsanledning (1) stämmer inte med antalet avslutade (2)."
        in (exc.value.message_dict["avslut"])
    )
    assert "(3) stämmer inte med antalet nya (2)" in exc.value.message_dict["nya_huvudman"][0]
    with pytest.raises(ValidationError, match="Okänd avslutsanledning"):
        _spara(verksamhetsutvecklare, insats, avslutade_man=1, avslut={fremmande.pk: 1})
    rapport = _spara(
        verksamhetsutvecklare,
        insats,
        nya_kvinnor=2,
        avslutade_man=2,
        avslut={arbete.pk: 2},
        nya_huvudman={kommun.pk: 2},
    )
    assert [(a.anledning, a.antal) for a in rapport.avslut.all()] == [(arbete, 2)]


def test_samtidig_andring_skriver_inte_over(verksamhetsutvecklare, insatsansvarig, insats):
    rapport = _spara(insatsansvarig, insats, nya_kvinnor=1)
    oppnad_version = rapport.version
    _spara(verksamhetsutvecklare, insats, nya_kvinnor=2, version=oppnad_version)
    with pytest.raises(services.SamtidigAndring) as exc:
        _spara(insatsansvarig, insats, nya_kvinnor=7, version=oppnad_version)
    assert exc.value.andringar == {"nya_kvinnor": [1, 2]}
    rapport.refresh_from_db()
    assert rapport.nya_kvinnor == 2


def test_unika_individer_kan_inte_minska(verksamhetsutvecklare, forbund):
    from registrering.models import Insats

    fontanhus = f.VolyminsatsFactory(
        forbund=forbund, namn="Fontänhus", volymenhet=Insats.Volymenhet.UNIKA_INDIVIDER
    )
    _spara(verksamhetsutvecklare, fontanhus, manad=8, volym=40)
    with pytest.raises(ValidationError, match="kan inte vara lägre"):
        _spara(verksamhetsutvecklare, fontanhus, manad=9, volym=35)
    with pytest.raises(ValidationError, match="Ange volymen"):
        _spara(verksamhetsutvecklare, fontanhus, manad=9, skicka_in=True)
    assert _spara(verksamhetsutvecklare, fontanhus, manad=9, volym=45).volym == 45


@pytest.mark.parametrize(
    ("roll", "far"),
    [
        ("verksamhetsutvecklare", True),
        ("forbundschef", True),
        ("insatsansvarig", True),
        ("styrelse", False),
        ("utomstaende", False),
    ],
)
def test_vem_far_bekrafta_ingaende_balans(personer, insats, roll, far):
    if far:
        balans = services.ingaende_balans_satt(
            user=personer[roll], insats=insats, ar=2026, kvinnor=1, man=0
        )
        assert balans.bekraftad_av == personer[roll]
    else:
        with pytest.raises(PermissionDenied):
            services.ingaende_balans_satt(
                user=personer[roll], insats=insats, ar=2026, kvinnor=1, man=0
            )


def test_ingaende_balans_som_avviker_kraver_anledning_och_blir_justering(
    verksamhetsutvecklare, forbund, insats
):
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=2)
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=3, nya_man=1)
    kommun = f.HuvudmanFactory(forbund=forbund, namn="Kommun")
    with pytest.raises(ValidationError) as exc:
        services.ingaende_balans_satt(
            user=verksamhetsutvecklare, insats=insats, ar=2026, kvinnor=1, man=2
        )
    assert "förra årets utgående (2 kvinnor, 3 män)" in exc.value.message_dict["anledning"][0]
    assert services.ingaende_balans_forslag(insats=insats, ar=2026).kon == Kon(2, 3)
    balans = services.ingaende_balans_satt(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2026,
        kvinnor=2,
        man=2,
        per_huvudman={kommun.pk: 4},
        anledning="Inventering i januari",
    )
    assert balans.bekraftad_av == verksamhetsutvecklare
    assert IngaendeBalans.objects.get(insats=insats, ar=2026).per_huvudman.get().antal == 4
    assert audit_entries_for(balans).get().changes["kvinnor"] == [None, 2]
    justering = Justering.objects.get(insats=insats)
    assert (justering.ar, justering.manad, justering.kvinnor, justering.man) == (2025, 12, 0, -1)
    assert "Inventering i januari" in justering.anledning
    # The flow, the justering and the confirmed balance now agree.
    assert services.ingaende_balans_forslag(insats=insats, ar=2026).kon == Kon(2, 2)


def test_forsta_aret_anges_balansen_utan_justering(verksamhetsutvecklare, insats):
    services.ingaende_balans_satt(
        user=verksamhetsutvecklare, insats=insats, ar=2026, kvinnor=7, man=5
    )
    assert not Justering.objects.exists()


def test_justering_maste_andra_nagot_och_far_inte_ge_negativt(verksamhetsutvecklare, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=3, man=0)
    with pytest.raises(ValidationError) as exc:
        services.justering_skapa(
            user=verksamhetsutvecklare,
            insats=insats,
            ar=2025,
            manad=12,
            kvinnor=-1,
            man=-1,
            anledning="Räknat",
        )
    assert exc.value.message_dict == {
        "man": ["Justeringen ger färre än noll pågående män (0 pågående, justering −1)."]
    }
    with pytest.raises(ValidationError) as exc:
        services.justering_skapa(
            user=verksamhetsutvecklare,
            insats=insats,
            ar=2025,
            manad=12,
            kvinnor=0,
            man=0,
            anledning="Räknat",
        )
    assert "kvinnor" in exc.value.message_dict
    justering = services.justering_skapa(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2025,
        manad=12,
        kvinnor=-2,
        man=0,
        anledning="Inventering",
    )
    assert justering.skapad_av == verksamhetsutvecklare
    assert audit_entries_for(justering).get().action == AuditEntry.Action.SKAPAD


def test_kommentar_skapas_andras_och_tas_bort_med_logg(verksamhetsutvecklare, forbund):
    k = services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=2025, avsnitt="volym", text="Första"
    )
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=2025, avsnitt="volym", text="Andra"
    )
    assert audit_entries_for(k).first().changes == {"text": ["Första", "Andra"]}
    assert (
        services.kommentar_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=2025, avsnitt="volym", text=""
        )
        is None
    )
    assert not Kommentar.objects.exists()
    with pytest.raises(ValidationError):
        services.kommentar_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=2025, avsnitt="okänt", text="x"
        )
