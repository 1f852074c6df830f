"""The systemadministratör's pages (/system/): a förbund with members, population, logo and
deadline is created in the browser; nobody else may; the systemadministratör sees no figures."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Befolkning, Forbund, Medlem
from registrering.permissions import Roll
from tests import factories

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 200), "#0b4f6c").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def medlemsdata(rader: list[dict[str, str]], *, initial: int = 0) -> dict[str, str]:
    data = {
        "medlemmar-TOTAL_FORMS": str(len(rader)),
        "medlemmar-INITIAL_FORMS": str(initial),
        "medlemmar-MIN_NUM_FORMS": "0",
        "medlemmar-MAX_NUM_FORMS": "1000",
    }
    for i, rad in enumerate(rader):
        data.update({f"medlemmar-{i}-{k}": v for k, v in rad.items()})
    return data


NYTT = {
    "namn": "Samordningsförbundet Södra Vätterbygden",
    "kortnamn": "SSV",
    "organisationsnummer": "222000-1234",
    "rapportdag": "12",
    "ar": "2025",
}
MEDLEMMAR = [
    {"namn": "Försäkringskassan", "typ": "stat", "invanare": ""},
    {"namn": "Arbetsförmedlingen", "typ": "af", "invanare": ""},
    {"namn": "Region Jönköpings län", "typ": "region", "invanare": ""},
    {"namn": "Jönköpings kommun", "typ": "kommun", "invanare": "144 000"},
    {"namn": "Habo kommun", "typ": "kommun", "invanare": "12 497"},
    {"namn": "", "typ": "", "invanare": ""},  # an empty extra row is no member
]


def test_systemadministratoren_lagger_till_ett_forbund(client, systemadministrator):
    client.force_login(systemadministrator)
    svar = client.post(
        reverse("system:forbund_ny"), {**NYTT, "logotyp": png(), **medlemsdata(MEDLEMMAR)}
    )
    forbund = Forbund.objects.get(kortnamn="SSV")
    assert svar.status_code == 302
    assert svar["Location"] == reverse("system:forbund", args=[forbund.pk])
    assert forbund.namn == NYTT["namn"]
    assert forbund.organisationsnummer == "222000-1234"
    assert forbund.rapportdag == 12
    assert forbund.logotyp.name.startswith("logotyper/")
    medlemmar = list(Medlem.objects.filter(forbund=forbund).order_by("ordning"))
    assert [(m.namn, m.typ) for m in medlemmar] == [
        ("Försäkringskassan", "stat"),
        ("Arbetsförmedlingen", "af"),
        ("Region Jönköpings län", "region"),
        ("Jönköpings kommun", "kommun"),
        ("Habo kommun", "kommun"),
    ]
    befolkning = {
        (b.medlem.namn, b.ar): b.invanare
        for b in Befolkning.objects.filter(medlem__forbund=forbund).select_related("medlem")
    }
    assert befolkning == {("Jönköpings kommun", 2025): 144000, ("Habo kommun", 2025): 12497}
    # Audited in the systemadministratör's name: the förbund and each member, old → new.
    skapad = audit_entries_for(forbund).get(action=AuditEntry.Action.SKAPAD)
    assert skapad.user == systemadministrator
    assert skapad.changes["kortnamn"] == [None, "SSV"]
    habo = audit_entries_for(medlemmar[4]).get()
    assert habo.user == systemadministrator
    assert habo.changes["invånare 31/12 2025"] == [None, 12497]


def test_forbundets_sida_visar_medlemmarna_och_andras(client, systemadministrator, forbund):
    kommun = Medlem.objects.create(forbund=forbund, namn="Testby kommun", typ="kommun", ordning=1)
    region = Medlem.objects.create(forbund=forbund, namn="Region Test", typ="region", ordning=2)
    Befolkning.objects.create(medlem=kommun, ar=2024, invanare=5000)
    client.force_login(systemadministrator)
    sida = client.get(reverse("system:forbund", args=[forbund.pk]))
    assert sida.status_code == 200
    html = sida.content.decode()
    assert 'value="Testby kommun"' in html
    assert re.search(r'name="medlemmar-0-invanare"[^>]*value="5000"', html)
    svar = client.post(
        reverse("system:forbund", args=[forbund.pk]),
        {
            "namn": forbund.namn,
            "kortnamn": "NYTT",
            "organisationsnummer": "",
            "rapportdag": "10",
            "ar": "2024",
            **medlemsdata(
                [
                    {
                        "medlem": str(kommun.pk),
                        "namn": "Testby kommun",
                        "typ": "kommun",
                        "invanare": "5 210",
                    },
                    {
                        "medlem": str(region.pk),
                        "namn": "Region Test",
                        "typ": "region",
                        "invanare": "",
                        "DELETE": "on",
                    },
                ],
                initial=2,
            ),
        },
    )
    assert svar.status_code == 302
    forbund.refresh_from_db()
    assert forbund.kortnamn == "NYTT"
    assert list(Medlem.objects.filter(forbund=forbund).values_list("namn", flat=True)) == [
        "Testby kommun"
    ]
    assert Befolkning.objects.get(medlem=kommun, ar=2024).invanare == 5210
    andring = audit_entries_for(kommun).get()
    assert andring.changes == {"invånare 31/12 2024": [5000, 5210]}
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.BORTTAGEN, object_repr="Region Test", user=systemadministrator
    ).exists()


def test_invanarnas_etiketter_beror_inte_pa_standardaret(client, systemadministrator):
    """Without JavaScript the page cannot follow the year typed in the year field: the table's
    labels name the year field, not the default year, and the year typed is the one saved."""
    client.force_login(systemadministrator)
    html = client.get(reverse("system:forbund_ny")).content.decode()
    standard = re.search(r'name="ar"[^>]*value="(\d{4})"', html)
    assert standard is not None
    assert "Medlemmar och invånare 31/12 det angivna året" in html
    assert ">Invånare 31/12 det angivna året, medlem 1</label>" in html
    assert f"31/12 {standard.group(1)}" not in html

    annat_ar = str(int(standard.group(1)) - 3)
    svar = client.post(
        reverse("system:forbund_ny"), {**NYTT, "ar": annat_ar, **medlemsdata(MEDLEMMAR)}
    )

    assert svar.status_code == 302
    habo = Medlem.objects.get(namn="Habo kommun")
    assert list(habo.befolkning.values_list("ar", "invanare")) == [(int(annat_ar), 12497)]


def test_fel_i_en_medlem_sags_vid_faltet_och_inget_sparas(client, systemadministrator):
    client.force_login(systemadministrator)
    rader = [
        {"namn": "Region Jönköpings län", "typ": "region", "invanare": "360 000"},
        {"namn": "Habo kommun", "typ": "kommun", "invanare": "12,5"},
        {"namn": "habo kommun", "typ": "kommun", "invanare": ""},
    ]
    svar = client.post(reverse("system:forbund_ny"), {**NYTT, **medlemsdata(rader)})
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Något behöver rättas – inget har sparats" in html
    assert 'id="id_medlemmar-1-invanare-fel1"' in html
    # The region's population and the name twice are the rules' (forbundsregler), at the row.
    svar = client.post(
        reverse("system:forbund_ny"),
        {**NYTT, **medlemsdata([rader[0], {**rader[1], "invanare": "12 497"}, rader[2]])},
    )
    html = svar.content.decode()
    assert re.search(
        r'id="id_medlemmar-0-invanare-fel1">Befolkningen anges bara för kommuner', html
    )
    assert re.search(r'id="id_medlemmar-2-namn-fel1">Medlemmen ”habo kommun” finns redan', html)
    assert not Forbund.objects.filter(kortnamn="SSV").exists()
    assert not Medlem.objects.exists()


@pytest.mark.parametrize("adress", ["system:index", "system:forbund_ny"])
def test_andra_roller_nekas_och_anonyma_skickas_till_inloggningen(
    client, verksamhetsutvecklare, forbundschef, adress
):
    assert client.get(reverse(adress))["Location"].startswith(reverse("login"))
    for persona in (verksamhetsutvecklare, forbundschef):
        client.force_login(persona)
        assert client.get(reverse(adress)).status_code == 403
    svar = client.post(reverse("system:forbund_ny"), {**NYTT, **medlemsdata(MEDLEMMAR)})
    assert svar.status_code == 403
    assert not Forbund.objects.filter(kortnamn="SSV").exists()


def test_forbundets_vu_nekas_sidan_for_sitt_eget_forbund(client, verksamhetsutvecklare, forbund):
    client.force_login(verksamhetsutvecklare)
    assert client.get(reverse("system:forbund", args=[forbund.pk])).status_code == 403
    assert client.get(reverse("system:bjud_in", args=[forbund.pk])).status_code == 403


def test_listan_har_konstant_antal_fragor(
    client, systemadministrator, forbund, verksamhetsutvecklare
):
    client.force_login(systemadministrator)

    def fragor() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("system:index")).status_code == 200
        return len(ctx.captured_queries)

    forut = fragor()
    for n in range(4):
        annat = factories.ForbundFactory(namn=f"Förbund {n}", kortnamn=f"F{n}")
        factories.UserFactory(forbund=annat, roll=Roll.VERKSAMHETSUTVECKLARE)
    assert fragor() == forut


def test_listan_sager_om_verksamhetsutvecklaren_har_accepterat(
    client, systemadministrator, forbund, annat_forbund, verksamhetsutvecklare
):
    # The fixture's verksamhetsutvecklare has a password: accepted. The other förbund has none.
    tredje = factories.ForbundFactory(namn="Samordningsförbundet Tredje", kortnamn="ST3")
    inbjuden = factories.UserFactory(forbund=tredje, roll=Roll.VERKSAMHETSUTVECKLARE)
    inbjuden.set_unusable_password()
    inbjuden.save()
    client.force_login(systemadministrator)
    html = client.get(reverse("system:index")).content.decode()
    rad = r'<a href="/system/forbund/\d+/">([^<]+)</a></th>.*?"Verksamhetsutvecklare">([^<]+)<'
    rader = dict(re.findall(rad, html, re.S))
    assert rader == {
        "Samordningsförbundet Annanstans": "inte inbjuden",
        "Samordningsförbundet Testbygden": "har accepterat inbjudan",
        "Samordningsförbundet Tredje": "inbjuden, har inte accepterat än",
    }


def test_systemadministratoren_ser_inga_siffror(client, systemadministrator, forbund, insats):
    client.force_login(systemadministrator)
    for adress in (
        "/registrering/",
        "/registrering/2025/",
        "/registrering/mina-insatser/",
        "/rapporter/",
        "/rapporter/2025/",
        "/mal/",
        "/mal/2025/",
        "/enkater/",
        "/konton/",
        "/konton/anvandare/",
    ):
        assert client.get(adress).status_code == 403, adress
    assert client.get(f"/registrering/insats/{insats.pk}/2025/1/").status_code == 404
    assert client.get("/admin/").status_code == 302  # not staff: the admin's login
    # The förbund's own page names no insats.
    html = client.get(reverse("system:forbund", args=[forbund.pk])).content.decode()
    assert insats.namn not in html


def test_startsidan_och_menyn_for_systemadministratoren(client, systemadministrator):
    client.force_login(systemadministrator)
    assert client.get("/")["Location"] == reverse("system:index")
    html = client.get(reverse("system:index")).content.decode()
    nav = re.search(r'<nav aria-label="Huvudmeny">(.*?)</nav>', html, re.S)
    assert nav is not None
    assert re.findall(r"<a [^>]*>([^<]+)</a>", nav[1]) == ["Förbund"]
