"""Reminders by e-mail (registrering.paminnelser): who gets which mail on which day, with what
text; the förbund's schedule, each user's opt-out, once per day; the command, the beat entry,
and the page Påminnelser.

The calendar of the tests: October 2026's deadline is 10 November 2026 (rapportdag 10), so with
the defaults (3 days before, 2 after, summary on Mondays) the reminders go out on Saturday
7 November and Thursday 12 November, and the summary on Monday 9 November.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from registrering import paminnelser, services
from registrering.models import AuditEntry, Manadsrapport, SkickadPaminnelse
from registrering.paminnelser import Slag
from registrering.permissions import Roll
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Manadsrapport.Status
FORE, LORDAG_EFTER, MANDAG, EFTER = (
    dt.date(2026, 11, 7),
    dt.date(2026, 11, 8),
    dt.date(2026, 11, 9),
    dt.date(2026, 11, 12),
)
BAS = "https://finsam.example.se"
AVSTANGNING = f"{BAS}/konton/paminnelser/"


@pytest.fixture(autouse=True)
def _bas_url(settings):
    settings.FINSAM_BAS_URL = BAS + "/"


@pytest.fixture
def motala(forbund):
    """An insats that started in September 2026: only September and October are due."""
    return f.InsatsFactory(forbund=forbund, namn="Försteg Motala", startdatum=dt.date(2026, 9, 1))


@pytest.fixture
def ansvarig(forbund, motala):
    user = f.UserFactory(
        username="anna",
        first_name="Anna",
        email="anna@example.se",
        forbund=forbund,
        roll=Roll.INSATSANSVARIG,
    )
    motala.insatsansvariga.add(user)
    return user


@pytest.fixture
def vu(forbund):
    return f.UserFactory(
        username="vera",
        first_name="Vera",
        email="vera@example.se",
        forbund=forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )


def _utskick(forbund, idag):
    return {(u.user.username, u.slag): u for u in paminnelser.utskick_for_forbund(forbund, idag)}


# --- When -----------------------------------------------------------------------------------


def test_paminnelsedagarna_foljer_forbundets_schema(forbund):
    dag = paminnelser.paminnelsedag(forbund, FORE)
    assert (dag.slag, dag.sista_dag, dag.ar, dag.manad) == (
        Slag.FORE,
        dt.date(2026, 11, 10),
        2026,
        10,
    )
    dag = paminnelser.paminnelsedag(forbund, EFTER)
    assert (dag.slag, dag.sista_dag) == (Slag.EFTER, dt.date(2026, 11, 10))
    for annan_dag in (LORDAG_EFTER, MANDAG, dt.date(2026, 11, 10), dt.date(2026, 11, 13)):
        assert paminnelser.paminnelsedag(forbund, annan_dag) is None

    forbund.paminnelse_dagar_fore, forbund.paminnelse_dagar_efter = 0, 5
    assert paminnelser.paminnelsedag(forbund, dt.date(2026, 11, 10)).slag == Slag.FORE
    assert paminnelser.paminnelsedag(forbund, dt.date(2026, 11, 15)).slag == Slag.EFTER
    assert paminnelser.paminnelsedag(forbund, FORE) is None


def test_paminnelse_fore_en_sista_dag_i_nasta_manad(forbund):
    """Rapportdag 2 and 3 days before: the reminder for November goes out on 29 November."""
    forbund.rapportdag = 2
    dag = paminnelser.paminnelsedag(forbund, dt.date(2026, 11, 29))
    assert (dag.slag, dag.sista_dag, dag.ar, dag.manad) == (
        Slag.FORE,
        dt.date(2026, 12, 2),
        2026,
        11,
    )


def test_schemat_avstangt_skickar_ingenting(forbund, ansvarig, vu):
    forbund.paminnelser_pa = False
    forbund.save()
    for dag in (FORE, MANDAG, EFTER):
        assert paminnelser.utskick_for_forbund(forbund, dag) == []


# --- Who gets what --------------------------------------------------------------------------


def test_fore_sista_dag_far_den_ansvariga_sina_saknade_manader(forbund, motala, ansvarig, vu):
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=9, status=Status.GODKAND)
    utskick = _utskick(forbund, FORE)
    assert set(utskick) == {("anna", Slag.FORE)}  # not the vu: Saturday is no summary day
    u = utskick["anna", Slag.FORE]
    assert u.till == "anna@example.se"
    assert u.amne == "Påminnelse: månadsrapporter senast 10 november 2026"
    assert u.text.startswith("Hej Anna!\n")
    assert "Sista dag att skicka in siffrorna för oktober 2026 är 10 november 2026." in u.text
    assert "Försteg Motala\n- oktober 2026: saknas (sista dag 10 november 2026)\n" in u.text
    assert f"{BAS}/registrering/insats/{motala.pk}/2026/10/" in u.text
    assert "september" not in u.text  # approved: nothing to do
    assert AVSTANGNING in u.text
    assert "&" not in u.text.replace("&amp;", "")  # plain text: nothing escaped as HTML


def test_efter_sista_dag_star_manaden_som_forsenad_och_returnerade_kommer_med(
    forbund, motala, ansvarig
):
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=9, status=Status.RETURNERAD)
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=10, status=Status.UTKAST)
    u = _utskick(forbund, EFTER)["anna", Slag.EFTER]
    assert u.amne == "Månadsrapporter väntar på dig – sista dagen var 10 november 2026"
    assert "- september 2026: returnerad (sista dag 10 oktober 2026, försenad)" in u.text
    assert "- oktober 2026: utkast (sista dag 10 november 2026, försenad)" in u.text
    assert u.text.index("- september 2026") < u.text.index("- oktober 2026")


def test_inget_brev_nar_inget_vantar(forbund, motala, ansvarig):
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=9, status=Status.GODKAND)
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=10, status=Status.INSKICKAD)
    assert _utskick(forbund, FORE) == {}


def test_bara_egna_insatser_och_eget_forbund(forbund, annat_forbund, motala, ansvarig, vu):
    """A vu who is also insatsansvarig for one insats gets that insats only; another förbund's
    insatsansvarig gets nothing from ours."""
    vadstena = f.InsatsFactory(
        forbund=forbund, namn="Försteg Vadstena", startdatum=dt.date(2026, 9, 1)
    )
    vu.groups.add(*ansvarig.groups.all())
    vadstena.insatsansvariga.add(vu)
    deras = f.UserFactory(
        username="deras", email="d@example.se", forbund=annat_forbund, roll=Roll.INSATSANSVARIG
    )
    f.InsatsFactory(forbund=annat_forbund, startdatum=dt.date(2026, 9, 1)).insatsansvariga.add(
        deras
    )
    utskick = _utskick(forbund, FORE)
    assert set(utskick) == {("anna", Slag.FORE), ("vera", Slag.FORE)}
    assert "Försteg Vadstena" not in utskick["anna", Slag.FORE].text
    assert "Försteg Motala" not in utskick["vera", Slag.FORE].text
    assert "Försteg Vadstena" in utskick["vera", Slag.FORE].text


def test_veckosammanfattningen_till_vu_pa_forbundets_veckodag(forbund, motala, ansvarig, vu):
    vadstena = f.InsatsFactory(
        forbund=forbund, namn="Försteg Vadstena", startdatum=dt.date(2026, 9, 1)
    )
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=9, status=Status.INSKICKAD)
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=10, status=Status.RETURNERAD)
    f.ManadsrapportFactory(insats=vadstena, ar=2026, manad=9, status=Status.GODKAND)
    f.InsatsFactory(forbund=forbund, namn="Allt klart", startdatum=dt.date(2026, 11, 1))

    utskick = _utskick(forbund, MANDAG)
    assert set(utskick) == {("vera", Slag.VECKA)}
    u = utskick["vera", Slag.VECKA]
    assert u.amne == "Veckosammanfattning: månadsrapporter i STB, vecka 46"
    assert "Så här ser månadsrapporterna ut i Samordningsförbundet Testbygden den 9 november" in (
        u.text
    )
    motala_del = u.text[u.text.index("Försteg Motala") : u.text.index("Försteg Vadstena")]
    assert "Väntar på granskning:\n  - september 2026\n" in motala_del
    # Monday 9 November: October's deadline (the 10th) has not passed.
    assert "Returnerade:\n  - oktober 2026\n" in motala_del
    assert "Inte inskickade" not in motala_del
    vadstena_del = u.text[u.text.index("Försteg Vadstena") :]
    assert "Inte inskickade:\n  - oktober 2026\n" in vadstena_del
    assert "september" not in vadstena_del  # approved
    assert "Allt klart" not in u.text
    assert f"{BAS}/registrering/insats/{motala.pk}/2026/9/" in u.text
    assert AVSTANGNING in u.text

    assert _utskick(forbund, dt.date(2026, 11, 10)) == {}  # Tuesday
    forbund.sammanfattning_veckodag = 1
    assert set(_utskick(forbund, dt.date(2026, 11, 10))) == {("vera", Slag.VECKA)}


def test_veckosammanfattningen_nar_inget_vantar(forbund, vu):
    u = _utskick(forbund, MANDAG)["vera", Slag.VECKA]
    assert "Inget väntar." in u.text


def test_var_och_en_kan_stanga_av_sina_brev(forbund, ansvarig, vu):
    services.paminnelser_spara(user=ansvarig, varden={"paminnelse_manad": False})
    services.paminnelser_spara(user=vu, varden={"paminnelse_vecka": False})
    assert _utskick(forbund, FORE) == {}
    assert _utskick(forbund, MANDAG) == {}
    services.paminnelser_spara(user=ansvarig, varden={"paminnelse_manad": True})
    assert set(_utskick(forbund, FORE)) == {("anna", Slag.FORE)}


def test_inaktiva_konton_far_inget(forbund, ansvarig):
    ansvarig.is_active = False
    ansvarig.save()
    assert _utskick(forbund, FORE) == {}


# --- Sending --------------------------------------------------------------------------------


def test_samma_brev_skickas_inte_tva_ganger_samma_dag(forbund, ansvarig):
    forsta = paminnelser.skicka_paminnelser(idag=FORE)
    andra = paminnelser.skicka_paminnelser(idag=FORE)
    assert (forsta.som_dict()["skickade"], andra.som_dict()["skickade"]) == (1, 0)
    assert andra.som_dict()["redan_skickade"] == 1
    assert len(mail.outbox) == 1
    brev = mail.outbox[0]
    assert (brev.to, brev.from_email) == (["anna@example.se"], settings.DEFAULT_FROM_EMAIL)
    assert brev.extra_headers["Auto-Submitted"] == "auto-generated"
    rad = SkickadPaminnelse.objects.get()
    assert (rad.user, rad.datum, rad.slag, rad.forbund) == (ansvarig, FORE, Slag.FORE, forbund)
    # The next reminder day is a new day.
    paminnelser.skicka_paminnelser(idag=EFTER)
    assert len(mail.outbox) == 2


def test_utan_epostadress_hoppas_over_och_loggas(forbund, ansvarig, caplog):
    ansvarig.email = ""
    ansvarig.save()
    with caplog.at_level("INFO", logger="registrering.paminnelser"):
        resultat = paminnelser.skicka_paminnelser(idag=FORE)
    assert resultat.som_dict() == {
        "skickade": 0,
        "redan_skickade": 0,
        "utan_epost": 1,
        "misslyckade": 0,
    }
    assert mail.outbox == []
    assert not SkickadPaminnelse.objects.exists()
    assert f"användare {ansvarig.pk} saknar e-postadress" in caplog.text
    assert "anna" not in caplog.text  # ids in the logs, never names


def test_torrkorning_skickar_och_antecknar_inget(forbund, ansvarig):
    resultat = paminnelser.skicka_paminnelser(idag=FORE, torrkorning=True)
    assert [u.user for u in resultat.skickade] == [ansvarig]
    assert mail.outbox == []
    assert not SkickadPaminnelse.objects.exists()


class TrasigServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("borta")


def test_ett_misslyckat_brev_antecknas_inte_och_skickas_nasta_gang(forbund, ansvarig):
    with override_settings(EMAIL_BACKEND=f"{__name__}.TrasigServer"):
        resultat = paminnelser.skicka_paminnelser(idag=FORE)
    assert resultat.som_dict()["misslyckade"] == 1
    assert not SkickadPaminnelse.objects.exists()
    assert paminnelser.skicka_paminnelser(idag=FORE).som_dict()["skickade"] == 1
    assert len(mail.outbox) == 1


class KraesenServer(locmem.EmailBackend):
    """Like Django's SMTP backend with an address it cannot parse: ValueError, no SMTP error."""

    def send_messages(self, email_messages):
        for meddelande in email_messages:
            if "anna@" in meddelande.to:
                raise ValueError("Invalid address; only anna@ could be parsed")
        return super().send_messages(email_messages)


def test_en_trasig_adress_stoppar_inte_de_andras_brev(forbund, ansvarig, motala):
    """An address Django cannot send to (it raises ValueError, not an SMTP error) is counted as
    failed; the next person still gets their mail."""
    andra = f.UserFactory(
        username="berit", email="berit@example.se", forbund=forbund, roll=Roll.INSATSANSVARIG
    )
    motala.insatsansvariga.add(andra)
    ansvarig.email = "anna@"
    ansvarig.save()
    with override_settings(EMAIL_BACKEND=f"{__name__}.KraesenServer"):
        resultat = paminnelser.skicka_paminnelser(idag=FORE)
    assert [u.user for u in resultat.misslyckade] == [ansvarig]
    assert [u.user for u in resultat.skickade] == [andra]
    assert [m.to for m in mail.outbox] == [["berit@example.se"]]


def test_kommandot_med_datum_och_torrkorning(forbund, ansvarig):
    ut = StringIO()
    call_command("skicka_paminnelser", "--datum", "2026-11-07", "--torrkorning", stdout=ut)
    assert "Skulle skickas: anna <anna@example.se> – Påminnelse: månadsrapporter senast" in (
        ut.getvalue()
    )
    assert mail.outbox == []
    ut = StringIO()
    call_command("skicka_paminnelser", "--datum", "2026-11-07", stdout=ut)
    assert "2026-11-07: 1 skickade, 0 redan skickade" in ut.getvalue()
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="Ogiltigt datum"):
        call_command("skicka_paminnelser", "--datum", "7/11 2026", stdout=StringIO())


def test_uppgiften_kor_for_dagen(forbund, ansvarig):
    from registrering.tasks import skicka_paminnelser

    assert skicka_paminnelser.apply(args=["2026-11-07"]).get()["skickade"] == 1
    assert skicka_paminnelser.apply(args=["2026-11-07"]).get()["redan_skickade"] == 1


def test_varje_post_i_beat_schemat_ar_en_registrerad_uppgift():
    from finsam.celery import app

    app.loader.import_default_modules()
    assert set(settings.CELERY_BEAT_SCHEDULE) >= {"paminnelser", "rensa_importer"}
    for post in settings.CELERY_BEAT_SCHEDULE.values():
        assert post["task"] in app.tasks


def test_beat_schemat_namnger_en_registrerad_uppgift():
    from finsam.celery import app

    app.loader.import_default_modules()
    post = settings.CELERY_BEAT_SCHEDULE["paminnelser"]
    assert post["task"] in app.tasks
    assert app.tasks[post["task"]].__module__ == "registrering.tasks"
    assert (post["schedule"].hour, post["schedule"].minute) == ({7}, {0})
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"


# --- The förbund's schedule and the user's choice, through their services ----------------------


def test_forbundets_schema_sparas_genom_tjansten_med_andringsloggen(forbund, verksamhetsutvecklare):
    services.forbund_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden={"paminnelse_dagar_fore": 5, "sammanfattning_veckodag": 4},
    )
    forbund.refresh_from_db()
    assert (forbund.paminnelse_dagar_fore, forbund.sammanfattning_veckodag) == (5, 4)
    rad = AuditEntry.objects.andringar().get()
    assert rad.changes == {"paminnelse_dagar_fore": [3, 5], "sammanfattning_veckodag": [0, 4]}


def test_anvandaren_far_bara_andra_sina_egna_slag(ansvarig):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.paminnelser_spara(user=ansvarig, varden={"paminnelse_vecka": False})


# --- The page -------------------------------------------------------------------------------


def test_sidan_kraver_inloggning(client):
    response = client.get("/konton/paminnelser/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/logga-in/?next=/konton/paminnelser/",
    )


def test_sidan_sparar_med_en_rad_i_andringsloggen(client, ansvarig):
    client.force_login(ansvarig)
    html = client.get("/konton/paminnelser/").content.decode()
    assert "Påminnelser om mina månadsrapporter" in html
    assert 'name="paminnelse_manad"' in html and "checked" in html
    assert 'name="paminnelse_vecka"' not in html  # not the insatsansvarig's
    assert "Veckosammanfattningen skickas" not in html
    assert "3 dagar före sista rapportdagen och 2 dagar efter" in html
    assert "anna@example.se" in html

    response = client.post("/konton/paminnelser/", {})
    assert (response.status_code, response["Location"]) == (302, "/konton/paminnelser/")
    ansvarig.refresh_from_db()
    assert ansvarig.paminnelse_manad is False
    rad = AuditEntry.objects.andringar().get()
    assert (rad.user, rad.action, rad.forbund_id) == (
        ansvarig,
        AuditEntry.Action.ANDRAD,
        ansvarig.forbund_id,
    )
    assert rad.changes == {"paminnelse_manad": [True, False]}
    assert "checked" not in client.get("/konton/paminnelser/").content.decode()

    client.post("/konton/paminnelser/", {"paminnelse_manad": "on"})
    ansvarig.refresh_from_db()
    assert ansvarig.paminnelse_manad is True
    assert AuditEntry.objects.andringar().count() == 2


def test_sparat_utan_andring_skriver_ingen_rad(client, vu):
    client.force_login(vu)
    client.post("/konton/paminnelser/", {"paminnelse_vecka": "on"})
    assert not AuditEntry.objects.andringar().exists()


@pytest.mark.parametrize(
    ("persona", "lank"),
    [
        ("insatsansvarig", True),
        ("verksamhetsutvecklare", True),
        ("forbundschef", False),
        ("styrelse", False),
    ],
)
def test_lanken_i_sidhuvudet_for_den_som_far_paminnelser(client, request, persona, lank):
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/", follow=True).content.decode()
    assert ('href="/konton/paminnelser/"' in html) is lank
