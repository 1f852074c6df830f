"""The services behind the systemadministratör's pages, called directly: who may create a
förbund and set its names, and the members' rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering.models import AuditEntry, Befolkning, Forbund, Medlem
from registrering.services.forbund import forbund_spara
from registrering.services.medlemmar import Medlemsrad, medlemmar_spara
from tests import factories

pytestmark = pytest.mark.django_db


def test_bara_systemadministratoren_skapar_forbund(
    systemadministrator, verksamhetsutvecklare, forbundschef
):
    for persona in (verksamhetsutvecklare, forbundschef):
        with pytest.raises(PermissionDenied, match="Bara systemadministratören"):
            forbund_spara(user=persona, forbund=None, varden={"namn": "Nytt", "kortnamn": "N"})
    nytt = forbund_spara(
        user=systemadministrator, forbund=None, varden={"namn": "Nytt", "kortnamn": "N"}
    )
    assert Forbund.objects.get(pk=nytt.pk).kortnamn == "N"
    # The förbund's own administrators still may not rename it.
    with pytest.raises(ValidationError, match="Du kan inte ändra det här fältet"):
        forbund_spara(
            user=verksamhetsutvecklare,
            forbund=verksamhetsutvecklare.forbund,
            varden={"namn": "Annat"},
        )


def test_medlemmar_av_ett_annat_forbund_nekas(systemadministrator, utomstaende, forbund):
    with pytest.raises(PermissionDenied):
        medlemmar_spara(
            user=utomstaende, forbund=forbund, rader=[Medlemsrad("Habo", "kommun", 1)], ar=2025
        )
    annans = Medlem.objects.create(forbund=utomstaende.forbund, namn="Deras", typ="kommun")
    with pytest.raises(PermissionDenied):
        medlemmar_spara(
            user=systemadministrator,
            forbund=forbund,
            rader=[Medlemsrad("Deras", "kommun", medlem=annans)],
            ar=2025,
        )
    assert not Medlem.objects.filter(forbund=forbund).exists()


def test_en_medlem_som_utfor_en_insats_tas_inte_bort(systemadministrator, forbund):
    medlem = Medlem.objects.create(forbund=forbund, namn="Habo kommun", typ="kommun")
    factories.InsatsFactory(forbund=forbund, namn="Försteg Habo", utforande_medlem=medlem)
    # The systemadministratör sees no förbund's insatser: the message counts, it does not name.
    with pytest.raises(ValidationError, match="utför en insats och kan inte tas bort") as fel:
        medlemmar_spara(
            user=systemadministrator,
            forbund=forbund,
            rader=[Medlemsrad("Habo kommun", "kommun", medlem=medlem, ta_bort=True)],
            ar=2025,
        )
    assert "Försteg Habo" not in str(fel.value)
    assert Medlem.objects.filter(pk=medlem.pk).exists()


def test_befolkningen_tas_bort_med_ett_tomt_falt_och_loggas(systemadministrator, forbund):
    medlem = Medlem.objects.create(forbund=forbund, namn="Habo kommun", typ="kommun")
    Befolkning.objects.create(medlem=medlem, ar=2025, invanare=12497)
    Befolkning.objects.create(medlem=medlem, ar=2024, invanare=12300)
    medlemmar_spara(
        user=systemadministrator,
        forbund=forbund,
        rader=[Medlemsrad("Habo kommun", "kommun", None, medlem=medlem)],
        ar=2025,
    )
    assert list(Befolkning.objects.filter(medlem=medlem).values_list("ar", flat=True)) == [2024]
    rad = AuditEntry.objects.get(object_repr="Habo kommun", user=systemadministrator)
    assert rad.changes["invånare 31/12 2025"] == [12497, None]
