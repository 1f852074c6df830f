"""Insatser financed by several förbund (issue 14, point 3), on the write side: the rule and its
messages, the service with its audit rows, the admin and the import as doors onto it, and who
may do what (only the owner's kansli writes; the co-financier neither writes nor reaches the
insats's months).

Seed 004's IT-spåret: Södra Vätterbygden runs it, Finnveden co-finances it with 200 tKr
against Södra Vätterbygden's 600 tKr, that is 25 % of the insats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registrering import regler
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Manadsrapport, Medfinansiering
from registrering.permissions import Roll
from registrering.resources.samfinansiering import MedfinansieringResource
from registrering.services.samfinansiering import (
    medfinansiering_spara,
    medfinansiering_ta_bort,
)
from tests import factories as f
from tests.registrering.importhjalp import exportera, fil, importera, meddelanden
from tests.registrering.test_admin import formulardata, url

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
AR = 2025


@pytest.fixture
def sodra(db):
    return f.ForbundFactory(namn="Samordningsförbundet Södra Vätterbygden", kortnamn="SVB")


@pytest.fixture
def finnveden(db):
    return f.ForbundFactory(namn="Finnvedens samordningsförbund", kortnamn="FSF")


@pytest.fixture
def hoglandet(db):
    return f.ForbundFactory(namn="Höglandets samordningsförbund", kortnamn="HSF")


@pytest.fixture
def it_sparet(sodra):
    return f.InsatsFactory(forbund=sodra, namn="IT-spåret")


@pytest.fixture
def sodras_vu(sodra):
    return f.UserFactory(
        username="vu-sodra", forbund=sodra, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
    )


@pytest.fixture
def finnvedens_vu(finnveden):
    return f.UserFactory(
        username="vu-finnveden", forbund=finnveden, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
    )


def _importera(data, user):
    return meddelanden(importera(MedfinansieringResource, data, user, radfel_som_filfel=False))


def _spara(user, insats, finansiar, *, belopp=200_000, andel="25", ar=AR, rad=None):
    return medfinansiering_spara(
        user=user, insats=insats, finansiar=finansiar, ar=ar, belopp=belopp, andel=andel, rad=rad
    )


# --- the rule: each message ------------------------------------------------------------------


def _regel(agare, finansiar, **kwargs):
    varden = {"ar": AR, "belopp": 200_000, "andel": Decimal(25), **kwargs}
    return [
        (fel.falt, fel.text)
        for fel in regler.medfinansiering(agare=agare, finansiar=finansiar, **varden)
    ]


def test_regeln_godtar_ett_annat_forbund_med_belopp_och_andel(sodra, finnveden):
    assert _regel(sodra, finnveden) == []
    assert _regel(sodra, finnveden, belopp=0, andel=Decimal(100)) == []
    assert _regel(sodra, finnveden, andel=Decimal(40), ovriga_andelar=[Decimal(60)]) == []


@pytest.mark.parametrize(
    ("varden", "falt", "text"),
    [
        ({"belopp": -1}, "belopp", "Beloppet kan inte vara mindre än 0 kr."),
        ({"belopp": "200 tkr"}, "belopp", "Beloppet måste vara ett belopp i hela kronor."),
        ({"belopp": 200_000.5}, "belopp", "Beloppet måste vara ett belopp i hela kronor."),
        (
            {"belopp": 100_000_001},
            "belopp",
            "Beloppet kan vara högst 100\xa0000\xa0000 kr (här 100\xa0000\xa0001 kr).",
        ),
        ({"andel": "en fjärdedel"}, "andel", "Andelen måste vara ett tal i procent."),
        ({"andel": None}, "andel", "Andelen måste vara ett tal i procent."),
        ({"andel": Decimal(0)}, "andel", "Andelen ska vara större än 0 % och högst 100 %."),
        ({"andel": Decimal(101)}, "andel", "Andelen ska vara större än 0 % och högst 100 %."),
        ({"andel": Decimal("12.345")}, "andel", "Andelen kan ha högst två decimaler."),
        ({"ar": 1999}, "ar", "Året ska vara ett årtal mellan 2000 och 2100."),
    ],
)
def test_regelns_meddelanden_vid_faltet(sodra, finnveden, varden, falt, text):
    assert _regel(sodra, finnveden, **varden) == [(falt, text)]


def test_andelarna_far_vara_hogst_100_procent_tillsammans(sodra, finnveden):
    assert _regel(
        sodra, finnveden, andel=Decimal("30.5"), ovriga_andelar=[Decimal(50), Decimal(20)]
    ) == [
        (
            "andel",
            f"Andelarna blir 100,5\xa0% tillsammans för insatsen {AR}; de får vara högst 100 %. "
            "De andra medfinansierande förbunden har redan 70\xa0%.",
        )
    ]


def test_agaren_kan_inte_medfinansiera_sin_egen_insats(sodra):
    assert _regel(sodra, sodra) == [
        (
            "finansiar",
            "Ett medfinansierande förbund måste vara ett annat än det som driver insatsen "
            "(Samordningsförbundet Södra Vätterbygden).",
        )
    ]


def test_ingen_dubblett_och_ett_forbund_maste_valjas(sodra, finnveden):
    assert _regel(sodra, finnveden, dubblett=True) == [
        (
            "finansiar",
            f"Finnvedens samordningsförbund medfinansierar redan insatsen {AR}. "
            "Ändra den raden i stället.",
        )
    ]
    assert _regel(sodra, None) == [("finansiar", "Välj det förbund som medfinansierar insatsen.")]


def test_andel_text():
    assert regler.andel_text(Decimal("25.00")) == "25\xa0%"
    assert regler.andel_text(Decimal("12.50")) == "12,5\xa0%"
    assert regler.andel_text(Decimal("33.33")) == "33,33\xa0%"


# --- the service and its audit rows ------------------------------------------------------------


def test_tjansten_lagger_till_andrar_och_tar_bort_med_andringslogg(
    sodras_vu, it_sparet, finnveden, sodra, django_capture_on_commit_callbacks
):
    from registrering.signaler import arets_data_andrad

    meddelade: set[tuple[int, int]] = set()

    def lyssna(sender, *, forbund_id, ar, **kwargs):
        meddelade.add((forbund_id, ar))

    arets_data_andrad.connect(lyssna, dispatch_uid="test_samfinansiering")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rad = _spara(sodras_vu, it_sparet, finnveden)
    finally:
        arets_data_andrad.disconnect(dispatch_uid="test_samfinansiering")
    # The owner's year (its bilaga marks the insats) and the co-financier's (it lists it).
    assert meddelade == {(sodra.pk, AR), (finnveden.pk, AR)}
    assert (rad.belopp, rad.andel) == (200_000, Decimal("25.00"))
    skapad = audit_entries_for(rad).get()
    assert skapad.action == Action.SKAPAD
    assert skapad.user == sodras_vu
    assert skapad.forbund_id == sodra.pk  # the owner's log
    assert skapad.changes == {
        "andel": [None, "25.00"],
        "ar": [None, AR],
        "belopp": [None, 200_000],
        "finansiar": [None, "Finnvedens samordningsförbund"],
    }

    _spara(sodras_vu, it_sparet, finnveden, belopp=150_000, andel="20", rad=rad)
    rad.refresh_from_db()
    assert (rad.belopp, rad.andel) == (150_000, Decimal("20.00"))
    andrad = audit_entries_for(rad).filter(action=Action.ANDRAD).get()
    assert andrad.changes == {"andel": ["25.00", "20.00"], "belopp": [200_000, 150_000]}

    # Saving the same values again changes nothing and logs nothing.
    _spara(sodras_vu, it_sparet, finnveden, belopp=150_000, andel="20.00", rad=rad)
    assert audit_entries_for(rad).count() == 2

    pk = rad.pk
    medfinansiering_ta_bort(user=sodras_vu, rad=rad)
    assert not Medfinansiering.objects.filter(pk=pk).exists()
    borttagen = AuditEntry.objects.get(action=Action.BORTTAGEN, object_id=str(pk))
    assert borttagen.changes["andel"] == ["20.00", None]
    assert borttagen.forbund_id == sodra.pk


def test_tjansten_nekar_over_100_procent_och_dubbletter(sodras_vu, it_sparet, finnveden, hoglandet):
    _spara(sodras_vu, it_sparet, finnveden, andel="60")
    with pytest.raises(ValidationError) as fel:
        _spara(sodras_vu, it_sparet, hoglandet, andel="50")
    assert "Andelarna blir 110\xa0% tillsammans" in fel.value.message_dict["andel"][0]
    with pytest.raises(ValidationError) as fel:
        _spara(sodras_vu, it_sparet, finnveden, andel="10")
    assert "medfinansierar redan insatsen" in fel.value.message_dict["finansiar"][0]
    # Another year has its own 100 %.
    _spara(sodras_vu, it_sparet, hoglandet, andel="50", ar=2026)
    assert Medfinansiering.objects.count() == 2


def test_att_andra_en_rad_raknar_inte_dess_gamla_andel(sodras_vu, it_sparet, finnveden):
    rad = _spara(sodras_vu, it_sparet, finnveden, andel="60")
    _spara(sodras_vu, it_sparet, finnveden, andel="90", rad=rad)
    rad.refresh_from_db()
    assert rad.andel == Decimal("90.00")


@pytest.mark.parametrize("vem", ["finnvedens_vu", "styrelse_sodra", "ansvarig_sodra"])
def test_bara_agarens_kansli_satter_medfinansieringen(
    request, vem, sodras_vu, it_sparet, finnveden, sodra
):
    if vem == "styrelse_sodra":
        user = f.UserFactory(username="st", forbund=sodra, roll=Roll.STYRELSE)
    elif vem == "ansvarig_sodra":
        user = f.UserFactory(username="ia", forbund=sodra, roll=Roll.INSATSANSVARIG)
        it_sparet.insatsansvariga.add(user)
    else:
        user = request.getfixturevalue(vem)
    with pytest.raises(PermissionDenied):
        _spara(user, it_sparet, finnveden)
    rad = _spara(sodras_vu, it_sparet, finnveden)
    with pytest.raises(PermissionDenied):
        _spara(user, it_sparet, finnveden, andel="50", rad=rad)
    with pytest.raises(PermissionDenied):
        medfinansiering_ta_bort(user=user, rad=rad)
    rad.refresh_from_db()
    assert rad.andel == Decimal(25)


# --- the co-financier and the month flow -------------------------------------------------------


def test_medfinansiaren_nar_inte_insatsens_manader(
    client, sodras_vu, finnvedens_vu, it_sparet, finnveden
):
    """The months are reported once, by the owner: co-financing changes no permission."""
    _spara(sodras_vu, it_sparet, finnveden)
    Manadsrapport.objects.create(insats=it_sparet, ar=AR, manad=3, nya_kvinnor=1)
    manad = reverse("registrering:manad", args=[it_sparet.pk, AR, 3])

    client.force_login(finnvedens_vu)
    assert client.get(manad).status_code == 404
    data = {"nya_kvinnor": "5", "nya_man": "0", "avslutade_kvinnor": "0", "avslutade_man": "0"}
    assert client.post(manad, data).status_code == 404
    assert (
        client.post(reverse("registrering:godkann", args=[it_sparet.pk, AR, 3])).status_code == 404
    )
    assert Manadsrapport.objects.get(insats=it_sparet, ar=AR, manad=3).nya_kvinnor == 1
    oversikt = client.get(reverse("registrering:oversikt_ar", args=[AR]))
    assert "IT-spåret" not in oversikt.content.decode()

    client.force_login(sodras_vu)
    assert client.get(manad).status_code == 200


# --- the admin ---------------------------------------------------------------------------------


def test_admin_lagger_till_och_andrar_genom_tjansten(client, sodras_vu, it_sparet, finnveden):
    client.force_login(sodras_vu)
    data = {"insats": it_sparet.pk, "finansiar": finnveden.pk, "ar": "2025", "belopp": "200 000"}
    response = client.post(url("medfinansiering_add"), {**data, "andel": "25"})
    assert response.status_code == 302, response.content.decode()[:3000]
    rad = Medfinansiering.objects.get()
    assert (rad.belopp, rad.andel) == (200_000, Decimal(25))
    assert audit_entries_for(rad).get().action == Action.SKAPAD

    sida = client.get(url("medfinansiering_change", rad.pk))
    assert sida.status_code == 200
    response = client.post(
        url("medfinansiering_change", rad.pk), {**formulardata(sida), "andel": "12,5"}
    )
    assert response.status_code == 302
    rad.refresh_from_db()
    assert rad.andel == Decimal("12.5")
    assert audit_entries_for(rad).latest("tid").changes == {"andel": ["25.00", "12.50"]}


def test_admin_visar_regelns_fel_vid_faltet(client, sodras_vu, it_sparet, sodra, finnveden):
    client.force_login(sodras_vu)
    sida = client.get(url("medfinansiering_add"))
    val = [str(o) for o in sida.context["adminform"].form.fields["finansiar"].queryset]
    assert sodra.namn not in val and finnveden.namn in val

    _spara(sodras_vu, it_sparet, finnveden, andel="80")
    hoglandet = f.ForbundFactory(namn="Höglandet", kortnamn="HSF")
    data = {"insats": it_sparet.pk, "finansiar": hoglandet.pk, "ar": "2025", "belopp": "-5"}
    response = client.post(url("medfinansiering_add"), {**data, "andel": "30"})
    assert response.status_code == 200
    fel = response.context["adminform"].form.errors
    assert fel["andel"][0].startswith("Andelarna blir 110\xa0% tillsammans")
    assert Medfinansiering.objects.count() == 1


def test_medfinansiaren_ser_inte_raden_i_admin(
    client, sodras_vu, finnvedens_vu, it_sparet, finnveden
):
    rad = _spara(sodras_vu, it_sparet, finnveden)
    client.force_login(finnvedens_vu)
    assert client.get(url("medfinansiering_change", rad.pk)).status_code == 302  # "finns inte"
    lista = client.get(url("medfinansiering_changelist"))
    assert lista.status_code == 200
    assert "IT-spåret" not in lista.content.decode()
    assert client.post(url("medfinansiering_delete", rad.pk), {"post": "yes"}).status_code != 200
    assert Medfinansiering.objects.filter(pk=rad.pk).exists()


# --- the import --------------------------------------------------------------------------------

RUBRIK = "Insats;År;Medfinansierande förbund;Belopp (kr);Andel %;Förbund"


def test_import_och_export_tur_och_retur(sodras_vu, it_sparet, finnveden, hoglandet):
    data = fil(RUBRIK, "IT-spåret;2025;FSF;200 000;25;SVB", "IT-spåret;2025;HSF;600 000;37,5;SVB")
    result = importera(MedfinansieringResource, data, sodras_vu)
    assert meddelanden(result) == []
    assert result.totals["new"] == 2
    rader = {r.finansiar.kortnamn: r for r in Medfinansiering.objects.select_related("finansiar")}
    assert rader["HSF"].andel == Decimal("37.5") and rader["FSF"].belopp == 200_000
    assert audit_entries_for(rader["FSF"]).get().action == Action.IMPORTERAD

    ut = exportera(MedfinansieringResource, sodras_vu)
    Medfinansiering.objects.all().delete()
    assert meddelanden(importera(MedfinansieringResource, ut, sodras_vu)) == []
    assert exportera(MedfinansieringResource, sodras_vu) == ut
    igen = importera(MedfinansieringResource, ut, sodras_vu)
    assert igen.totals["skip"] == 2


def test_import_raknar_filens_andra_rader_i_summan(sodras_vu, it_sparet, finnveden, hoglandet):
    data = fil(RUBRIK, "IT-spåret;2025;FSF;200 000;60;SVB", "IT-spåret;2025;HSF;600 000;50;SVB")
    texter = _importera(data, sodras_vu)
    assert len(texter) == 2
    assert texter[0].startswith("Rad 2, Andel %: Andelarna blir 110\xa0% tillsammans")
    assert not Medfinansiering.objects.exists()


def test_import_nekar_agaren_som_medfinansiar_och_okant_forbund(sodras_vu, it_sparet, finnveden):
    data = fil(RUBRIK, "IT-spåret;2025;SVB;200 000;25;SVB", "IT-spåret;2025;XYZ;1;1;SVB")
    texter = _importera(data, sodras_vu)
    assert texter == [
        "Rad 2, Medfinansierande förbund: Ett medfinansierande förbund måste vara ett annat än "
        "det som driver insatsen (Samordningsförbundet Södra Vätterbygden).",
        "Rad 3, Medfinansierande förbund: Okänt förbund ”XYZ”.",
    ]


def test_import_flyttar_andel_mellan_medfinansiarer(sodras_vu, it_sparet, finnveden, hoglandet):
    _spara(sodras_vu, it_sparet, finnveden, andel="70")
    _spara(sodras_vu, it_sparet, hoglandet, andel="30")
    data = fil(RUBRIK, "IT-spåret;2025;HSF;600 000;60;SVB", "IT-spåret;2025;FSF;200 000;40;SVB")
    assert meddelanden(importera(MedfinansieringResource, data, sodras_vu)) == []
    andelar = {r.finansiar.kortnamn: r.andel for r in Medfinansiering.objects.all()}
    assert andelar == {"FSF": Decimal(40), "HSF": Decimal(60)}


def test_medfinansiaren_kan_inte_importera_till_agarens_insats(
    finnvedens_vu, it_sparet, finnveden, hoglandet
):
    data = fil(RUBRIK, "IT-spåret;2025;HSF;600 000;25;SVB")
    texter = _importera(data, finnvedens_vu)
    assert texter == [
        "Rad 2, Förbund: Du hör inte till Samordningsförbundet Södra Vätterbygden och kan inte "
        "importera till det förbundet."
    ]
    assert not Medfinansiering.objects.exists()


# --- one rule, every door: the same message, nothing saved --------------------------------------

OVER_100 = (
    "Andelarna blir 110\xa0% tillsammans för insatsen 2025; de får vara högst 100 %. "
    "De andra medfinansierande förbunden har redan 80\xa0%."
)


@pytest.mark.parametrize("dorr", ["tjanst", "admin", "csv", "xlsx", "kommando"])
def test_samma_regel_i_varje_dorr(
    dorr, client, sodras_vu, it_sparet, finnveden, hoglandet, tmp_path, monkeypatch
):
    import io

    import openpyxl
    from django.core.management import call_command

    from registrering.formats import XLSX

    _spara(sodras_vu, it_sparet, finnveden, andel="80")
    fore = (list(Medfinansiering.objects.values_list()), AuditEntry.objects.andringar().count())
    rad = "IT-spåret;2025;HSF;600 000;30;SVB"
    if dorr == "tjanst":
        with pytest.raises(ValidationError) as fel:
            _spara(sodras_vu, it_sparet, hoglandet, andel="30")
        texter = fel.value.message_dict["andel"]
    elif dorr == "admin":
        client.force_login(sodras_vu)
        data = {"insats": it_sparet.pk, "finansiar": hoglandet.pk, "ar": "2025", "belopp": "1"}
        response = client.post(url("medfinansiering_add"), {**data, "andel": "30"})
        texter = response.context["adminform"].form.errors["andel"]
    elif dorr == "csv":
        texter = _importera(fil(RUBRIK, rad), sodras_vu)
    elif dorr == "xlsx":
        bok = openpyxl.Workbook()
        for rad_ in (RUBRIK, rad):
            bok.active.append(rad_.split(";"))
        ut = io.BytesIO()
        bok.save(ut)
        result = importera(
            MedfinansieringResource, ut.getvalue(), sodras_vu, format=XLSX, radfel_som_filfel=False
        )
        texter = meddelanden(result)
    else:
        monkeypatch.setenv("FINSAM_IMPORT_USER", sodras_vu.username)
        sokvag = tmp_path / "fil.csv"
        sokvag.write_bytes(fil(RUBRIK, rad))
        stderr = io.StringIO()
        with pytest.raises(SystemExit):
            call_command(
                "import",
                "registrering.resources.MedfinansieringResource",
                str(sokvag),
                interactive=False,
                stderr=stderr,
            )
        texter = [stderr.getvalue()]
    assert any(OVER_100 in t for t in texter), texter
    assert (
        list(Medfinansiering.objects.values_list()),
        AuditEntry.objects.andringar().count(),
    ) == fore
