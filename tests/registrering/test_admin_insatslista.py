"""The admin's insats list links its rows with one `reverse()` for the page, not one per row
(issue 15, point 3), and the links are the ones `reverse()` gives."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_insatslistan_gor_en_reverse_for_radernas_lankar(
    client, forbund, verksamhetsutvecklare, reverse_anrop
):
    insatser = [f.InsatsFactory(forbund=forbund, namn=f"Insats {nr:02d}") for nr in range(5)]
    client.force_login(verksamhetsutvecklare)
    reverse_anrop.clear()
    response = client.get(reverse("admin:registrering_insats_changelist"))
    assert response.status_code == 200
    assert reverse_anrop.count("registrering_insats_change") == 1
    hrefs = re.findall(r'<a href="([^"]+)">Insats \d\d</a>', response.content.decode())
    assert sorted(hrefs) == sorted(
        reverse("admin:registrering_insats_change", args=[i.pk]) for i in insatser
    )


def test_radernas_lankar_ar_djangos_egna(rf, forbund, verksamhetsutvecklare):
    """The list's own `url_for_result` gives what Django's `ChangeList.url_for_result` gives
    (with the site's `current_app` and `quote()` of the key), row by row."""
    from django.contrib import admin
    from django.contrib.admin.views.main import ChangeList

    from registrering.models import Insats

    insatser = [f.InsatsFactory(forbund=forbund, namn=f"Insats {nr:02d}") for nr in range(3)]
    request = rf.get(reverse("admin:registrering_insats_changelist"))
    request.user = verksamhetsutvecklare
    lista = admin.site.get_model_admin(Insats).get_changelist_instance(request)
    assert type(lista) is not ChangeList
    for insats in insatser:
        assert lista.url_for_result(insats) == ChangeList.url_for_result(lista, insats)


@pytest.mark.urls("tests.registrering.urls_annan")
def test_radernas_lankar_stannar_pa_sin_adminsajt(rf, forbund, verksamhetsutvecklare):
    """On a second admin site the rows link to that site's change pages, as Django's own."""
    from registrering.models import Insats
    from tests.registrering.urls_annan import annan

    insats = f.InsatsFactory(forbund=forbund, namn="Insats 00")
    request = rf.get("/annan/registrering/insats/")
    request.user = verksamhetsutvecklare
    lista = annan.get_model_admin(Insats).get_changelist_instance(request)
    assert lista.url_for_result(insats) == f"/annan/registrering/insats/{insats.pk}/change/"
