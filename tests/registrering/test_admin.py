"""The admin: the role matrix, the förbund scope, the audit log and the month workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Forbund,
    Insats,
    Justering,
    Malgrupp,
    Manadsrapport,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = Manadsrapport.Status


def url(vy: str, *args: Any) -> str:
    return reverse(f"admin:registrering_{vy}", args=args)


def formulardata(response: Any) -> dict[str, Any]:
    """What the browser would post back from an admin change form, inlines included."""
    data: dict[str, Any] = {}

    def lagg_till(form: Any) -> None:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue  # a browser posts no file back for a file field left as it is
            if value is True:
                value = "on"
            elif isinstance(value, dt.datetime):
                # The admin's split date and time widget.
                lokal = timezone.localtime(value)
                data[form.add_prefix(f"{name}_0")] = lokal.date().isoformat()
                data[form.add_prefix(f"{name}_1")] = lokal.strftime("%H:%M:%S")
                continue
            elif isinstance(value, dt.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = value

    lagg_till(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        lagg_till(formset.management_form)
        for form in formset.forms:
            lagg_till(form)
    return data


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", forbund=None, is_staff=True, is_superuser=True)


@pytest.fixture
def vart(forbund, insats):
    """A few objects of our förbund, with names to look for."""
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Vår grupp")
    insats.grupp = grupp
    insats.save()
    anledning = f.AvslutsanledningFactory(forbund=forbund, namn="Vår anledning")
    anledning.insatser.add(insats)
    huvudman = f.HuvudmanFactory(forbund=forbund, namn="Vår huvudman")
    rapport = f.ManadsrapportFactory(insats=insats, ar=2025, manad=3, nya_kvinnor=2)
    return {"grupp": grupp, "anledning": anledning, "huvudman": huvudman, "rapport": rapport}


@pytest.fixture
def deras(annat_forbund):
    """The same kinds of objects in another förbund."""
    insats = f.InsatsFactory(forbund=annat_forbund, namn="Deras insats")
    grupp = f.InsatsgruppFactory(forbund=annat_forbund, namn="Deras grupp")
    anledning = f.AvslutsanledningFactory(forbund=annat_forbund, namn="Deras anledning")
    huvudman = f.HuvudmanFactory(forbund=annat_forbund, namn="Deras huvudman")
    rapport = f.ManadsrapportFactory(insats=insats, ar=2025, manad=3)
    return {
        "insats": insats,
        "grupp": grupp,
        "anledning": anledning,
        "huvudman": huvudman,
        "rapport": rapport,
    }


# --- every model, every page -------------------------------------------------------------------
# Which persona gets which answer on every page of every model (our objects and another
# förbund's), and that each list shows exactly the persona's förbund, are in
# tests/test_behorighetsmatris.py.


# Models deliberately kept out of the admin, each with the reason; every other model has one.
UTAN_ADMIN = {
    # A group spans several förbund, so it belongs in no förbund's scoped admin (the kansli's
    # fallback tool). The systemadministratör, and a superuser, manage groups and their
    # samordnare on /system/grupper/, whose services (registrering.services.samverkan) hold the
    # rules of registrering.samverkansregler and write the audit rows.
    "forbundsgrupp",
    # The data version is a counter that only the audit writer bumps (registrering.dataversion),
    # never data anyone enters or corrects.
    "dataversion",
}


def _modeller() -> set[str]:
    return {m._meta.model_name for m in apps.get_app_config("registrering").get_models()}


def test_varje_modell_har_en_admin():
    registrerade = {
        model._meta.model_name
        for model in apps.get_app_config("registrering").get_models()
        if admin.site.is_registered(model)
    }
    assert registrerade == _modeller() - UTAN_ADMIN
    assert not UTAN_ADMIN - _modeller()  # the list names no model that is gone


@pytest.fixture
def allt(forbund, insats, verksamhetsutvecklare):
    return f.ett_av_varje(forbund, insats, verksamhetsutvecklare)


def test_fixturen_tacker_varje_modell(allt):
    assert set(allt) == _modeller() - UTAN_ADMIN


def test_index_ar_pa_svenska(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "Månadsrapporter" in content
    assert "Insatser" in content


# --- the role matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("roll", ["verksamhetsutvecklare", "forbundschef"])
def test_administrerande_roller_andrar_insats(request, client, roll, insats):
    client.force_login(request.getfixturevalue(roll))
    response = client.get(url("insats_changelist"))
    assert response.status_code == 200
    assert "Försteg Testby" in response.content.decode()

    response = client.get(url("insats_change", insats.pk))
    assert response.status_code == 200
    data = formulardata(response)
    data["namn"] = "Försteg Testby ny"
    response = client.post(url("insats_change", insats.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    insats.refresh_from_db()
    assert insats.namn == "Försteg Testby ny"


@pytest.mark.parametrize("roll", ["verksamhetsutvecklare", "forbundschef"])
def test_administrerande_roller_lagger_till_insats_i_sitt_forbund(
    request, client, roll, forbund, annat_forbund
):
    client.force_login(request.getfixturevalue(roll))
    response = client.get(url("insats_add"))
    assert response.status_code == 200
    falt = response.context["adminform"].form.fields["forbund"]
    assert falt.widget.is_hidden
    data = {
        "namn": "Ny insats",
        "inriktning": "individ",
        "uppfoljning": "deltagarflode",
        "startdatum": "2026-01-01",
        "ordning": "0",
        # Posting another förbund is ignored: the field is fixed to the user's.
        "forbund": str(annat_forbund.pk),
    }
    response = client.post(url("insats_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ny = Insats.objects.get(namn="Ny insats")
    assert ny.forbund == forbund
    entry = audit_entries_for(ny).get()
    assert entry.action == AuditEntry.Action.SKAPAD
    assert entry.changes["namn"] == [None, "Ny insats"]
    assert entry.forbund == forbund


def test_samma_namn_tva_ganger_ger_ett_fel_inte_ett_krasch(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    data = {
        "namn": insats.namn,
        "inriktning": "individ",
        "uppfoljning": "deltagarflode",
        "startdatum": "2026-01-01",
        "ordning": "0",
    }
    response = client.post(url("insats_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Insats.objects.filter(namn=insats.namn).count() == 1


def test_superuser_valjer_forbund(client, superuser):
    client.force_login(superuser)
    response = client.get(url("insats_add"))
    assert not response.context["adminform"].form.fields["forbund"].widget.is_hidden


def test_styrelse_har_ingen_admin_aven_med_is_staff(client, styrelse, insats):
    """The board reads the goal page and the bilaga: the admin's flag alone opens no door."""
    assert styrelse.is_staff
    client.force_login(styrelse)
    for adress in (
        url("insats_changelist"),
        url("insats_change", insats.pk),
        reverse("admin:index"),
    ):
        response = client.get(adress)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    response = client.post(url("insats_change", insats.pk), {"namn": "Styrelsens namn"})
    assert response.status_code == 302
    insats.refresh_from_db()
    assert insats.namn == "Försteg Testby"
    # The admin's login page does not ask them to log in as someone else.
    response = client.get(reverse("admin:login"))
    assert response.status_code == 403
    assert "verksamhetsutvecklarens och förbundschefens verktyg" in response.content.decode()


def test_forbundschefen_har_admin(client, forbundschef):
    client.force_login(forbundschef)
    assert client.get(reverse("admin:index")).status_code == 200


def test_insatsansvarig_har_ingen_admin(client, insatsansvarig):
    client.force_login(insatsansvarig)
    response = client.get(url("insats_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- the förbund scope -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vy",
    [
        "insats",
        "manadsrapport",
        "insatsgrupp",
        "avslutsanledning",
        "huvudman",
        "forbund",
        "user",
        "auditentry",
    ],
)
def test_utomstaende_ser_inget_av_vart(client, utomstaende, verksamhetsutvecklare, vart, vy):
    # An audit row of ours, so that the log has something to hide.
    client.force_login(verksamhetsutvecklare)
    client.post(
        url("manadsrapport_changelist"),
        {"action": "godkann", ACTION_CHECKBOX_NAME: [vart["rapport"].pk]},
    )
    assert AuditEntry.objects.filter(forbund__namn="Samordningsförbundet Testbygden").exists()

    client.force_login(utomstaende)
    response = client.get(url(f"{vy}_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    for namn in (
        "Försteg Testby",
        "Vår grupp",
        "Vår anledning",
        "Vår huvudman",
        "Samordningsförbundet Testbygden",
        ">vu<",
    ):
        assert namn not in content, (vy, namn)


def test_utomstaende_kan_inte_godkanna_var_manad(client, utomstaende, vart):
    client.force_login(utomstaende)
    client.post(
        url("manadsrapport_changelist"),
        {"action": "godkann", ACTION_CHECKBOX_NAME: [vart["rapport"].pk]},
    )
    vart["rapport"].refresh_from_db()
    assert vart["rapport"].status == Status.UTKAST


def test_val_i_formular_ar_begransade_till_forbundet(client, verksamhetsutvecklare, vart, deras):
    client.force_login(verksamhetsutvecklare)
    form = client.get(url("insats_add")).context["adminform"].form
    assert list(form.fields["grupp"].queryset) == [vart["grupp"]]
    assert set(form.fields["insatsansvariga"].queryset) == {verksamhetsutvecklare}

    form = client.get(url("manadsrapport_add")).context["adminform"].form
    assert deras["insats"] not in form.fields["insats"].queryset
    assert vart["rapport"].insats in form.fields["insats"].queryset

    response = client.get(url("manadsrapport_change", vart["rapport"].pk))
    inlines = {i.formset.model: i.formset for i in response.context["inline_admin_formsets"]}
    anledningar = inlines[AvslutadePerAnledning].empty_form.fields["anledning"].queryset
    assert list(anledningar) == [vart["anledning"]]

    form = client.get(url("justering_add")).context["adminform"].form
    assert deras["insats"] not in form.fields["insats"].queryset


def test_annat_forbunds_objekt_kan_inte_postas(client, verksamhetsutvecklare, insats, vart, deras):
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("insats_change", insats.pk)))
    data["grupp"] = str(deras["grupp"].pk)
    response = client.post(url("insats_change", insats.pk), data)
    assert response.status_code == 200
    assert "grupp" in response.context["adminform"].form.errors
    insats.refresh_from_db()
    assert insats.grupp == vart["grupp"]


def test_autocomplete_visar_bara_vara_insatser(client, verksamhetsutvecklare, insats, deras):
    client.force_login(verksamhetsutvecklare)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "registrering", "model_name": "manadsrapport", "field_name": "insats"},
    )
    assert response.status_code == 200
    namn = {r["text"] for r in response.json()["results"]}
    assert "Försteg Testby" in namn
    assert "Deras insats" not in namn


# --- audit log and history ---------------------------------------------------------------------


def test_andring_loggas_med_fore_och_efter_och_visas_i_historiken(
    client, verksamhetsutvecklare, insats
):
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("insats_change", insats.pk)))
    data["namn"] = "Försteg Nyby"
    data["beskrivning"] = "Förberedande insats"
    client.post(url("insats_change", insats.pk), data)

    entry = audit_entries_for(insats).get()
    assert entry.action == AuditEntry.Action.ANDRAD
    assert entry.user == verksamhetsutvecklare
    assert entry.changes == {
        "beskrivning": ["", "Förberedande insats"],
        "namn": ["Försteg Testby", "Försteg Nyby"],
    }

    response = client.get(url("insats_history", insats.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ändringshistorik" in content
    assert "Ändrad" in content
    assert "Namn: Försteg Testby → Försteg Nyby" in content
    assert str(verksamhetsutvecklare) in content


def test_spara_utan_andring_loggar_inget(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("insats_change", insats.pk)))
    client.post(url("insats_change", insats.pk), data)
    assert not audit_entries_for(insats).exists()


def test_andrad_fordelning_loggas_i_manadens_post(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("manadsrapport_change", rapport.pk)))
    data["avslutade_kvinnor"] = "1"
    data["avslut-TOTAL_FORMS"] = "1"
    data["avslut-0-anledning"] = str(vart["anledning"].pk)
    data["avslut-0-antal"] = "1"
    response = client.post(url("manadsrapport_change", rapport.pk), data)
    assert response.status_code == 302, response.context["errors"]

    rapport.refresh_from_db()
    assert rapport.avslutade_kvinnor == 1
    assert rapport.version == 2
    entry = audit_entries_for(rapport).get()
    assert entry.changes["avslutade_kvinnor"] == [0, 1]
    assert entry.changes["avslut"] == [{}, {"Vår anledning": 1}]
    content = client.get(url("manadsrapport_history", rapport.pk)).content.decode()
    assert "Avslutade per avslutsanledning: – → Vår anledning: 1" in content


def test_fordelning_maste_stamma_med_totalen(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("manadsrapport_change", rapport.pk)))
    data["nya_huvudman-TOTAL_FORMS"] = "1"
    data["nya_huvudman-0-huvudman"] = str(vart["huvudman"].pk)
    data["nya_huvudman-0-antal"] = "1"
    response = client.post(url("manadsrapport_change", rapport.pk), data)
    assert response.status_code == 200
    assert "Fördelningen per huvudman (1) stämmer inte med antalet nya (2)." in (
        response.content.decode()
    )
    assert not rapport.nya_huvudman.exists()


def test_avslutsanledning_maste_anvandas_av_insatsen(client, verksamhetsutvecklare, vart, forbund):
    annan = f.AvslutsanledningFactory(forbund=forbund, namn="Inte för Testby")
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("manadsrapport_change", rapport.pk)))
    data.update(
        {
            "avslutade_kvinnor": "1",
            "avslut-TOTAL_FORMS": "1",
            "avslut-0-anledning": str(annan.pk),
            "avslut-0-antal": "1",
        }
    )
    response = client.post(url("manadsrapport_change", rapport.pk), data)
    assert response.status_code == 200
    assert "Okänd avslutsanledning för den här insatsen." in response.content.decode()


def test_manad_som_inte_ar_slut_kan_inte_laggas_till(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    nasta_ar = timezone.localdate().year + 1
    data = {
        "insats": str(insats.pk),
        "ar": str(nasta_ar),
        "manad": "1",
        "nya_kvinnor": "0",
        "nya_man": "0",
        "avslutade_kvinnor": "0",
        "avslutade_man": "0",
        "avslut-TOTAL_FORMS": "0",
        "avslut-INITIAL_FORMS": "0",
        "nya_huvudman-TOTAL_FORMS": "0",
        "nya_huvudman-INITIAL_FORMS": "0",
    }
    response = client.post(url("manadsrapport_add"), data)
    assert response.status_code == 200
    assert f"Januari {nasta_ar} är inte slut än." in response.content.decode()
    data["ar"] = "2025"
    response = client.post(url("manadsrapport_add"), data)
    assert response.status_code == 302
    rapport = Manadsrapport.objects.get(insats=insats)
    assert audit_entries_for(rapport).get().action == AuditEntry.Action.SKAPAD


def test_samtidig_andring_upptacks(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    data = formulardata(client.get(url("manadsrapport_change", rapport.pk)))
    Manadsrapport.objects.filter(pk=rapport.pk).update(version=5)
    data["nya_man"] = "1"
    response = client.post(url("manadsrapport_change", rapport.pk), data)
    assert response.status_code == 200
    assert "Någon annan har sparat månaden" in response.content.decode()


def test_borttagning_loggas(client, verksamhetsutvecklare, forbund):
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Gammal grupp")
    client.force_login(verksamhetsutvecklare)
    response = client.post(url("insatsgrupp_delete", grupp.pk), {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.BORTTAGEN)
    assert entry.object_repr == "Gammal grupp"
    assert entry.changes["namn"] == ["Gammal grupp", None]
    assert entry.forbund == forbund


def test_borttagning_via_atgard_loggas(client, verksamhetsutvecklare, forbund):
    grupper = [f.InsatsgruppFactory(forbund=forbund, namn=f"Grupp {i}") for i in range(2)]
    client.force_login(verksamhetsutvecklare)
    client.post(
        url("insatsgrupp_changelist"),
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [g.pk for g in grupper]},
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.BORTTAGEN).count() == 2


def test_justering_far_skapad_av(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    data = {
        "insats": str(insats.pk),
        "ar": "2025",
        "manad": "12",
        "kvinnor": "1",
        "man": "0",
        "anledning": "Inventering 31/12",
    }
    response = client.post(url("justering_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    justering = Justering.objects.get()
    assert justering.skapad_av == verksamhetsutvecklare
    assert audit_entries_for(justering).get().action == AuditEntry.Action.SKAPAD


# --- the month workflow ------------------------------------------------------------------------


def _atgard(client, action, *rapporter, **extra):
    return client.post(
        url("manadsrapport_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in rapporter], **extra},
    )


def test_godkann_gar_genom_tjansten_och_laser_manaden(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    response = _atgard(client, "godkann", rapport)
    assert response.status_code == 302

    rapport.refresh_from_db()
    assert rapport.status == Status.GODKAND
    assert rapport.godkand_av == verksamhetsutvecklare
    entry = audit_entries_for(rapport).get()
    assert entry.action == AuditEntry.Action.GODKAND
    assert entry.changes["status"] == ["utkast", "godkand"]
    history = client.get(url("manadsrapport_history", rapport.pk)).content.decode()
    assert "Status: utkast → godkänd" in history

    # Locked: the change page is read-only and a posted change is refused.
    response = client.get(url("manadsrapport_change", rapport.pk))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert "godkänd och låst" in response.content.decode()
    data = {"nya_kvinnor": "9", "nya_man": "0", "avslutade_kvinnor": "0", "avslutade_man": "0"}
    assert client.post(url("manadsrapport_change", rapport.pk), data).status_code == 403
    assert client.get(url("manadsrapport_delete", rapport.pk)).status_code == 403
    rapport.refresh_from_db()
    assert rapport.nya_kvinnor == 2


def test_arbetsflodets_falt_ar_skrivskyddade(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    response = client.get(url("manadsrapport_change", rapport.pk))
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "godkand_av" not in form.fields
    data = formulardata(response)
    data["status"] = "godkand"
    client.post(url("manadsrapport_change", rapport.pk), data)
    rapport.refresh_from_db()
    assert rapport.status == Status.UTKAST


def test_fel_fran_tjansten_visas_som_meddelande(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    response = _atgard(client, "markera_registrerade", rapport)
    meddelanden = [str(m) for m in response.wsgi_request._messages]
    assert any("kan inte" in m for m in meddelanden), meddelanden
    rapport.refresh_from_db()
    assert rapport.status == Status.UTKAST


def test_markera_registrerad(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    _atgard(client, "godkann", rapport)
    _atgard(client, "markera_registrerade", rapport)
    rapport.refresh_from_db()
    assert rapport.status == Status.REGISTRERAD
    assert rapport.registrerad_av == verksamhetsutvecklare


def test_returnera_fragar_efter_kommentar(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    Manadsrapport.objects.filter(pk=rapport.pk).update(status=Status.INSKICKAD)
    client.force_login(verksamhetsutvecklare)
    response = _atgard(client, "returnera", rapport)
    assert response.status_code == 200
    assert "Vad behöver rättas?" in response.content.decode()

    response = _atgard(client, "returnera", rapport, bekrafta="ja", motivering="")
    assert response.status_code == 200
    assert response.context["form"].errors

    _atgard(client, "returnera", rapport, bekrafta="ja", motivering="Summan stämmer inte.")
    rapport.refresh_from_db()
    assert rapport.status == Status.RETURNERAD
    assert rapport.returkommentar == "Summan stämmer inte."


def test_las_upp_gor_manaden_redigerbar_igen(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    client.force_login(verksamhetsutvecklare)
    _atgard(client, "godkann", rapport)
    _atgard(client, "las_upp", rapport, bekrafta="ja", motivering="Fel siffra i mars.")
    rapport.refresh_from_db()
    assert rapport.status == Status.INSKICKAD
    assert audit_entries_for(rapport).first().kommentar == "Fel siffra i mars."
    response = client.get(url("manadsrapport_change", rapport.pk))
    assert 'name="_save"' in response.content.decode()


def test_styrelse_kan_inte_godkanna(client, styrelse, vart):
    client.force_login(styrelse)
    response = client.get(url("manadsrapport_changelist"))
    assert response.url.startswith(reverse("admin:login"))
    _atgard(client, "godkann", vart["rapport"])
    vart["rapport"].refresh_from_db()
    assert vart["rapport"].status == Status.UTKAST


def test_last_manads_fordelning_kan_inte_andras_separat(client, verksamhetsutvecklare, vart):
    rapport = vart["rapport"]
    rad = AvslutadePerAnledning.objects.create(
        rapport=rapport, anledning=vart["anledning"], antal=0
    )
    client.force_login(verksamhetsutvecklare)
    _atgard(client, "godkann", rapport)
    assert (
        client.post(url("avslutadeperanledning_change", rad.pk), {"antal": "5"}).status_code == 403
    )
    assert (
        client.post(url("avslutadeperanledning_delete", rad.pk), {"post": "yes"}).status_code == 403
    )
    assert AvslutadePerAnledning.objects.filter(pk=rad.pk, antal=0).exists()


# --- förbund, users, shared lists and the audit log itself -----------------------------------


def test_forbundet_ar_sitt_eget_och_bara_texterna_andras(
    client, verksamhetsutvecklare, forbund, annat_forbund
):
    client.force_login(verksamhetsutvecklare)
    content = client.get(url("forbund_changelist")).content.decode()
    assert "Samordningsförbundet Testbygden" in content
    assert "Samordningsförbundet Annanstans" not in content
    assert client.get(url("forbund_add")).status_code == 403
    assert client.get(url("forbund_change", annat_forbund.pk)).status_code == 302

    response = client.get(url("forbund_change", forbund.pk))
    form = response.context["adminform"].form
    assert "namn" not in form.fields
    data = formulardata(response)
    data["bakgrund_text"] = "Förbundet bildades 2005."
    data["namn"] = "Nytt namn"
    assert client.post(url("forbund_change", forbund.pk), data).status_code == 302
    forbund.refresh_from_db()
    assert forbund.bakgrund_text == "Förbundet bildades 2005."
    assert forbund.namn == "Samordningsförbundet Testbygden"
    entry = audit_entries_for(forbund).get()
    assert entry.forbund == forbund
    assert entry.changes == {"bakgrund_text": ["", "Förbundet bildades 2005."]}
    assert client.post(url("forbund_delete", forbund.pk), {"post": "yes"}).status_code == 403
    assert Forbund.objects.filter(pk=forbund.pk).exists()


def test_anvandare_bara_las_for_forbundet(
    client, verksamhetsutvecklare, forbundschef, styrelse, utomstaende
):
    client.force_login(verksamhetsutvecklare)
    content = client.get(url("user_changelist")).content.decode()
    assert ">chef<" in content
    assert ">utomstaende<" not in content
    response = client.get(url("user_change", forbundschef.pk))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert "password/" not in response.content.decode()
    assert client.post(url("user_change", forbundschef.pk), {"username": "x"}).status_code == 403
    assert client.get(url("user_add")).status_code == 403
    assert client.get(url("user_change", utomstaende.pk)).status_code == 302

    client.force_login(styrelse)
    assert client.get(url("user_changelist")).url.startswith(reverse("admin:login"))


def test_superuser_hanterar_anvandare(client, superuser, forbund, styrelse):
    client.force_login(superuser)
    response = client.get(url("user_change", styrelse.pk))
    data = formulardata(response)
    data["first_name"] = "Stina"
    response = client.post(url("user_change", styrelse.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    styrelse.refresh_from_db()
    assert styrelse.first_name == "Stina"
    assert audit_entries_for(styrelse).get().changes == {"first_name": ["", "Stina"]}


def test_malgrupper_och_andringslogg_ar_skrivskyddade_aven_for_superuser(
    client, superuser, verksamhetsutvecklare, vart
):
    client.force_login(verksamhetsutvecklare)
    _atgard(client, "godkann", vart["rapport"])
    entry = AuditEntry.objects.andringar().get()
    malgrupp = Malgrupp.objects.first()

    client.force_login(superuser)
    assert client.get(url("auditentry_add")).status_code == 403
    assert client.post(url("auditentry_change", entry.pk), {"kommentar": "x"}).status_code == 403
    assert client.post(url("auditentry_delete", entry.pk), {"post": "yes"}).status_code == 403
    assert client.get(url("malgrupp_add")).status_code == 403
    assert client.post(url("malgrupp_change", malgrupp.pk), {"namn": "x"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, kommentar="").exists()

    response = client.get(url("auditentry_change", entry.pk))
    assert "Status: utkast → godkänd" in response.content.decode()


def test_andringsloggen_filtreras_och_sokes(client, verksamhetsutvecklare, vart):
    client.force_login(verksamhetsutvecklare)
    _atgard(client, "godkann", vart["rapport"])
    lista = url("auditentry_changelist")
    assert "Försteg Testby" in client.get(lista, {"action": "godkand"}).content.decode()
    assert "Försteg Testby" not in client.get(lista, {"action": "skapad"}).content.decode()
    assert "Försteg Testby" in client.get(lista, {"q": "Testby"}).content.decode()
    assert (
        "Försteg Testby"
        in client.get(lista, {"user__id__exact": verksamhetsutvecklare.pk}).content.decode()
    )


# --- no N+1 in the lists -----------------------------------------------------------------------


def _antal_fragor(client, adress: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(adress).status_code == 200
    return len(queries)


@pytest.mark.parametrize("vem", ["verksamhetsutvecklare", "superuser"])
def test_ingen_lista_har_n_plus_1(
    request, client, django_assert_max_num_queries, vem, forbund, verksamhetsutvecklare
):
    """Every changelist (Insats and Manadsrapport among them) costs the same number of queries
    with 3 rows as with 15."""
    client.force_login(request.getfixturevalue(vem))
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")

    def skapa(fran: int, till: int) -> None:
        for n in range(fran, till):
            insats = f.InsatsFactory(forbund=forbund, namn=f"Insats {n}", grupp=grupp)
            f.ett_av_varje(forbund, insats, verksamhetsutvecklare, n=n)

    listor = sorted(_modeller() - UTAN_ADMIN)
    skapa(0, 3)
    fa = {vy: _antal_fragor(client, url(f"{vy}_changelist")) for vy in listor}
    skapa(3, 15)
    for vy in listor:
        with django_assert_max_num_queries(fa[vy]):
            response = client.get(url(f"{vy}_changelist"))
        assert response.status_code == 200
    assert Manadsrapport.objects.count() == 15
    assert "Insats 14" in client.get(url("manadsrapport_changelist")).content.decode()
    assert "Insats 14" in client.get(url("insats_changelist")).content.decode()
