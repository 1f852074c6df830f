"""The förbund's logo for the bilaga's cover: what is accepted, the service and the admin."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Forbund
from registrering.models.organisation import logotyp_fel
from tests import factories as f

pytestmark = pytest.mark.django_db

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120">'
    b'<rect width="400" height="120" fill="#0b4f6c"/></svg>'
)


def bild(format_: str = "PNG", storlek: tuple[int, int] = (600, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", storlek, "#0b4f6c").save(buffer, format=format_)
    return buffer.getvalue()


def uppladdning(namn: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(namn, data)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("namn", "data"),
    [
        ("logo.png", bild()),
        ("logo.jpg", bild("JPEG")),
        ("LOGO.JPEG", bild("JPEG", (300, 300))),
        ("logo.svg", SVG),
        ("logo.svg", SVG.replace(b' viewBox="0 0 400 120"', b' width="400" height="120"')),
    ],
)
def test_godkanda_logotyper(namn, data):
    assert logotyp_fel(uppladdning(namn, data)) == []


@pytest.mark.parametrize(
    ("namn", "data", "meddelande"),
    [
        ("logo.gif", bild("GIF"), "Logotypen måste vara en PNG-, JPEG- eller SVG-fil."),
        ("logo.pdf", b"%PDF-1.7", "Logotypen måste vara en PNG-, JPEG- eller SVG-fil."),
        ("logo.png", bild("GIF"), "Logotypen måste vara en PNG-, JPEG- eller SVG-fil."),
        ("logo.png", b"inte en bild", "Bilden går inte att läsa."),
        ("logo.png", bild(storlek=(120, 60)), "Bilden är 120 × 60 pixlar: för liten"),
        ("logo.png", bild(storlek=(7000, 100)), "Den längsta sidan får vara högst 6000"),
        ("logo.png", b"\x89PNG" + b"0" * (1024 * 1024), "Logotypen får vara högst 1 MB"),
        ("logo.svg", b"<svg", "SVG-filen går inte att läsa"),
        ("logo.svg", b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "Filen är inte en SVG"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG-filen saknar storlek"),
        (
            "logo.svg",
            SVG.replace(b"<rect", b"<script>alert(1)</script><rect"),
            "SVG-filen får inte innehålla skript",
        ),
        ("logo.svg", SVG.replace(b"<rect", b'<rect onload="x()"'), "får inte innehålla skript"),
        (
            "logo.svg",
            SVG.replace(b"<rect", b'<image href="http://example.se/a.png"/><rect'),
            "SVG-filen får inte hämta något utifrån",
        ),
        (
            "logo.svg",
            b'<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG,
            "SVG-filen får inte innehålla DOCTYPE eller ENTITY.",
        ),
    ],
)
def test_avvisade_logotyper(namn, data, meddelande):
    fel = logotyp_fel(uppladdning(namn, data))
    assert len(fel) == 1 and meddelande in fel[0], fel


def test_tjansten_sparar_byter_och_tar_bort_logotypen(
    forbund, verksamhetsutvecklare, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.forbund_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden={"logotyp": uppladdning("Vår logga.png", bild())},
        )
    forbund.refresh_from_db()
    forsta = forbund.logotyp.name
    assert forsta.startswith("logotyper/") and forsta.endswith(".png")
    assert (media / forsta).read_bytes() == bild()

    with django_capture_on_commit_callbacks(execute=True):
        services.forbund_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden={"logotyp": uppladdning("ny.svg", SVG)},
        )
    forbund.refresh_from_db()
    andra = forbund.logotyp.name
    assert andra != forsta and andra.endswith(".svg")
    assert not (media / forsta).exists()  # the replaced file is gone after the commit

    with django_capture_on_commit_callbacks(execute=True):
        services.forbund_spara(
            user=verksamhetsutvecklare, forbund=forbund, varden={"logotyp": False}
        )
    forbund.refresh_from_db()
    assert not forbund.logotyp and not (media / andra).exists()

    rader = list(audit_entries_for(forbund).order_by("id"))
    assert [r.changes["logotyp"] for r in rader] == [["", forsta], [forsta, andra], [andra, ""]]
    assert {r.user for r in rader} == {verksamhetsutvecklare}


def test_tjansten_nekar_fel_fil_och_sparar_inget(forbund, verksamhetsutvecklare, media):
    with pytest.raises(ValidationError) as fel:
        services.forbund_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden={"logotyp": uppladdning("logo.png", bild(storlek=(50, 50)))},
        )
    assert "för liten" in fel.value.message_dict["logotyp"][0]
    forbund.refresh_from_db()
    assert not forbund.logotyp
    assert not list(media.rglob("*.png"))
    assert not AuditEntry.objects.andringar().exists()


def test_annat_forbunds_anvandare_och_styrelsen_far_inte(forbund, utomstaende, styrelse):
    for user in (utomstaende, styrelse):
        with pytest.raises(PermissionDenied):
            services.forbund_spara(
                user=user, forbund=forbund, varden={"logotyp": uppladdning("a.svg", SVG)}
            )


def test_bara_superuser_byter_namn(forbund, verksamhetsutvecklare):
    with pytest.raises(ValidationError) as fel:
        services.forbund_spara(
            user=verksamhetsutvecklare, forbund=forbund, varden={"namn": "Nytt namn"}
        )
    assert fel.value.message_dict == {"namn": ["Du kan inte ändra det här fältet."]}


# The reminder schedule's fields, as the admin's form sends them by default.
PAMINNELSER = {
    "paminnelser_pa": "on",
    "paminnelse_dagar_fore": "3",
    "paminnelse_dagar_efter": "2",
    "sammanfattning_veckodag": "0",
}


def _andra_sidan(client, forbund):
    return reverse("admin:registrering_forbund_change", args=[forbund.pk])


def test_admin_laddar_upp_logotypen_genom_tjansten(client, forbund, verksamhetsutvecklare, media):
    client.force_login(verksamhetsutvecklare)
    sida = client.get(_andra_sidan(client, forbund))
    assert sida.status_code == 200
    assert "Visas på årsbilagans titelsida" in sida.content.decode()
    response = client.post(
        _andra_sidan(client, forbund),
        {
            "rapportdag": "10",
            **PAMINNELSER,
            "bakgrund_text": "",
            "metod_text": "",
            "logotyp": uppladdning("logga.svg", SVG),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    forbund.refresh_from_db()
    assert (media / forbund.logotyp.name).read_bytes() == SVG
    rad = audit_entries_for(forbund).get()
    assert rad.user == verksamhetsutvecklare and rad.action == AuditEntry.Action.ANDRAD
    assert rad.changes == {"logotyp": ["", forbund.logotyp.name]}


def test_admin_visar_felet_vid_faltet(client, forbund, verksamhetsutvecklare, media):
    client.force_login(verksamhetsutvecklare)
    response = client.post(
        _andra_sidan(client, forbund),
        {"rapportdag": "10", "logotyp": uppladdning("logga.gif", bild("GIF"))},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logotyp"] == [
        "Logotypen måste vara en PNG-, JPEG- eller SVG-fil."
    ]
    assert not Forbund.objects.get(pk=forbund.pk).logotyp
    assert not AuditEntry.objects.andringar().exists()


def test_superuser_lagger_till_forbund_med_logotyp(client, media):
    root = f.UserFactory(username="root", forbund=None, is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:registrering_forbund_add"),
        {
            "namn": "Samordningsförbundet Nyby",
            "kortnamn": "SNB",
            "organisationsnummer": "",
            "rapportdag": "12",
            **PAMINNELSER,
            "bakgrund_text": "",
            "metod_text": "",
            "logotyp": uppladdning("logga.png", bild()),
        },
    )
    assert response.status_code == 302
    ny = Forbund.objects.get(namn="Samordningsförbundet Nyby")
    assert (media / ny.logotyp.name).read_bytes() == bild()
    rad = audit_entries_for(ny).get()
    assert rad.action == AuditEntry.Action.SKAPAD and rad.user == root
    assert rad.changes["logotyp"] == [None, ny.logotyp.name]


def test_borttaget_forbund_tar_logotypen_med_sig(
    verksamhetsutvecklare, media, django_capture_on_commit_callbacks
):
    root = f.UserFactory(username="root", forbund=None, is_staff=True, is_superuser=True)
    nyby = f.ForbundFactory(namn="Samordningsförbundet Nyby", kortnamn="SNB")
    with django_capture_on_commit_callbacks(execute=True):
        nyby = services.forbund_spara(
            user=root, forbund=nyby, varden={"logotyp": uppladdning("a.svg", SVG)}
        )
    fil = media / nyby.logotyp.name
    assert fil.exists()
    with pytest.raises(PermissionDenied):
        services.forbund_ta_bort(user=verksamhetsutvecklare, forbund=nyby)
    with django_capture_on_commit_callbacks(execute=True):
        services.forbund_ta_bort(user=root, forbund=nyby)
    assert not Forbund.objects.filter(namn="Samordningsförbundet Nyby").exists()
    assert not fil.exists()
