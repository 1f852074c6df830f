"""The admin as a thin door: every save and delete of the förbund's figures goes through its
service (rules, write, audit row), inline rows included; a service's refusal is shown on the
form page with nothing saved; a key shown read-only is not also a field. (Numbers read as in the
browser: test_admin_siffror.py.)"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from registrering import regler, services
from registrering.audit import audit_entries_for
from registrering.models import (
    Arstotal,
    AuditEntry,
    BudgeteradVolym,
    Enkatsvar,
    Kostnadspost,
    Utfall,
)
from tests import factories as f
from tests.registrering.adminhjalp import (
    Enkat,
    budget_data,
    hantering,
    inline_fel,
    kostnadspost_data,
    ny_enkat,
    texter,
)
from tests.registrering.test_admin import formulardata, url

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


@pytest.fixture
def enkat(forbund, insats) -> Enkat:
    return ny_enkat(forbund, insats)


@pytest.fixture
def vu(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    return client


# --- cost posts and their utfall -----------------------------------------------------------------


def test_kostnadspost_med_utfall_laggs_till_sparas_igen_och_byter_namn(vu, forbund):
    data = kostnadspost_data(
        **hantering("utfall", 1),
        **{"utfall-0-manad": "1", "utfall-0-belopp": "1 000", "utfall-0-kommentar": ""},
    )
    response = vu.post(url("kostnadspost_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Kostnadspost.objects.get(forbund=forbund, namn="Kansli")
    assert post.budget == 100_000
    utfall = Utfall.objects.get(post=post)
    assert (utfall.manad, utfall.belopp) == (1, 1000)
    assert audit_entries_for(post).get().action == Action.SKAPAD
    assert audit_entries_for(utfall).get().action == Action.SKAPAD

    # Saved again unchanged, then renamed: no 500 from Django's change message.
    adress = url("kostnadspost_change", post.pk)
    assert vu.post(adress, formulardata(vu.get(adress))).status_code == 302
    data = formulardata(vu.get(adress))
    data["namn"] = "Kansliet"
    assert vu.post(adress, data).status_code == 302
    post.refresh_from_db()
    assert post.namn == "Kansliet"
    assert Utfall.objects.filter(post=post).count() == 1
    assert audit_entries_for(utfall).count() == 1


def test_utfallsrad_som_byter_manad_flyttas(vu, forbund):
    post = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=1000)
    gammal = Utfall.objects.create(post=post, manad=1, belopp=10, kommentar="Hyra")
    adress = url("kostnadspost_change", post.pk)
    data = formulardata(vu.get(adress))
    data["utfall-0-manad"] = "2"
    assert vu.post(adress, data).status_code == 302

    ny = Utfall.objects.get(post=post)
    assert (ny.manad, ny.kvartal, ny.belopp, ny.kommentar) == (2, None, 10, "Hyra")
    assert audit_entries_for(gammal).get().action == Action.BORTTAGEN
    assert audit_entries_for(ny).get().action == Action.SKAPAD


def test_utfallsrad_kan_inte_flyttas_till_en_upptagen_manad(vu, forbund):
    post = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=1000)
    Utfall.objects.create(post=post, manad=1, belopp=10)
    Utfall.objects.create(post=post, manad=2, belopp=20)
    adress = url("kostnadspost_change", post.pk)
    data = formulardata(vu.get(adress))
    manader = {data[f"utfall-{i}-manad"]: i for i in range(2)}
    data[f"utfall-{manader[1]}-manad"] = "2"
    response = vu.post(adress, data)
    assert response.status_code == 200
    assert inline_fel(response)
    assert sorted(Utfall.objects.values_list("manad", "belopp")) == [(1, 10), (2, 20)]
    assert not AuditEntry.objects.andringar().exists()


def test_kostnadspost_tas_bort_med_utfallet_genom_tjansten(vu, forbund):
    post = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=1000)
    utfall = Utfall.objects.create(post=post, kvartal=1, belopp=10)
    assert vu.post(url("kostnadspost_delete", post.pk), {"post": "yes"}).status_code == 302
    assert not Utfall.objects.exists()
    assert audit_entries_for(utfall).get().changes["belopp"] == ["10", None]
    assert audit_entries_for(post).get().action == Action.BORTTAGEN


# --- an utfall on its own page -------------------------------------------------------------------


@pytest.mark.parametrize("period", [{"manad": 3}, {"kvartal": 2}])
def test_befintligt_utfall_kan_andras(vu, forbund, period):
    post = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=1000)
    utfall = Utfall.objects.create(post=post, belopp=10, **period)
    adress = url("utfall_change", utfall.pk)
    data = formulardata(vu.get(adress))
    data["belopp"] = "25"
    response = vu.post(adress, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    utfall.refresh_from_db()
    assert utfall.belopp == 25
    assert audit_entries_for(utfall).get().changes["belopp"] == ["10", "25"]


# --- a service's refusal on the form page --------------------------------------------------------


def test_budgeterad_volym_fragar_tjanstens_regel_i_formularet(vu, insats):
    response = vu.post(url("budgeteradvolym_add"), budget_data(insats, "200000"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["volym"] == texter(services.budgeterad_volym_fel(ar=2026, volym=200_000))
    assert not BudgeteradVolym.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def test_en_regel_som_formularet_inte_fragade_visas_vid_faltet(vu, insats, monkeypatch):
    """The form lets the volume through (as if it had not asked the rule): the service's
    refusal is the form page with the rule's message, not a 500."""
    monkeypatch.setattr(services, "budgeterad_volym_fel", lambda **kwargs: [])
    response = vu.post(url("budgeteradvolym_add"), budget_data(insats, "200000"))
    assert response.status_code == 200
    monkeypatch.undo()
    form = response.context["adminform"].form
    assert form.errors["volym"] == texter(services.budgeterad_volym_fel(ar=2026, volym=200_000))
    assert not BudgeteradVolym.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def test_ett_nej_efter_skrivningen_rullar_tillbaka_allt(vu, insats, monkeypatch):
    satt = services.budgeterad_volym_satt

    def skriver_och_nekar(**kwargs: Any) -> BudgeteradVolym:
        satt(**kwargs)
        raise ValidationError({"volym": "Någon annan har ändrat volymen.", "insats": "Och här."})

    monkeypatch.setattr(services, "budgeterad_volym_satt", skriver_och_nekar)
    response = vu.post(url("budgeteradvolym_add"), budget_data(insats, "20"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["volym"] == ["Någon annan har ändrat volymen."]
    assert form.errors["insats"] == ["Och här."]
    assert not BudgeteradVolym.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def test_ett_nej_till_ett_skrivskyddat_falt_visas_over_formularet(vu, insats, monkeypatch):
    budget = BudgeteradVolym.objects.create(insats=insats, ar=2026, volym=20)

    def nekar(**kwargs: Any) -> BudgeteradVolym:
        raise ValidationError({"ar": "Året är stängt."})

    monkeypatch.setattr(services, "budgeterad_volym_satt", nekar)
    adress = url("budgeteradvolym_change", budget.pk)
    data = formulardata(vu.get(adress))
    data["volym"] = "30"
    response = vu.post(adress, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Året är stängt."]
    budget.refresh_from_db()
    assert budget.volym == 20


# --- årstotaler and enkätsvar through their services ---------------------------------------------


def arstotal_varden(**varden: Any) -> dict[str, Any]:
    return {
        "deltagare_kvinnor": 4,
        "deltagare_man": 3,
        "nya_kvinnor": 2,
        "nya_man": 1,
        "avslutade_kvinnor": 1,
        "avslutade_man": 0,
        "volym": None,
        "kalla": "SUS",
        **varden,
    }


def arstotal_data(insats: Any, ar: int = 2019, **varden: Any) -> dict[str, str]:
    data = {"insats": str(insats.pk), "ar": str(ar)}
    for falt, varde in arstotal_varden(**varden).items():
        data[falt] = "" if varde is None else str(varde)
    return data


def test_arstotal_sparas_andras_och_tas_bort_genom_tjansten(vu, insats):
    response = vu.post(url("arstotal_add"), arstotal_data(insats))
    assert response.status_code == 302, response.context["adminform"].form.errors
    arstotal = Arstotal.objects.get(insats=insats, ar=2019)
    skapad = audit_entries_for(arstotal).get()
    assert skapad.action == Action.SKAPAD
    assert skapad.changes["kalla"] == [None, "SUS"]

    adress = url("arstotal_change", arstotal.pk)
    response = vu.get(adress)
    assert {"insats", "ar"}.isdisjoint(response.context["adminform"].form.fields)
    data = formulardata(response)
    data["deltagare_kvinnor"] = "6"
    assert vu.post(adress, data).status_code == 302
    andrad = audit_entries_for(arstotal).filter(action=Action.ANDRAD).get()
    assert andrad.changes == {"deltagare_kvinnor": [4, 6]}

    assert "delete_selected" not in vu.get(url("arstotal_changelist")).content.decode()
    assert vu.post(url("arstotal_delete", arstotal.pk), {"post": "yes"}).status_code == 302
    assert not Arstotal.objects.exists()
    borttagen = audit_entries_for(arstotal).filter(action=Action.BORTTAGEN).get()
    assert borttagen.changes["kalla"] == ["SUS", None]


@pytest.mark.parametrize(
    ("ar", "varden"),
    [
        (1999, {}),  # the year's range
        (2019, {"kalla": ""}),  # the source is required
        (2019, {"nya_kvinnor": 5}),  # more nya than deltagare
        (2019, {"volym": 200_000}),  # too large
    ],
)
def test_arstotal_fragar_tjanstens_regler(vu, insats, ar, varden):
    response = vu.post(url("arstotal_add"), arstotal_data(insats, ar, **varden))
    assert response.status_code == 200
    fel = services.arstotal_fel(ar=ar, varden=arstotal_varden(**varden))
    assert fel
    form = response.context["adminform"].form
    for rad in fel:
        assert rad.text in form.errors[rad.falt]
    assert not Arstotal.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def test_enkatsvar_sparas_andras_och_tas_bort_genom_tjansten(vu, enkat):
    data = {"tillfalle": str(enkat.tillfalle.pk), "alternativ": str(enkat.ja.pk), "antal": "7"}
    response = vu.post(url("enkatsvar_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    svar = Enkatsvar.objects.get()
    assert audit_entries_for(svar).get().changes == {"antal": [None, 7]}

    adress = url("enkatsvar_change", svar.pk)
    response = vu.get(adress)
    assert {"tillfalle", "alternativ"}.isdisjoint(response.context["adminform"].form.fields)
    data = formulardata(response)
    data["antal"] = "9"
    assert vu.post(adress, data).status_code == 302
    assert audit_entries_for(svar).filter(action=Action.ANDRAD).get().changes == {"antal": [7, 9]}

    assert "delete_selected" not in vu.get(url("enkatsvar_changelist")).content.decode()
    assert vu.post(url("enkatsvar_delete", svar.pk), {"post": "yes"}).status_code == 302
    assert not Enkatsvar.objects.exists()
    assert audit_entries_for(svar).filter(action=Action.BORTTAGEN).get().changes == {
        "antal": [9, None]
    }


def test_enkatsvar_orimligt_stort_avvisas(vu, enkat):
    data = {"tillfalle": str(enkat.tillfalle.pk), "alternativ": str(enkat.ja.pk), "antal": "200000"}
    response = vu.post(url("enkatsvar_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["antal"] == texter(
        services.enkatsvar_fel(antal=200_000)
    )
    assert not Enkatsvar.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def tillfalle_data(enkat: Enkat, insats: Any) -> dict[str, str]:
    return {
        "namn": enkat.tillfalle.namn,
        "datum": enkat.tillfalle.datum.isoformat(),
        "insats": str(insats.pk),
    }


def test_enkatsvar_i_tillfallet_gar_genom_tjansten(vu, enkat, insats):
    adress = url("enkattillfalle_change", enkat.tillfalle.pk)
    data = {
        **tillfalle_data(enkat, insats),
        **hantering("svar", 1),
        "svar-0-alternativ": str(enkat.ja.pk),
        "svar-0-antal": "4",
    }
    assert vu.post(adress, data).status_code == 302
    svar = Enkatsvar.objects.get(tillfalle=enkat.tillfalle)
    assert (svar.alternativ, svar.antal) == (enkat.ja, 4)
    assert audit_entries_for(svar).get().changes == {"antal": [None, 4]}
    # One audit row per write: the service's, not a copy in the occasion's.
    assert not audit_entries_for(enkat.tillfalle).exists()

    # Moved to another option: no copy is left under the first.
    data = formulardata(vu.get(adress))
    data["svar-0-alternativ"] = str(enkat.nej.pk)
    assert vu.post(adress, data).status_code == 302
    flyttat = Enkatsvar.objects.get(tillfalle=enkat.tillfalle)
    assert (flyttat.alternativ, flyttat.antal) == (enkat.nej, 4)
    assert audit_entries_for(svar).filter(action=Action.BORTTAGEN).exists()

    # Deleting the occasion removes its answers through the service.
    assert (
        vu.post(url("enkattillfalle_delete", enkat.tillfalle.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not Enkatsvar.objects.exists()
    assert audit_entries_for(flyttat).filter(action=Action.BORTTAGEN).get().changes == {
        "antal": [4, None]
    }


def test_enkatsvar_i_tillfallet_orimligt_stort_avvisas_vid_raden(vu, enkat, insats):
    data = {
        **tillfalle_data(enkat, insats),
        **hantering("svar", 1),
        "svar-0-alternativ": str(enkat.ja.pk),
        "svar-0-antal": "200000",
    }
    response = vu.post(url("enkattillfalle_change", enkat.tillfalle.pk), data)
    assert response.status_code == 200
    assert inline_fel(response) == texter(services.enkatsvar_fel(antal=200_000))
    assert not Enkatsvar.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


def test_utfallet_i_kostnadsposten_fragar_regeln_vid_raden(vu, forbund):
    data = kostnadspost_data(
        **hantering("utfall", 1),
        **{"utfall-0-manad": "1", "utfall-0-kvartal": "1", "utfall-0-belopp": "10"},
    )
    response = vu.post(url("kostnadspost_add"), data)
    assert response.status_code == 200
    fel = texter(regler.utfall(belopp=Decimal(10), manad=1, kvartal=1))
    assert fel
    assert set(fel) <= set(inline_fel(response))
    assert not Kostnadspost.objects.exists()
    assert not AuditEntry.objects.andringar().exists()


# --- a year shown read-only is not also a field --------------------------------------------------


@pytest.mark.parametrize(
    ("vy", "skapa"),
    [
        ("budgeteradvolym", lambda i: BudgeteradVolym.objects.create(insats=i, ar=2026, volym=20)),
        ("ingaendebalans", lambda i: f.IngaendeBalansFactory(insats=i, ar=2025, kvinnor=0)),
        ("arstotal", lambda i: f.ArstotalFactory(insats=i, ar=2019)),
    ],
)
def test_aret_pa_andringssidan_ar_skrivskyddat(vu, insats, vy, skapa):
    """A service writes per insats and year: an edited year would have written another
    year's row and left this one."""
    obj = skapa(insats)
    adress = url(f"{vy}_change", obj.pk)
    response = vu.get(adress)
    assert "ar" not in response.context["adminform"].form.fields
    data = {**formulardata(response), "ar": "2030"}
    assert vu.post(adress, data).status_code == 302
    assert list(type(obj).objects.values_list("ar", flat=True)) == [obj.ar]
