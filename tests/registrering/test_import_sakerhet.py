"""The import's safety: the admin confirms only a file this session uploaded, stale uploads are
deleted, and a file over the row limit (or an xlsx that unpacks too large) is refused early."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from registrering.audit import audit_entries_for
from registrering.formats import CSV, XLSX, ImportFel
from registrering.importlagring import SAKNAS, SESSIONSNYCKEL
from registrering.models import Manadsrapport
from registrering.permissions import Roll
from tests import factories
from tests.registrering.importhjalp import MANAD_RUBRIK, fil

GRANS_TEXT = "Filen har fler än 5 rader. Dela upp den i flera filer med högst 5 rader var."


@pytest.fixture(autouse=True)
def lagring(settings, tmp_path) -> Path:
    settings.FINSAM_IMPORT_TMP_DIR = tmp_path / "importer"
    return settings.FINSAM_IMPORT_TMP_DIR


def _url(namn: str) -> str:
    return reverse(f"admin:registrering_manadsrapport_{namn}")


def _ladda_upp(client: Client, data: bytes, namn: str = "manader.csv", format_: str = "0") -> dict:
    fil_ = io.BytesIO(data)
    fil_.name = namn
    svar = client.post(_url("import"), {"resource": "0", "format": format_, "import_file": fil_})
    assert svar.status_code == 200
    return svar


def _manadsfil(insats) -> bytes:
    return fil(MANAD_RUBRIK, f"{insats.namn};2025;1;2;1;0;0")


def _inloggad(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _meddelanden(svar) -> list[str]:
    return [str(m) for m in svar.context["messages"]]


# --- the admin's temp storage ------------------------------------------------------------------


def test_bekraftelsen_tar_bara_en_fil_som_sessionen_laddade_upp(
    insats, verksamhetsutvecklare, lagring
):
    agare = _inloggad(verksamhetsutvecklare)
    namn = _ladda_upp(agare, _manadsfil(insats)).context["confirm_form"].initial["import_file_name"]
    assert [p.name for p in lagring.iterdir()] == [namn]
    assert oct((lagring / namn).stat().st_mode & 0o777) == "0o600"

    kollega = factories.UserFactory(
        username="vu2",
        forbund=insats.forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )
    for annan in (_inloggad(kollega), _inloggad(verksamhetsutvecklare)):  # another session
        svar = annan.post(
            _url("process_import"),
            {
                "import_file_name": namn,
                "original_file_name": "x.csv",
                "format": "0",
                "resource": "0",
            },
            follow=True,
        )
        assert svar.redirect_chain == [(_url("import"), 302)]
        assert _meddelanden(svar) == [SAKNAS]
    assert not Manadsrapport.objects.exists()
    assert (lagring / namn).exists()  # not read, not deleted

    svar = agare.post(
        _url("process_import"),
        {
            "import_file_name": namn,
            "original_file_name": "manader.csv",
            "format": "0",
            "resource": "0",
        },
    )
    assert svar.status_code == 302
    assert Manadsrapport.objects.get(insats=insats, ar=2025, manad=1).nya_kvinnor == 2
    assert not (lagring / namn).exists()
    assert agare.session[SESSIONSNYCKEL] == []


def test_admins_bekraftelse_godkanner_inte_det_som_forhandsgranskades_utan_godkannande(
    insats, verksamhetsutvecklare
):
    """As on the product's page: the confirm imports the file as previewed (the session's
    record), whatever the confirm form posts."""
    client = _inloggad(verksamhetsutvecklare)
    initial = _ladda_upp(client, _manadsfil(insats)).context["confirm_form"].initial

    svar = client.post(
        _url("process_import"),
        {**initial, "godkand": "on", "original_file_name": "annan.csv"},
    )

    assert svar.status_code == 302
    rapport = Manadsrapport.objects.get(insats=insats, ar=2025, manad=1)
    assert rapport.status == Manadsrapport.Status.INSKICKAD
    assert "manader.csv" in audit_entries_for(rapport).get().kommentar


@pytest.mark.parametrize("namn", ["../../etc/passwd", "/etc/passwd", "planterad.csv", ""])
def test_namn_utanfor_lagringen_avvisas_utan_att_lasas(client, verksamhetsutvecklare, namn):
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        _url("process_import"),
        {"import_file_name": namn, "original_file_name": "x.csv", "format": "0", "resource": "0"},
        follow=True,
    )
    assert svar.status_code == 200
    assert _meddelanden(svar) == [SAKNAS]
    assert Path("/etc/passwd").exists()


def test_saknad_fil_ger_svenskt_meddelande_och_inte_500(
    client, insats, verksamhetsutvecklare, lagring
):
    client.force_login(verksamhetsutvecklare)
    initial = _ladda_upp(client, _manadsfil(insats)).context["confirm_form"].initial
    (lagring / initial["import_file_name"]).unlink()

    svar = client.post(_url("process_import"), initial, follow=True)

    assert svar.redirect_chain == [(_url("import"), 302)]
    assert _meddelanden(svar) == [SAKNAS]
    assert "Fil att importera" in svar.content.decode()
    assert not Manadsrapport.objects.exists()
    assert client.session[SESSIONSNYCKEL] == []


def test_forhandsgranskning_med_fel_sparar_ingen_fil(
    client, insats, verksamhetsutvecklare, lagring
):
    client.force_login(verksamhetsutvecklare)
    svar = _ladda_upp(client, fil(MANAD_RUBRIK, f"{insats.namn};2025;1;x;0;0;0"))
    assert "confirm_form" not in svar.context
    assert list(lagring.iterdir()) == []


def _gammal(lagring: Path, namn: str, *, sekunder: int) -> Path:
    lagring.mkdir(parents=True, exist_ok=True)
    sokvag = lagring / namn
    sokvag.write_bytes(b"Insats\r\n")
    os.utime(sokvag, (time.time() - sekunder, time.time() - sekunder))
    return sokvag


def test_gamla_forhandsgranskningar_tas_bort_vid_nasta_uppladdning(
    client, insats, verksamhetsutvecklare, lagring
):
    gammal = _gammal(lagring, "a" * 32, sekunder=2 * 60 * 60)
    farsk = _gammal(lagring, "b" * 32, sekunder=10 * 60)
    client.force_login(verksamhetsutvecklare)
    _ladda_upp(client, _manadsfil(insats))
    assert not gammal.exists()
    assert farsk.exists()


def test_rensa_importer_tar_bort_gamla_och_bara_lagringens_filer(lagring, settings):
    gammal = _gammal(lagring, "a" * 32, sekunder=2 * 60 * 60)
    farsk = _gammal(lagring, "b" * 32, sekunder=10 * 60)
    annan = _gammal(lagring, "inte-var.txt", sekunder=2 * 60 * 60)
    ut = io.StringIO()

    call_command("rensa_importer", stdout=ut)

    assert not gammal.exists() and farsk.exists() and annan.exists()
    assert ut.getvalue().startswith("1 gamla importfiler borttagna")
    call_command("rensa_importer", "--minuter", "5", stdout=io.StringIO())
    assert not farsk.exists()


# --- the row limit and the zip bomb -------------------------------------------------------------


def _xlsx(rader: int, *, dimension: str | None = None) -> bytes:
    bok = openpyxl.Workbook()
    blad = bok.active
    blad.append(["Insats"])
    for n in range(rader):
        blad.append([n])
    ut = io.BytesIO()
    bok.save(ut)
    data = ut.getvalue()
    if dimension is None:
        return data
    return _byt_dimension(data, dimension)


def _byt_dimension(data: bytes, dimension: str) -> bytes:
    """The same workbook with a sheet dimension that lies."""
    import re
    import zipfile

    ut = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as inn, zipfile.ZipFile(ut, "w") as ny:
        for del_ in inn.infolist():
            innehall = inn.read(del_.filename)
            if del_.filename == "xl/worksheets/sheet1.xml":
                innehall = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), innehall
                )
            ny.writestr(del_, innehall)
    return ut.getvalue()


@pytest.mark.parametrize(
    "format_,data",
    [
        (CSV, lambda n: ("Insats\r\n" + "1\r\n" * n).encode()),
        (XLSX, _xlsx),
    ],
)
def test_radgransen_ar_en_installning(settings, format_, data):
    settings.FINSAM_IMPORT_MAX_RADER = 5
    assert len(format_().create_dataset(data(5))) == 5
    with pytest.raises(ImportFel) as fel:
        format_().create_dataset(data(6))
    assert str(fel.value) == GRANS_TEXT


def test_tomma_rader_raknas_ocksa(settings):
    settings.FINSAM_IMPORT_MAX_RADER = 5
    with pytest.raises(ImportFel, match="fler än 5 rader"):
        CSV().create_dataset(("Insats\r\n1\r\n" + ";\r\n" * 10).encode())


def test_xlsx_som_ljuger_om_sin_storlek_rakas_anda(settings):
    settings.FINSAM_IMPORT_MAX_RADER = 5
    with pytest.raises(ImportFel, match="fler än 5 rader"):
        XLSX().create_dataset(_xlsx(6, dimension="A1:A1"))
    assert len(XLSX().create_dataset(_xlsx(4, dimension="A1:A1"))) == 4


def test_xlsx_som_packas_upp_for_stort_avvisas_innan_den_oppnas(settings):
    settings.FINSAM_IMPORT_MAX_UPPACKAD_BYTES = 1000
    with pytest.raises(ImportFel, match="uppackad, mer än de 0,0 MB som kan läsas"):
        XLSX().create_dataset(_xlsx(2))


def test_radgransen_i_admin_visas_vid_filen(settings, client, verksamhetsutvecklare, lagring):
    settings.FINSAM_IMPORT_MAX_RADER = 5
    client.force_login(verksamhetsutvecklare)
    svar = _ladda_upp(client, _xlsx(20), namn="stor.xlsx", format_="1")
    assert svar.context["form"].errors["import_file"] == [GRANS_TEXT]
    assert list(lagring.iterdir()) == []


def test_radgransen_pa_kommandoraden(settings, tmp_path, verksamhetsutvecklare):
    from django.core.management.base import CommandError

    settings.FINSAM_IMPORT_MAX_RADER = 5
    sokvag = tmp_path / "stor.csv"
    sokvag.write_bytes(fil(MANAD_RUBRIK, *["X;2025;1;0;0;0;0"] * 6))
    with pytest.raises(CommandError) as fel:
        call_command(
            "import",
            "registrering.resources.ManadsdataResource",
            str(sokvag),
            interactive=False,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert str(fel.value) == GRANS_TEXT


def test_lagringen_ger_byte_eller_text_som_formatet_laser(lagring):
    from registrering.importlagring import ImportLagring

    binar = ImportLagring(read_mode="rb")
    binar.save(b"Insats;\xc3\x85r\r\n")
    assert ImportLagring(name=binar.name, read_mode="rb").read() == b"Insats;\xc3\x85r\r\n"
    text = ImportLagring(read_mode="r", encoding="utf-8")
    text.save("Insats;År\r\n")
    assert ImportLagring(name=text.name, read_mode="r", encoding="utf-8").read() == "Insats;År\r\n"
    assert binar.name != text.name
    binar.remove()
    assert sorted(p.name for p in lagring.iterdir()) == [text.name]


def test_xlsx_med_celler_langt_ut_lases_bara_sa_brett_som_rubrikerna():
    """A row with a cell in column XFD would be padded to 16 384 values by openpyxl (2 000 such
    rows took 251 MB): data rows are read no wider than the headers plus one column, so they cost
    little memory. A value right after the last header is refused at its row; one far out, under
    no header anywhere near, is not read at all."""
    import tracemalloc

    bok = openpyxl.Workbook()
    blad = bok.active
    blad.append(["Insats", "År"])
    for rad in range(2, 2002):
        blad.cell(row=rad, column=1, value="Insats A")
        blad.cell(row=rad, column=16384, value="x")
    ut = io.BytesIO()
    bok.save(ut)
    tracemalloc.start()
    try:
        dataset = XLSX().create_dataset(ut.getvalue())
        _, topp = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(dataset) == 2000
    assert dataset.headers == ["Insats", "År"]
    assert topp < 30 * 1024 * 1024, f"{topp / 1e6:.0f} MB"

    blad.cell(row=5, column=3, value="utan rubrik")
    ut = io.BytesIO()
    bok.save(ut)
    with pytest.raises(ImportFel, match="Rad 5 har fler värden än det finns kolumnrubriker"):
        XLSX().create_dataset(ut.getvalue())


def test_rensningen_ar_en_schemalagd_uppgift_och_sparar_koade_filer(lagring, settings, db):
    """beat runs `registrering.rensa_importer` every hour; a file queued for import starts its
    age anew, so the cleanup of unconfirmed previews does not take it from the waiting job."""
    from unittest import mock

    from registrering.importuppgifter import jobb_starta
    from registrering.resources import ManadsdataResource
    from registrering.tasks import rensa_importer

    forhand = _gammal(lagring, "a" * 32, sekunder=2 * 60 * 60)
    koad = _gammal(lagring, "b" * 32, sekunder=2 * 60 * 60)
    user = factories.UserFactory(username="vu-k", roll=Roll.VERKSAMHETSUTVECKLARE)
    with mock.patch("finsam.uppgifter.skicka"):
        jobb_starta(
            user=user,
            modell="manadsrapport",
            resurs=ManadsdataResource,
            format_=CSV,
            namn=koad.name,
            filnamn="fil.csv",
            godkand=False,
        )
    assert rensa_importer.apply().get() == 1
    assert not forhand.exists()
    assert koad.exists()


def test_csv_rader_som_den_allmanna_lasningen():
    """A CSV file's rows (every cell text) are read by their own quick way (`_textrad`) into
    the values the general way (`_datarad`, which an xlsx row takes) gives: trimmed, a
    neutralised formula given back, blank rows dropped, short rows padded, empty cells past
    the headers ignored, a value past them refused with its row."""
    from registrering.formats import _datarad, _dataset

    rader = [
        ["  Insats A ", "2025", " 1"],
        ["", " ", ""],
        ["'=1+1", "'-2", "'"],
        ["Insats B"],
        ["Insats C", "2025", "3", "", "  "],
    ]
    text = CSV().create_dataset(
        ("Insats;År;Månad\r\n" + "\r\n".join(";".join(r) for r in rader)).encode()
    )
    allman = _dataset(["Insats", "År", "Månad"], rader)
    assert (
        [list(r) for r in text]
        == [list(r) for r in allman]
        == [
            ["Insats A", "2025", "1"],
            ["=1+1", "-2", "'"],
            ["Insats B", "", ""],
            ["Insats C", "2025", "3"],
        ]
    )
    assert _datarad(rader[2], 3, radnummer=3, kanda={}) == ["=1+1", "-2", "'"]
    with pytest.raises(ImportFel, match="Rad 3 har fler värden än det finns kolumnrubriker"):
        CSV().create_dataset(b"Insats;\xc3\x85r\r\nA;2025\r\nB;2025;x\r\n")
