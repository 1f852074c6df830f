"""Large imports in the task queue (registrering.importuppgifter): the admin's confirm step hands a
file with more than `FINSAM_IMPORT_KO_RADER` rows to a task, and the uploader follows it on a
status page; a small file is still imported in the request.

With `FINSAM_BYGG_I_BAKGRUNDEN = False` (the test settings) `finsam.uppgifter.skicka` runs the
task at once, in the request. Where a test needs the job to wait, `skicka` only records the call
and the test runs the task itself, with the recorded (JSON-checked) arguments, as a worker would.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from finsam import uppgifter
from registrering import importuppgifter
from registrering.importlagring import SAKNAS, SESSIONSNYCKEL
from registrering.models import AuditEntry, Manadsrapport, User
from registrering.permissions import Roll
from tests import factories
from tests.registrering.importhjalp import MANAD_RUBRIK, fil, tillstand

Status = Manadsrapport.Status
KLAR_TRE = "Importen är klar: 3 nya, 0 ändrade, 0 borttagna och 0 oförändrade rader."
KORS = "Importen körs …"
OMLADDNING = '<meta http-equiv="refresh" content="3">'


@pytest.fixture(autouse=True)
def lagring(settings, tmp_path) -> Path:
    settings.FINSAM_IMPORT_TMP_DIR = tmp_path / "importer"
    settings.FINSAM_IMPORT_KO_RADER = 2  # three rows are "large" here
    return settings.FINSAM_IMPORT_TMP_DIR


@pytest.fixture
def vu_klient(verksamhetsutvecklare) -> Client:
    klient = Client()
    klient.force_login(verksamhetsutvecklare)
    return klient


@pytest.fixture
def i_kon(monkeypatch) -> list[dict[str, Any]]:
    """`skicka` records the task's arguments instead of running it (a job that waits)."""
    anrop: list[dict[str, Any]] = []

    def skicka(uppgift: Any, *args: Any, **kwargs: Any) -> None:
        assert uppgift is importuppgifter.importera_stor_fil
        assert args == ()
        anrop.append(json.loads(json.dumps(kwargs)))  # what a worker would get

    monkeypatch.setattr(uppgifter, "skicka", skicka)
    return anrop


def _url(namn: str, *args: str) -> str:
    return reverse(f"admin:registrering_manadsrapport_{namn}", args=args)


def _manader(insats, antal: int = 3) -> bytes:
    return fil(MANAD_RUBRIK, *(f"{insats.namn};2025;{m};2;1;0;0" for m in range(1, antal + 1)))


def _forhandsgranska(klient: Client, data: bytes) -> dict[str, Any]:
    """Upload and preview; the confirm form's values."""
    fil_ = io.BytesIO(data)
    fil_.name = "manader.csv"
    svar = klient.post(_url("import"), {"resource": "0", "format": "0", "import_file": fil_})
    assert svar.status_code == 200
    return dict(svar.context["confirm_form"].initial)


def _bekrafta(klient: Client, initial: dict[str, Any]) -> str:
    """Confirm; where the answer leads."""
    svar = klient.post(_url("process_import"), initial)
    assert svar.status_code == 302
    return svar["Location"]


def _jobb_id(adress: str) -> str:
    assert adress.startswith(_url("import")), adress
    return adress.rstrip("/").rsplit("/", 1)[1]


def test_en_stor_fil_importeras_av_uppgiften_med_uppladdaren_i_loggen(
    vu_klient, insats, verksamhetsutvecklare, lagring
):
    initial = _forhandsgranska(vu_klient, _manader(insats))
    namn = initial["import_file_name"]
    assert (lagring / namn).exists()

    adress = _bekrafta(vu_klient, initial)

    assert adress == _url("importjobb", _jobb_id(adress))
    manader = Manadsrapport.objects.filter(insats=insats, ar=2025).order_by("manad")
    assert [(m.manad, m.nya_kvinnor, m.nya_man, m.status) for m in manader] == [
        (1, 2, 1, Status.INSKICKAD),
        (2, 2, 1, Status.INSKICKAD),
        (3, 2, 1, Status.INSKICKAD),
    ]
    loggen = AuditEntry.objects.andringar()
    assert {(e.action, e.user_id, e.object_id) for e in loggen} == {
        (AuditEntry.Action.IMPORTERAD, verksamhetsutvecklare.pk, str(m.pk)) for m in manader
    }
    assert {e.kommentar for e in loggen} == {"Importerad från manader.csv"}
    assert not (lagring / namn).exists()
    assert vu_klient.session[SESSIONSNYCKEL] == []

    svar = vu_klient.get(adress)
    sida = svar.content.decode()
    assert svar.status_code == 200
    assert "Importen är klar" in sida
    assert KLAR_TRE in sida
    assert OMLADDNING not in sida
    assert KORS not in sida


def test_statussidan_fragar_igen_medan_uppgiften_vantar_och_visar_sedan_resultatet(
    vu_klient, insats, verksamhetsutvecklare, lagring, i_kon, settings
):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    initial = _forhandsgranska(vu_klient, _manader(insats))
    adress = _bekrafta(vu_klient, initial)

    assert len(i_kon) == 1
    assert i_kon[0]["anvandare_id"] == verksamhetsutvecklare.pk
    assert i_kon[0]["namn"] == initial["import_file_name"]
    vantar = vu_klient.get(adress).content.decode()
    assert KORS in vantar
    assert OMLADDNING in vantar
    assert "väntar på sin tur" in vantar
    assert not Manadsrapport.objects.exists()

    importuppgifter.importera_stor_fil(**i_kon[0])  # the worker

    klar = vu_klient.get(adress).content.decode()
    assert KLAR_TRE in klar
    assert OMLADDNING not in klar
    assert Manadsrapport.objects.filter(insats=insats).count() == 3
    assert not (lagring / initial["import_file_name"]).exists()


def test_ett_dubbelklick_koar_filen_en_gang(vu_klient, insats, i_kon, settings):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    initial = _forhandsgranska(vu_klient, _manader(insats))

    forsta = _bekrafta(vu_klient, initial)
    andra = _bekrafta(vu_klient, initial)
    importuppgifter.importera_stor_fil(**i_kon[0])
    tredje = _bekrafta(vu_klient, initial)  # after the import too: to its result

    assert forsta == andra == tredje
    assert len(i_kon) == 1
    assert Manadsrapport.objects.filter(insats=insats).count() == 3
    assert AuditEntry.objects.andringar().count() == 3


def test_andra_ser_inte_jobbet(vu_klient, insats, forbund, forbundschef, styrelse):
    adress = _bekrafta(vu_klient, _forhandsgranska(vu_klient, _manader(insats)))
    kollega = factories.UserFactory(
        username="vu2", forbund=forbund, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
    )
    superuser = factories.UserFactory(
        username="root", forbund=None, is_staff=True, is_superuser=True
    )
    for annan in (kollega, forbundschef, superuser):
        klient = Client()
        klient.force_login(annan)
        assert klient.get(adress).status_code == 404, annan.username
    # Without the admin: to the admin's login, as every admin page (test_behorighetsmatris).
    klient = Client()
    klient.force_login(styrelse)
    assert klient.get(adress)["Location"].startswith("/admin/login/")
    # Own job, another admin's address; and an id that is no job.
    jobb_id = _jobb_id(adress)
    annan_admin = reverse("admin:registrering_insats_importjobb", args=[jobb_id])
    assert vu_klient.get(annan_admin).status_code == 404
    assert vu_klient.get(_url("importjobb", "0" * 32)).status_code == 404
    assert vu_klient.get(_url("importjobb", "..")).status_code == 404
    assert vu_klient.get(adress).status_code == 200


def test_en_import_som_fallerar_visar_felen_och_sparar_inget(
    vu_klient, insats, verksamhetsutvecklare, lagring
):
    initial = _forhandsgranska(vu_klient, _manader(insats))
    # Between the preview and the confirm, January is approved with other figures.
    factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=1, nya_kvinnor=5, status=Status.GODKAND
    )
    fore = tillstand()

    adress = _bekrafta(vu_klient, initial)

    assert tillstand() == fore
    assert not (lagring / initial["import_file_name"]).exists()
    svar = vu_klient.get(adress)
    sida = svar.content.decode()
    assert "Importen misslyckades – inget har sparats" in sida
    assert "Fel i filen – inget har sparats" in sida
    assert "januari 2025 är godkänd och låst" in sida
    rader = svar.context["result"]["invalid_rows"]
    assert [r["number"] + 1 for r in rader] == [2]
    assert KLAR_TRE not in sida
    assert OMLADDNING not in sida


def test_en_fil_som_forsvunnit_ger_svenskt_fel(vu_klient, insats, i_kon, settings, lagring):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    initial = _forhandsgranska(vu_klient, _manader(insats))
    adress = _bekrafta(vu_klient, initial)
    (lagring / initial["import_file_name"]).unlink()

    importuppgifter.importera_stor_fil(**i_kon[0])

    sida = vu_klient.get(adress).content.decode()
    assert "Importen misslyckades" in sida
    assert SAKNAS.split(" (")[0] in sida
    assert not Manadsrapport.objects.exists()


def test_ett_ovantat_fel_i_uppgiften_sags_och_filen_tas_bort(
    vu_klient, insats, i_kon, settings, lagring, monkeypatch
):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    initial = _forhandsgranska(vu_klient, _manader(insats))
    adress = _bekrafta(vu_klient, initial)

    def trasig(**kwargs: Any) -> None:
        raise RuntimeError("databasen borta")

    monkeypatch.setattr(importuppgifter, "importera", trasig)
    importuppgifter.importera_stor_fil(**i_kon[0])

    sida = vu_klient.get(adress).content.decode()
    assert "tekniskt fel" in sida
    assert "databasen borta" not in sida
    assert not (lagring / initial["import_file_name"]).exists()


def test_en_uppgift_for_en_inaktiverad_anvandare_sparar_inget(
    vu_klient, insats, verksamhetsutvecklare, i_kon, settings
):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    _bekrafta(vu_klient, _forhandsgranska(vu_klient, _manader(insats)))
    User.objects.filter(pk=verksamhetsutvecklare.pk).update(is_active=False)

    importuppgifter.importera_stor_fil(**i_kon[0])

    assert not Manadsrapport.objects.exists()


def test_en_liten_fil_importeras_fortfarande_i_begaran(vu_klient, insats, i_kon, settings):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True  # a queued task would not run here
    initial = _forhandsgranska(vu_klient, _manader(insats, antal=2))

    svar = vu_klient.post(_url("process_import"), initial, follow=True)

    assert svar.redirect_chain == [(_url("changelist"), 302)]
    assert [str(m) for m in svar.context["messages"]] == [
        "Importen är klar: 2 nya, 0 ändrade, 0 borttagna och 0 oförändrade rader."
    ]
    assert i_kon == []
    assert Manadsrapport.objects.filter(insats=insats).count() == 2


def test_en_liten_import_som_fallerar_i_begaran_visar_felen(vu_klient, insats, lagring):
    """The same result page as a queued import's: no "Importen är klar: 0 nya" any more."""
    initial = _forhandsgranska(vu_klient, _manader(insats, antal=2))
    factories.ManadsrapportFactory(
        insats=insats, ar=2025, manad=2, nya_man=7, status=Status.GODKAND
    )

    svar = vu_klient.post(_url("process_import"), initial)

    sida = svar.content.decode()
    assert svar.status_code == 200
    assert "Importen misslyckades – inget har sparats" in sida
    assert "februari 2025 är godkänd och låst" in sida
    assert Manadsrapport.objects.filter(insats=insats).count() == 1
    assert not (lagring / initial["import_file_name"]).exists()


def test_godkand_foljer_med_till_uppgiften(vu_klient, insats):
    fil_ = io.BytesIO(_manader(insats))
    fil_.name = "manader.csv"
    svar = vu_klient.post(
        _url("import"), {"resource": "0", "format": "0", "import_file": fil_, "godkand": "on"}
    )
    _bekrafta(vu_klient, svar.context["confirm_form"].initial)

    statusar = set(Manadsrapport.objects.filter(insats=insats).values_list("status", flat=True))
    assert statusar == {Status.GODKAND}
