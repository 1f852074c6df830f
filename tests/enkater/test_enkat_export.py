"""The national export of the NNS answer counts (CSV and XLSX) and the import of earlier years
in the same layout: suppression below the minimum n, the round trip into an empty förbund, bad
rows refused with nothing saved, the audit rows and who may do it."""

from __future__ import annotations

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from enkater import indikatorpdf
from enkater.indikatorer import indikatorrapport
from registrering.formats import CSV, XLSX, ImportFel
from registrering.models import AuditEntry, Enkatsvar, Enkattillfalle
from registrering.resources.enkater import NATIONELLA_KOLUMNER, IndikatorsvarImport
from tests.enkater import indikatordata as data

RUBRIK = ";".join(NATIONELLA_KOLUMNER)


@pytest.fixture
def nns(forbund, verksamhetsutvecklare):
    data.nns_enkat(forbund)
    data.svar(forbund, verksamhetsutvecklare)
    return forbund


def _csv(forbund, ar=2024) -> bytes:
    return indikatorpdf.rendera_export(indikatorrapport(forbund=forbund, ar=ar), "csv").innehall


def _rader(innehall: bytes) -> list[str]:
    return innehall.decode("utf-8-sig").splitlines()


def test_csv_en_rad_per_ar_grupp_indikator_fraga_och_alternativ(nns):
    rader = _rader(_csv(nns))
    assert rader[0] == RUBRIK
    assert rader[1] == f"2020;Deltagare (pågående);1;{data.NYTTA_P};Aldrig;2"
    assert f"2024;Deltagare (avslutade);6;{data.PLANERING};Ja;44" in rader
    # 2020: 6 + 6 + 2; 2022: 6 + 6 + 2 (personal's 4 suppressed); 2024: 6 + 6 + 2 + 6.
    assert len(rader) - 1 == 14 + 14 + 20
    ar = [r.split(";")[0] for r in rader[1:]]
    assert ar == sorted(ar)


def test_under_minsta_n_exporteras_inte(nns):
    text = _csv(nns).decode("utf-8-sig")
    assert data.STRATEGI not in text  # the styrelse's three answers
    assert f"2022;Personal i insatser;10;{data.PERSONAL}" not in text


def test_xlsx_samma_innehall(nns):
    export = indikatorpdf.rendera_export(indikatorrapport(forbund=nns, ar=2024), "xlsx")
    assert export.filnamn == "Indikatorer-STB-2024.xlsx"
    ur_xlsx = XLSX().create_dataset(export.innehall)
    ur_csv = CSV().create_dataset(_csv(nns))
    assert list(ur_xlsx.headers) == list(NATIONELLA_KOLUMNER)
    assert [[str(v) for v in r] for r in ur_xlsx] == [[str(v) for v in r] for r in ur_csv]


def test_rundresa_export_import_export(nns, annat_forbund, utomstaende):
    """Export → import into a förbund without answers (with the same questions) → export: the
    same file."""
    data.nns_enkat(annat_forbund)
    innehall = _csv(nns)
    antal = IndikatorsvarImport(user=utomstaende, forbund=annat_forbund).importera(
        CSV().create_dataset(innehall), filnamn="Indikatorer-STB-2024.csv"
    )
    assert antal == 48
    igen = _csv(annat_forbund)
    assert igen == innehall
    tillfallen = Enkattillfalle.objects.filter(forbund=annat_forbund)
    assert {t.kalla for t in tillfallen} == {Enkattillfalle.Kalla.IMPORT}
    assert (
        AuditEntry.objects.filter(
            forbund=annat_forbund,
            action=AuditEntry.Action.IMPORTERAD,
            kommentar="Importerad från Indikatorer-STB-2024.csv",
        ).count()
        == 48 + tillfallen.count() * 2
    )  # every count, every round and its forms


def test_import_igen_andrar_inget(nns, verksamhetsutvecklare):
    fore = sorted(Enkatsvar.objects.values_list("tillfalle_id", "alternativ_id", "antal"))
    IndikatorsvarImport(user=verksamhetsutvecklare, forbund=nns).importera(
        CSV().create_dataset(_csv(nns))
    )
    assert sorted(Enkatsvar.objects.values_list("tillfalle_id", "alternativ_id", "antal")) == fore


def _fil(*rader: str) -> tablib.Dataset:
    return CSV().create_dataset("\r\n".join([RUBRIK, *rader]).encode())


def test_fel_rader_avvisas_och_inget_sparas(forbund, verksamhetsutvecklare):
    data.nns_enkat(forbund)
    fil = _fil(
        f"2024;Deltagare (pågående);1;{data.NYTTA_P};Ofta;12",  # fine on its own
        f"2024;Deltagare (pågående);1;{data.NYTTA_P};Jämt;3",
        f"2024;Styrelsen;1;{data.NYTTA_P};Ofta;3",
        f"2024;Personal i insatser;11;{data.PERSONAL};Delvis;3",
        f"2024;Deltagare (avslutade);6;{data.PLANERING};Ja;-2",
        f"1899;Kursledare;6;{data.PLANERING};Ja;2",
        f"2024;Deltagare (pågående);1;{data.NYTTA_P};ofta;1",
    )
    importen = IndikatorsvarImport(user=verksamhetsutvecklare, forbund=forbund)
    with pytest.raises(ImportFel) as fel:
        importen.importera(fil)
    text = str(fel.value)
    assert text.startswith("Filen har fel; inget har sparats.")
    assert "Rad 3, Svarsalternativ: okänt alternativ ”Jämt”. Alternativen är: Aldrig," in text
    assert f"Rad 4, Fråga: ”{data.NYTTA_P}” är ingen NNS-fråga till styrelsen" in text
    assert "Rad 5, Indikator: frågan mäter indikator 10, inte 11." in text
    assert "Rad 6, Antal:" in text
    assert "Rad 7, Insamlingsår: 1899 är inget insamlingsår" in text
    assert "Rad 7, Respondentgrupp: okänd grupp ”Kursledare”." in text
    assert "Rad 8: samma år, fråga och svarsalternativ som rad 2." in text
    assert not Enkatsvar.objects.exists() and not Enkattillfalle.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD).exists()


def test_fel_rubriker(forbund, verksamhetsutvecklare):
    fil = CSV().create_dataset(b"Ar;Grupp\r\n2024;Personal\r\n")
    with pytest.raises(ImportFel, match="Fel kolumnrubriker: filen saknar"):
        IndikatorsvarImport(user=verksamhetsutvecklare, forbund=forbund).importera(fil)


def test_styrelsen_far_inte_importera(forbund, styrelse):
    from django.core.exceptions import PermissionDenied

    data.nns_enkat(forbund)
    fil = _fil(f"2024;Deltagare (pågående);1;{data.NYTTA_P};Ofta;12")
    with pytest.raises(PermissionDenied):
        IndikatorsvarImport(user=styrelse, forbund=forbund).importera(fil)
    assert not Enkatsvar.objects.exists()


# --- The pages --------------------------------------------------------------------------------


def test_export_i_webblasaren(nns, client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.get("/enkater/indikatorer/2024/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Indikatorer-STB-2024.csv"'
    assert response.content == _csv(nns)
    assert client.get("/enkater/indikatorer/2024/export.pdf").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("forbundschef", 200), ("styrelse", 403), ("insatsansvarig", 403)],
)
def test_export_bara_for_kansliet(nns, client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/enkater/indikatorer/2024/export.xlsx").status_code == status


def test_import_i_webblasaren(forbund, client, verksamhetsutvecklare):
    data.nns_enkat(forbund)
    client.force_login(verksamhetsutvecklare)
    assert client.get("/enkater/indikatorer/importera/").status_code == 200
    fel = SimpleUploadedFile(
        "svar.csv", f"{RUBRIK}\r\n2024;Styrelsen;1;{data.NYTTA_P};Ofta;3\r\n".encode()
    )
    response = client.post("/enkater/indikatorer/importera/", {"fil": fel})
    assert response.status_code == 400
    assert "Rad 2, Fråga:" in response.content.decode()
    assert not Enkatsvar.objects.exists()
    bra = SimpleUploadedFile(
        "svar.csv", f"{RUBRIK}\r\n2024;Deltagare (pågående);1;{data.NYTTA_P};Ofta;12\r\n".encode()
    )
    response = client.post("/enkater/indikatorer/importera/", {"fil": bra})
    assert response.status_code == 302
    assert Enkatsvar.objects.get().antal == 12


def test_import_bara_for_kansliet(forbund, client, styrelse):
    client.force_login(styrelse)
    assert client.get("/enkater/indikatorer/importera/").status_code == 403
