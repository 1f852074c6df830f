"""The member admin (a member with its population per year, and one year's population) as a
thin door onto `services.medlemmar`: `medlem_spara` saves, `medlem_ta_bort` removes, the forms
ask `registrering.forbundsregler` first and show its messages at the fields, and the service
writes the one audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import forbundsregler
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Befolkning, Medlem
from registrering.services.medlemmar import medlem_spara, medlem_ta_bort
from tests import factories as f
from tests.registrering.adminhjalp import hantering, inline_fel, texter
from tests.registrering.test_admin import formulardata, url

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


@pytest.fixture
def vu(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    return client


@pytest.fixture
def kommun(forbund) -> Medlem:
    medlem = Medlem.objects.create(forbund=forbund, namn="Testby kommun", typ="kommun")
    Befolkning.objects.create(medlem=medlem, ar=2024, invanare=5000)
    return medlem


@pytest.fixture
def region(forbund) -> Medlem:
    return Medlem.objects.create(forbund=forbund, namn="Region Testland", typ="region")


def befolkning(medlem: Medlem) -> dict[int, int]:
    return dict(medlem.befolkning.values_list("ar", "invanare"))


def med_ny_rad(data: dict[str, Any], ar: str, invanare: str) -> dict[str, Any]:
    """The change form's post with one more population row."""
    i = int(data["befolkning-TOTAL_FORMS"])
    return {
        **data,
        "befolkning-TOTAL_FORMS": str(i + 1),
        f"befolkning-{i}-ar": ar,
        f"befolkning-{i}-invanare": invanare,
    }


def test_befolkning_for_en_region_nekas_vid_faltet_och_inget_sparas(vu, region):
    adress = url("medlem_change", region.pk)
    response = vu.post(adress, med_ny_rad(formulardata(vu.get(adress)), "2024", "5 000"))

    assert response.status_code == 200
    vantat = texter(
        forbundsregler.medlem_fel(namn=region.namn, typ="region", invanare=5000, ar=2024),
        "invanare",
    )
    assert vantat and "bara för kommuner" in vantat[0]
    rad = response.context["inline_admin_formsets"][0].formset.forms[-1]
    assert rad.errors["invanare"] == vantat
    assert not Befolkning.objects.filter(medlem=region).exists()
    assert not audit_entries_for(region).exists()


def test_giltig_andring_skrivs_av_tjansten_med_en_loggrad(vu, kommun, verksamhetsutvecklare):
    adress = url("medlem_change", kommun.pk)
    data = med_ny_rad(formulardata(vu.get(adress)), "2025", "5 120")
    data["befolkning-0-invanare"] = "5 010"
    data["ordning"] = "2"

    response = vu.post(adress, data)

    assert response.status_code == 302, inline_fel(response)
    assert befolkning(kommun) == {2024: 5010, 2025: 5120}
    rad = audit_entries_for(kommun).get()
    assert (rad.action, rad.user) == (Action.ANDRAD, verksamhetsutvecklare)
    assert rad.changes == {
        "ordning": [0, 2],
        "invånare 31/12 2024": [5000, 5010],
        "invånare 31/12 2025": [None, 5120],
    }


def test_oforandrad_medlem_skriver_ingen_loggrad(vu, kommun):
    adress = url("medlem_change", kommun.pk)
    assert vu.post(adress, formulardata(vu.get(adress))).status_code == 302
    assert not audit_entries_for(kommun).exists()


def test_borttagen_befolkningsrad_tas_bort_av_tjansten_och_loggas(vu, kommun):
    Befolkning.objects.create(medlem=kommun, ar=2023, invanare=4900)
    adress = url("medlem_change", kommun.pk)
    data = formulardata(vu.get(adress))
    rader = vu.get(adress).context["inline_admin_formsets"][0].formset.forms
    i = next(i for i, form in enumerate(rader) if form.instance.ar == 2023)
    assert len(rader) == 2
    data[f"befolkning-{i}-DELETE"] = "on"

    assert vu.post(adress, data).status_code == 302

    assert befolkning(kommun) == {2024: 5000}
    assert audit_entries_for(kommun).get().changes == {"invånare 31/12 2023": [4900, None]}


def test_en_rad_som_byter_ar_flyttas(vu, kommun):
    adress = url("medlem_change", kommun.pk)
    data = formulardata(vu.get(adress))
    data["befolkning-0-ar"] = "2025"

    assert vu.post(adress, data).status_code == 302

    assert befolkning(kommun) == {2025: 5000}
    assert audit_entries_for(kommun).get().changes == {
        "invånare 31/12 2024": [5000, None],
        "invånare 31/12 2025": [None, 5000],
    }


def test_en_kommun_med_befolkning_byter_inte_typ(vu, kommun):
    adress = url("medlem_change", kommun.pk)
    data = formulardata(vu.get(adress))
    data["typ"] = "region"

    response = vu.post(adress, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    vantat = texter(forbundsregler.medlem_typ_fel(typ="region", ar_med_befolkning=[2024]))
    assert vantat and formset.non_form_errors() == vantat
    kommun.refresh_from_db()
    assert kommun.typ == "kommun"
    assert not audit_entries_for(kommun).exists()


def test_namnet_finns_redan_vid_faltet(vu, kommun, region):
    adress = url("medlem_change", region.pk)
    data = formulardata(vu.get(adress))
    data["namn"] = "testby KOMMUN"

    response = vu.post(adress, data)

    assert response.status_code == 200
    vantat = texter(forbundsregler.medlem_namn_upprepat("testby KOMMUN", [kommun.namn]))
    assert vantat
    assert set(vantat) <= set(response.context["adminform"].form.errors["namn"])
    region.refresh_from_db()
    assert region.namn == "Region Testland"


def test_ny_medlem_med_befolkning_skapas_av_tjansten(vu, forbund, verksamhetsutvecklare):
    data = {
        "namn": "Grannby kommun",
        "typ": "kommun",
        "ordning": "1",
        **hantering("befolkning", 1),
        "befolkning-0-ar": "2024",
        "befolkning-0-invanare": "5 517",
    }
    response = vu.post(url("medlem_add"), data)

    assert response.status_code == 302, inline_fel(response)
    medlem = Medlem.objects.get(forbund=forbund, namn="Grannby kommun")
    assert befolkning(medlem) == {2024: 5517}
    rad = audit_entries_for(medlem).get()
    assert (rad.action, rad.user) == (Action.SKAPAD, verksamhetsutvecklare)
    assert rad.changes["invånare 31/12 2024"] == [None, 5517]


def test_medlem_som_utfor_en_insats_tas_inte_bort(vu, kommun, insats, verksamhetsutvecklare):
    insats.utforande_medlem = kommun
    insats.save()

    vu.post(url("medlem_delete", kommun.pk), {"post": "yes"})
    assert Medlem.objects.filter(pk=kommun.pk).exists()

    with pytest.raises(ValidationError) as fel:
        medlem_ta_bort(user=verksamhetsutvecklare, medlem=kommun)
    assert fel.value.message_dict["ta_bort"] == texter(
        forbundsregler.medlem_ta_bort_fel(namn=kommun.namn, insatser=[insats.namn])
    )
    assert Medlem.objects.filter(pk=kommun.pk).exists()
    assert not audit_entries_for(kommun).exists()


def test_medlem_tas_bort_av_tjansten_med_sin_befolkning(vu, kommun, verksamhetsutvecklare):
    pk = kommun.pk
    response = vu.post(url("medlem_delete", pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Medlem.objects.filter(pk=pk).exists()
    assert not Befolkning.objects.filter(medlem_id=pk).exists()
    rad = AuditEntry.objects.get(object_id=str(pk), action=Action.BORTTAGEN)
    assert rad.user == verksamhetsutvecklare
    assert rad.changes["invånare 31/12 2024"] == [5000, None]


def test_utomstaende_tar_inte_bort_genom_tjansten(kommun, annat_forbund):
    utomstaende = f.UserFactory(
        username="utom", forbund=annat_forbund, roll="verksamhetsutvecklare", is_staff=True
    )
    with pytest.raises(PermissionDenied):
        medlem_ta_bort(user=utomstaende, medlem=kommun)
    assert Medlem.objects.filter(pk=kommun.pk).exists()


def test_medlem_spara_tar_bort_givna_ar(kommun, verksamhetsutvecklare, forbund):
    Befolkning.objects.create(medlem=kommun, ar=2023, invanare=4900)
    medlem_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        medlem=kommun,
        namn=kommun.namn,
        typ="kommun",
        befolkning={2025: 5100},
        ta_bort_ar=[2023, 2022],
    )
    assert befolkning(kommun) == {2024: 5000, 2025: 5100}
    assert audit_entries_for(kommun).get().changes == {
        "invånare 31/12 2023": [4900, None],
        "invånare 31/12 2025": [None, 5100],
    }

    # Without its population the kommun may become a region.
    medlem_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        medlem=kommun,
        namn=kommun.namn,
        typ="region",
        ta_bort_ar=[2024, 2025],
    )
    kommun.refresh_from_db()
    assert (kommun.typ, befolkning(kommun)) == ("region", {})


# --- one year of one member ----------------------------------------------------------------------


def test_befolkningsadmin_nekar_en_region_vid_faltet(vu, region):
    response = vu.post(
        url("befolkning_add"), {"medlem": str(region.pk), "ar": "2024", "invanare": "100"}
    )

    assert response.status_code == 200
    vantat = texter(
        forbundsregler.medlem_fel(namn=region.namn, typ="region", invanare=100, ar=2024),
        "invanare",
    )
    assert response.context["adminform"].form.errors["invanare"] == vantat
    assert not Befolkning.objects.exists()
    assert not audit_entries_for(region).exists()


def test_befolkningsadmin_andrar_och_tar_bort_genom_medlemmens_tjanst(vu, kommun):
    rad = kommun.befolkning.get()
    adress = url("befolkning_change", rad.pk)
    data = formulardata(vu.get(adress))
    assert set(data) == {"invanare"}  # the member and the year are the row's own
    data["invanare"] = "5 050"

    assert vu.post(adress, data).status_code == 302
    assert befolkning(kommun) == {2024: 5050}
    assert audit_entries_for(kommun).get().changes == {"invånare 31/12 2024": [5000, 5050]}

    assert vu.post(url("befolkning_delete", rad.pk), {"post": "yes"}).status_code == 302
    assert befolkning(kommun) == {}
    assert audit_entries_for(kommun).order_by("-id").first().changes == {
        "invånare 31/12 2024": [5050, None]
    }
