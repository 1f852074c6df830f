"""The admin of outcomes and effects as a thin door: adds and changes go through the services of
`registrering.services.effekter` (audit rows), the forms ask the same rules, rates are read with
a decimal comma, and another förbund's rows can be neither seen nor chosen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forflyttning,
    Inkomstnyckeltal,
    Utfallsmal,
)
from tests import factories as f
from tests.registrering.test_admin import formulardata, url

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
AR = 2025


@pytest.fixture
def vu(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    return client


def test_utfallsmal_laggs_till_och_andras_genom_tjansten(vu, insats):
    response = vu.post(url("utfallsmal_add"), {"insats": insats.pk, "ar": "2025", "procent": "35"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mal = Utfallsmal.objects.get(insats=insats, ar=AR)
    assert audit_entries_for(mal).get().action == Action.SKAPAD

    sida = vu.get(url("utfallsmal_change", mal.pk))
    response = vu.post(url("utfallsmal_change", mal.pk), {**formulardata(sida), "procent": "40"})
    assert response.status_code == 302
    mal.refresh_from_db()
    assert mal.procent == 40
    assert audit_entries_for(mal).latest("tid").changes == {"procent": [35, 40]}


def test_utfallsmal_over_100_nekas_vid_faltet(vu, insats):
    response = vu.post(url("utfallsmal_add"), {"insats": insats.pk, "ar": "2025", "procent": "120"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["procent"] == [
        "Målet ska vara mellan 0 och 100 %."
    ]
    assert not Utfallsmal.objects.exists()


def test_inkomstsidan_andras_med_decimalkomma_genom_tjansten(vu, verksamhetsutvecklare, forbund):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)
    rad = Inkomstnyckeltal.objects.get(forbund=forbund, ar=AR)
    sida = vu.get(url("inkomstnyckeltal_change", rad.pk))
    data = formulardata(sida)
    assert data["kommunalskatt"] == "20,67"

    response = vu.post(url("inkomstnyckeltal_change", rad.pk), {**data, "kommunalskatt": "21,05 %"})

    assert response.status_code == 302, response.content.decode()[:2000]
    rad.refresh_from_db()
    assert rad.kommunalskatt == Decimal("21.05")
    logg = audit_entries_for(rad).latest("tid")
    assert (logg.action, logg.changes) == (Action.ANDRAD, {"kommunalskatt": ["20.67", "21.05"]})


def test_nyckeltalens_regler_i_formularet_och_ingen_borttagning(vu, verksamhetsutvecklare, forbund):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)
    rad = Ersattningsnyckeltal.objects.get(forbund=forbund, ar=AR, kod="a_kassa")
    data = formulardata(vu.get(url("ersattningsnyckeltal_change", rad.pk)))
    response = vu.post(url("ersattningsnyckeltal_change", rad.pk), {**data, "okning": "2,555"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["okning"] == [
        "Den årliga ökningen kan ha högst två decimaler."
    ]
    assert vu.get(url("ersattningsnyckeltal_delete", rad.pk)).status_code == 403
    enkla = Effektnyckeltal.objects.get(forbund=forbund, ar=AR)
    assert vu.post(url("effektnyckeltal_delete", enkla.pk), {"post": "yes"}).status_code == 403
    assert Effektnyckeltal.objects.filter(pk=enkla.pk).exists()


def test_ny_forflyttning_och_borttagning_genom_tjansten(vu, insats, forbund):
    data = {"insats": insats.pk, "ar": "2025", "fran": "forsorjningsstod", "till": "arbete"}
    response = vu.post(url("forflyttning_add"), {**data, "antal": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    rad = Forflyttning.objects.get(insats=insats, ar=AR)
    assert (rad.antal, audit_entries_for(rad).get().action) == (3, Action.SKAPAD)
    # The service gave the year its key figures first.
    assert Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=AR).exists()

    response = vu.post(url("forflyttning_delete", rad.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Forflyttning.objects.exists()
    assert AuditEntry.objects.filter(action=Action.BORTTAGEN, object_id=str(rad.pk)).exists()


def test_forflyttning_fran_en_okand_ersattning_nekas(vu, insats):
    data = {"insats": insats.pk, "ar": "2025", "fran": "lotteri", "till": "arbete", "antal": "1"}
    response = vu.post(url("forflyttning_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["fran"] == [
        "Ersättningen lotteri finns inte bland årets nyckeltal."
    ]
    assert not Forflyttning.objects.exists()


def test_ett_annat_forbunds_rader_syns_inte_och_kan_inte_valjas(vu, annat_forbund, utomstaende):
    deras_insats = f.InsatsFactory(forbund=annat_forbund, namn="Annanstans insats")
    deras_mal = services.utfallsmal_satt(user=utomstaende, insats=deras_insats, ar=AR, procent=30)
    services.nyckeltal_for_aret(user=utomstaende, forbund=annat_forbund, ar=AR)
    deras_inkomst = Inkomstnyckeltal.objects.get(forbund=annat_forbund)

    assert vu.get(url("utfallsmal_change", deras_mal.pk)).status_code == 302  # "finns inte"
    assert vu.get(url("inkomstnyckeltal_change", deras_inkomst.pk)).status_code == 302
    lista = vu.get(url("utfallsmal_changelist"))
    assert list(lista.context["cl"].result_list) == []

    response = vu.post(
        url("utfallsmal_add"), {"insats": deras_insats.pk, "ar": "2026", "procent": "35"}
    )
    assert response.status_code == 200
    assert "insats" in response.context["adminform"].form.errors
    assert not Utfallsmal.objects.filter(ar=2026).exists()
    deras_mal.refresh_from_db()
    assert deras_mal.procent == 30
