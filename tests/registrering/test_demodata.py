"""The demo data loads, can be loaded again without duplicates, and has what the demo needs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from registrering import demodata, effektkatalog
from registrering.demodata import effekter
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    BudgeteradVolym,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forbund,
    Forflyttning,
    Inkomstnyckeltal,
    Insats,
    Manadsrapport,
    User,
    Utfallsmal,
)

pytestmark = pytest.mark.django_db
IDAG = dt.date(2026, 11, 23)


def _antal_per_modell():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("registrering").get_models()
    }


def test_demodata_kan_koras_igen_utan_dubbletter():
    call_command("demodata", idag=IDAG, stdout=open("/dev/null", "w"))  # noqa: SIM115
    fore = _antal_per_modell()
    demodata.ladda(idag=IDAG)
    assert _antal_per_modell() == fore
    assert Forbund.objects.get().kortnamn == "SVÖ"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kommandot_koar_ingen_forvarmning_av_bilagan(settings, monkeypatch):
    """Without a broker the warming would run in the command's own pool and be cut off, with a
    traceback, when the command ends (as `make run` showed): loading sends no warming. (A
    transactional test: the signal is sent when each write commits, as in the command.)"""
    from finsam import uppgifter
    from registrering import services
    from registrering.models import Kommentar

    settings.FINSAM_FORBERED_PDF = True
    koade: list[str] = []
    monkeypatch.setattr(uppgifter, "skicka", lambda uppgift, *a, **k: koade.append(uppgift.name))
    monkeypatch.setattr(
        uppgifter, "skicka_senare", lambda uppgift, *a, **k: koade.append(uppgift.name)
    )
    call_command("demodata", idag=IDAG, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "rapporter.varm_bilagor" not in koade
    # A write after the command does warm the year's bilaga (so the check above can fail).
    services.kommentar_spara(
        user=User.objects.get(username="verksamhetsutvecklare"),
        forbund=Forbund.objects.get(),
        ar=2025,
        avsnitt=Kommentar.Avsnitt.values[0],
        text="Ny kommentar",
    )
    assert "rapporter.varm_bilagor" in koade


def test_demoanvandare_kan_logga_in_och_har_sina_roller(client):
    demodata.ladda(idag=IDAG)
    for username, roll in demodata.demo_anvandare():
        user = User.objects.get(username=username)
        assert user.check_password(demodata.DEMO_LOSENORD)
        assert list(user.groups.values_list("name", flat=True)) == [roll]
        # The admin's flag follows the role: the kansli only, never the styrelse.
        assert user.is_staff == (username in {"verksamhetsutvecklare", "forbundschef"})
    # Through the login page: django-axes checks every login against its request.
    svar = client.post(
        "/logga-in/", {"username": "insatsansvarig", "password": demodata.DEMO_LOSENORD}
    )
    assert (svar.status_code, svar["Location"]) == (302, "/")


def test_systemadministratoren_har_inget_forbund_och_hamnar_pa_systemsidan(client):
    demodata.ladda(idag=IDAG)
    system = User.objects.get(username="system")
    assert (system.forbund, system.is_superuser, system.is_staff) == (None, False, False)
    # Made by the service, which writes the audit row.
    assert AuditEntry.objects.filter(
        object_id=str(system.pk), kommentar="Systemadministratör."
    ).exists()
    client.post("/logga-in/", {"username": "system", "password": demodata.DEMO_LOSENORD})
    assert client.get("/")["Location"] == reverse("system:index")


def test_2026_har_godkanda_manader_och_en_oktober_som_vantar():
    demodata.ladda(idag=IDAG)
    rapporter_2026 = Manadsrapport.objects.filter(ar=2026)
    assert (
        not rapporter_2026.filter(manad__lte=9)
        .exclude(status__in=["godkand", "registrerad"])
        .exists()
    )
    assert not rapporter_2026.filter(manad__gt=10).exists()
    ansvarig = User.objects.get(username="insatsansvarig")
    egna = Insats.objects.filter(insatsansvariga=ansvarig)
    saknas = [i for i in egna if not rapporter_2026.filter(insats=i, manad=10).exists()]
    assert saknas, "minst en av insatsansvarigs insatser ska ha oktober 2026 kvar att rapportera"
    assert {s for s in rapporter_2026.filter(manad=10).values_list("status", flat=True)} >= {
        "utkast",
        "inskickad",
        "returnerad",
        "godkand",
    }


def test_budgeterade_volymer_2026_enligt_verksamhetsplanen():
    demodata.ladda(idag=IDAG)
    assert {
        b.insats.namn: b.volym
        for b in BudgeteradVolym.objects.filter(ar=2026).select_related("insats")
    } == demodata.BUDGET_2026
    assert demodata.BUDGET_2026["Försteg Mjölby/Skänninge"] == 90


def test_inga_manader_i_framtiden():
    demodata.ladda(idag=dt.date(2026, 6, 15))
    assert not Manadsrapport.objects.filter(ar=2026, manad__gte=6).exists()
    assert Manadsrapport.objects.filter(ar=2026, manad=5).exists()


@pytest.mark.parametrize(
    ("total", "vikter", "delar"),
    [(10, [1, 1, 1], [4, 3, 3]), (0, [1, 2], [0, 0]), (5, [0, 1], [0, 5])],
)
def test_fordela_summerar_exakt(total, vikter, delar):
    assert demodata.fordela(total, vikter) == delar


def test_utfall_och_effekter_2025():
    """Outcome goals for SVÖ's individinriktade insatser, the key figures of 2025 and 2026 from
    the catalogue, and one insats's transitions into arbete and studier equal to its avslut to
    them; a second run changes nothing."""
    forbund = demodata.ladda(idag=IDAG)
    mal = dict(Utfallsmal.objects.filter(ar=2025).values_list("insats__namn", "procent"))
    assert mal == effekter.UTFALLSMAL_2025
    assert all(20 <= p <= 35 for p in mal.values())
    for ar in (2025, 2026):
        enkel = Effektnyckeltal.objects.get(forbund=forbund, ar=ar)
        assert (enkel.kostnad_per_manad, enkel.skatt_per_manad) == (10_500, 5_700)
        assert Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=ar).count() == len(
            effektkatalog.ERSATTNINGAR
        )
        assert Inkomstnyckeltal.objects.filter(forbund=forbund, ar=ar).exists()

    motala = Insats.objects.get(namn=effekter.MATRISINSATS)
    matris = Forflyttning.objects.filter(insats=motala, ar=2025)
    assert {f.insats_id for f in Forflyttning.objects.all()} == {motala.pk}
    for kategori in ("arbete", "studier"):
        avslut = AvslutadePerAnledning.objects.filter(
            rapport__insats=motala, rapport__ar=2025, anledning__kategori=kategori
        ).aggregate(n=Sum("antal"))["n"]
        assert avslut and sum(f.antal for f in matris if f.till == kategori) == avslut
    assert {f.till for f in matris} >= {"arbete", "studier", "oforandrad"}
    assert all(
        e.kommentar == "Importerad från demodata"
        for e in AuditEntry.objects.filter(content_type__model="forflyttning")
    )

    fore = _antal_per_modell()
    demodata.ladda(idag=IDAG)
    assert _antal_per_modell() == fore
