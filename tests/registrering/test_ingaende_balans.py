"""A confirmed ingående balans: read-only to the insatsansvarig, corrected by the kansli with a
reason, and its confirmations and corrections in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrering import regler, services
from registrering.ledger import Kon
from registrering.models import AuditEntry, IngaendeBalans, Justering
from tests.registrering.test_views import (
    databas,
    element,
    etikett,
    fel_vid_falt,
    html,
    knappar,
)

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


def url(insats) -> str:
    return f"/registrering/insats/{insats.pk}/2026/ingaende-balans/"


@pytest.fixture
def bekraftad(insats, insatsansvarig):
    """The insatsansvarig has confirmed 4 K + 3 M on 1/1 2026 (no months in 2025)."""
    return services.ingaende_balans_satt(
        user=insatsansvarig, insats=insats, ar=2026, kvinnor=4, man=3
    )


# --- The rule -----------------------------------------------------------------------------


def test_regeln():
    kw = {"balans": Kon(5, 3), "anledning": "", "ar": 2026}
    assert regler.ingaende_balans_rattelse(bekraftad=None, far_rata=False, **kw) == []
    assert [
        f.text for f in regler.ingaende_balans_rattelse(bekraftad=Kon(4, 3), far_rata=False, **kw)
    ] == [
        "Ingående balans 1/1 2026 är redan bekräftad (7 deltagare) och kan bara rättas av "
        "verksamhetsutvecklaren eller förbundschefen."
    ]
    assert [
        (f.falt, f.text)
        for f in regler.ingaende_balans_rattelse(bekraftad=Kon(4, 3), far_rata=True, **kw)
    ] == [
        (
            "anledning",
            "Balansen 1/1 2026 är bekräftad (4 kvinnor, 3 män). Ange anledningen till rättelsen.",
        )
    ]
    kw["anledning"] = "Inventering"
    assert regler.ingaende_balans_rattelse(bekraftad=Kon(4, 3), far_rata=True, **kw) == []
    # Saving the same count again needs no reason.
    kw |= {"balans": Kon(4, 3), "anledning": ""}
    assert regler.ingaende_balans_rattelse(bekraftad=Kon(4, 3), far_rata=True, **kw) == []


# --- The service --------------------------------------------------------------------------


def test_insatsansvarig_kan_inte_andra_en_bekraftad_balans(insats, insatsansvarig, bekraftad):
    fore = databas()
    for kvinnor in (5, 4):  # a new count, or the same one confirmed again
        with pytest.raises(ValidationError) as fel:
            services.ingaende_balans_satt(
                user=insatsansvarig,
                insats=insats,
                ar=2026,
                kvinnor=kvinnor,
                man=3,
                anledning="Räknade fel",
            )
        assert "kan bara rättas av verksamhetsutvecklaren" in " ".join(fel.value.messages)
    assert databas() == fore


def test_verksamhetsutvecklaren_rattar_med_anledning(insats, verksamhetsutvecklare, bekraftad):
    with pytest.raises(ValidationError) as fel:
        services.ingaende_balans_satt(
            user=verksamhetsutvecklare, insats=insats, ar=2026, kvinnor=5, man=3
        )
    assert fel.value.message_dict == {
        "anledning": [
            "Balansen 1/1 2026 är bekräftad (4 kvinnor, 3 män). Ange anledningen till rättelsen."
        ]
    }
    balans = services.ingaende_balans_satt(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2026,
        kvinnor=5,
        man=3,
        anledning="Inventering i januari",
    )
    assert (balans.kvinnor, balans.man, balans.bekraftad_av) == (5, 3, verksamhetsutvecklare)
    assert balans.anledning == "Inventering i januari"
    # No months in 2025: no justering in last December, only the balance changes.
    assert not Justering.objects.exists()


def test_en_fil_eller_admin_maste_ocksa_ange_anledning(insats, bekraftad):
    """The kansli's other doors (admin, import) ask the same rule."""
    fel = services.ingaende_balans_fel(
        insats=insats, ar=2026, balans=Kon(6, 3), anledning="", per_huvudman=None
    )
    assert [f.falt for f in fel] == ["anledning"]


# --- The page -----------------------------------------------------------------------------


def test_insatsansvarig_ser_bekraftad_balans_utan_formular(
    client, insats, insatsansvarig, bekraftad
):
    client.force_login(insatsansvarig)
    response = client.get(url(insats))
    assert response.status_code == 200
    assert not element(response, "input", id="id_kvinnor")
    assert knappar(response) == []
    assert "Balansen är bekräftad och kan inte ändras här." in html(response)
    # A post anyway is refused, and nothing changes.
    fore = databas()
    response = client.post(url(insats), {"kvinnor": "9", "man": "3", "anledning": "x"})
    assert response.status_code == 403
    assert "Verksamhetsutvecklaren eller förbundschefen rättar den" in html(response)
    assert databas() == fore


def test_verksamhetsutvecklaren_ratter_i_webblasaren(
    client, insats, verksamhetsutvecklare, bekraftad
):
    client.force_login(verksamhetsutvecklare)
    response = client.get(url(insats))
    assert knappar(response) == ["Spara rättelse"]
    assert etikett(response, "id_anledning") == "Anledning till rättelsen"
    assert (element(response, "textarea", id="id_anledning")[0].ren_text) == ""

    response = client.post(url(insats), {"kvinnor": "5", "man": "3", "anledning": ""})
    assert response.status_code == 400
    assert fel_vid_falt(response, "id_anledning", "textarea") == [
        "Balansen 1/1 2026 är bekräftad (4 kvinnor, 3 män). Ange anledningen till rättelsen."
    ]

    response = client.post(url(insats), {"kvinnor": "5", "man": "3", "anledning": "Inventering"})
    assert response.status_code == 302
    assert IngaendeBalans.objects.get(insats=insats, ar=2026).kvinnor == 5


def test_historiken_visar_bekraftelsen_och_rattelsen(
    client, insats, insatsansvarig, verksamhetsutvecklare, bekraftad
):
    services.ingaende_balans_satt(
        user=verksamhetsutvecklare, insats=insats, ar=2026, kvinnor=4, man=3
    )
    services.ingaende_balans_satt(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2026,
        kvinnor=5,
        man=3,
        anledning="Inventering",
    )
    assert AuditEntry.objects.count() == 3
    client.force_login(insatsansvarig)

    response = client.get(url(insats))

    sida = html(response)
    historik = sida[sida.index('<h2 id="historik">') :]
    poster = [
        li.ren_text for li in element(historik, "li") if li.ren_text.startswith(("Bekr", "Rätt"))
    ]
    assert len(poster) == 3
    rattad, igen, forst = poster
    assert forst.startswith("Bekräftad ") and " av ansvarig" in forst
    assert "Kvinnor: – → 4" in forst or "Kvinnor: 4" in forst
    assert igen.startswith("Bekräftad igen ") and " av vu" in igen
    assert rattad.startswith("Rättad ") and " av vu" in rattad
    assert "Kvinnor: 4 → 5" in rattad
    assert "Inventering" in rattad
