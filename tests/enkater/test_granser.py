"""The survey's edges: an NNS round within one collection year, a question answered only in the
rounds of its own enkät, a question changed while answers come in, and report years out of
range."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from registrering import regler, services
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)
from registrering.services import enkat_svar

JA_NEJ = [("Ja", True), ("Nej", False)]
PAG = Respondentgrupp.DELTAGARE_PAGAENDE


@pytest.fixture
def katalog(forbund: Any, verksamhetsutvecklare: Any) -> services.Katalogkopia:
    return services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)


def _tillfalle(user: Any, enkat: Enkat, datum: dt.date, slutdatum: dt.date | None, **v: Any):
    data = {
        "respondentgrupp": PAG,
        "insats": None,
        "namn": "Omgången",
        "kalla": Enkattillfalle.Kalla.LANK,
    } | v
    return services.enkattillfalle_skapa(
        user=user, forbund=enkat.forbund, enkat=enkat, datum=datum, slutdatum=slutdatum, **data
    )


# --- An NNS round within one collection year ---------------------------------------------------


def test_nns_omgang_over_31_oktober_nekas(katalog: Any, verksamhetsutvecklare: Any) -> None:
    with pytest.raises(ValidationError) as fel:
        _tillfalle(verksamhetsutvecklare, katalog.nns, dt.date(2024, 10, 1), dt.date(2024, 11, 15))
    (text,) = fel.value.message_dict["slutdatum"]
    assert "insamlingsår 2024" in text and "senast 31/10 2024" in text
    assert "insamlingsår 2025" in text
    assert not Enkattillfalle.objects.filter(namn="Omgången").exists()


def test_nns_omgang_inom_aret_och_31_oktober_gar(katalog: Any, verksamhetsutvecklare: Any) -> None:
    hela = _tillfalle(
        verksamhetsutvecklare, katalog.nns, dt.date(2023, 11, 1), dt.date(2024, 10, 31)
    )
    assert hela.slutdatum == dt.date(2024, 10, 31)


def test_andrad_nns_omgang_over_31_oktober_nekas(katalog: Any, verksamhetsutvecklare: Any) -> None:
    tillfalle = _tillfalle(
        verksamhetsutvecklare, katalog.nns, dt.date(2024, 9, 1), dt.date(2024, 10, 1)
    )
    with pytest.raises(ValidationError) as fel:
        services.enkattillfalle_andra(
            user=verksamhetsutvecklare,
            tillfalle=tillfalle,
            namn="Omgången",
            datum=dt.date(2024, 9, 1),
            slutdatum=dt.date(2024, 11, 1),
            insats=None,
        )
    assert "slutdatum" in fel.value.message_dict
    tillfalle.refresh_from_db()
    assert tillfalle.slutdatum == dt.date(2024, 10, 1)


def test_utbildningens_omgang_far_ga_over_31_oktober(
    katalog: Any, verksamhetsutvecklare: Any
) -> None:
    tillfalle = _tillfalle(
        verksamhetsutvecklare,
        katalog.utbildning,
        dt.date(2024, 10, 20),
        dt.date(2024, 11, 20),
        respondentgrupp=Respondentgrupp.KURSDELTAGARE,
    )
    assert tillfalle.slutdatum == dt.date(2024, 11, 20)


def test_ny_omgang_i_formularet_visar_felet_vid_faltet(
    katalog: Any, verksamhetsutvecklare: Any, client: Any
) -> None:
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        "/enkater/tillfalle/ny/",
        {
            "enkat": katalog.nns.pk,
            "respondentgrupp": PAG,
            "namn": "Hösten",
            "datum": "2024-10-01",
            "slutdatum": "2024-11-15",
            "kalla": Enkattillfalle.Kalla.LANK,
        },
    )
    assert svar.status_code == 200
    assert "senast 31/10 2024" in " ".join(svar.context["form"].errors["slutdatum"])


def test_nns_lank_utan_sista_dag_stangs_vid_insamlingsarets_slut(
    katalog: Any, verksamhetsutvecklare: Any
) -> None:
    tillfalle = _tillfalle(verksamhetsutvecklare, katalog.nns, dt.date(2024, 9, 1), None)
    assert regler.enkat_tar_emot(tillfalle, dt.date(2024, 10, 31)) == []
    (fel,) = regler.enkat_tar_emot(tillfalle, dt.date(2024, 11, 1))
    assert "31/10 2024" in fel.text
    utbildning = _tillfalle(
        verksamhetsutvecklare,
        katalog.utbildning,
        dt.date(2024, 9, 1),
        None,
        namn="Kursen",
        respondentgrupp=Respondentgrupp.KURSDELTAGARE,
    )
    assert regler.enkat_tar_emot(utbildning, dt.date(2025, 3, 1)) == []


# --- A question is answered only in its own enkät's rounds -------------------------------------


def _fraga_utan_enkat(forbund: Any) -> Enkatfraga:
    fraga = Enkatfraga.objects.create(forbund=forbund, enkat=None, respondentgrupp="", text="Lös?")
    for i, text in enumerate(("Ja", "Nej")):
        Svarsalternativ.objects.create(fraga=fraga, text=text, ordning=i)
    return fraga


def test_fraga_utan_enkat_besvaras_inte_via_en_lank(
    katalog: Any, verksamhetsutvecklare: Any, idag: dt.date
) -> None:
    tillfalle = _tillfalle(verksamhetsutvecklare, katalog.nns, idag, None)
    los = _fraga_utan_enkat(tillfalle.forbund)
    ja = los.alternativ.get(text="Ja")
    with pytest.raises(ValidationError):
        services.enkatsvar_lamna(tillfalle=tillfalle, svar={los.pk: ja.pk}, idag=idag)
    assert not Enkatsvar.objects.filter(alternativ=ja, antal__gt=0).exists()
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 0


def test_fraga_utan_enkat_raknas_inte_pa_papper(
    katalog: Any, verksamhetsutvecklare: Any, idag: dt.date
) -> None:
    tillfalle = _tillfalle(
        verksamhetsutvecklare, katalog.nns, idag, None, kalla=Enkattillfalle.Kalla.PAPPER
    )
    ja = _fraga_utan_enkat(tillfalle.forbund).alternativ.get(text="Ja")
    with pytest.raises(ValidationError) as fel:
        services.enkat_pappersvar(
            user=verksamhetsutvecklare, tillfalle=tillfalle, antal_formular=1, antal={ja: 1}
        )
    assert "alternativ" in fel.value.message_dict


# --- A question changed while answers come in --------------------------------------------------


@pytest.fixture
def fraga(katalog: Any, verksamhetsutvecklare: Any) -> Enkatfraga:
    return services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=None,
        enkat=katalog.nns,
        text="Får du stöd?",
        respondentgrupp=PAG,
        indikator=1,
        alternativ=JA_NEJ,
    )


def test_svaret_provas_igen_i_transaktionen(
    fraga: Enkatfraga, katalog: Any, verksamhetsutvecklare: Any, idag: dt.date, monkeypatch: Any
) -> None:
    """The form was checked before the question got a new version (the check outside the
    transaction saw the old one as asked); the count under the round's lock refuses it."""
    tillfalle = _tillfalle(verksamhetsutvecklare, katalog.nns, idag, None)
    ja = fraga.alternativ.get(text="Ja")
    Enkatsvar.objects.update_or_create(tillfalle=tillfalle, alternativ=ja, defaults={"antal": 1})
    ny = services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=fraga,
        enkat=katalog.nns,
        text="Får du det stöd du behöver?",
        respondentgrupp=PAG,
        indikator=1,
        alternativ=JA_NEJ,
    )
    assert ny.version == 2
    monkeypatch.setattr(enkat_svar, "enkatsvar_lamna_fel", lambda **_k: [])
    with pytest.raises(ValidationError):
        enkat_svar.enkatsvar_lamna(tillfalle=tillfalle, svar={fraga.pk: ja.pk}, idag=idag)
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 0
    assert Enkatsvar.objects.get(tillfalle=tillfalle, alternativ=ja).antal == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite has one writer at a time, and its in-memory "
    "test database refuses concurrent writers from threads",
)
def test_andring_vantar_pa_ett_svar_som_raknas(
    forbund: Any, verksamhetsutvecklare: Any, idag: dt.date
) -> None:
    """An answer holds its round while it counts; a change of the question waits for it and,
    seeing the answer, makes a new version instead of editing the answered question."""
    katalog = services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    fraga = services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=None,
        enkat=katalog.nns,
        text="Får du stöd?",
        respondentgrupp=PAG,
        indikator=1,
        alternativ=JA_NEJ,
    )
    tillfalle = _tillfalle(verksamhetsutvecklare, katalog.nns, idag, None)
    ja = fraga.alternativ.get(text="Ja")
    haller, slapp = threading.Event(), threading.Event()
    resultat: dict[str, Any] = {}

    def svar() -> None:  # what `enkatsvar_lamna` does, held open between its statements
        try:
            with transaction.atomic():
                Enkattillfalle.objects.select_for_update(no_key=True).get(pk=tillfalle.pk)
                haller.set()
                slapp.wait(10)
                Enkatsvar.objects.update_or_create(
                    tillfalle=tillfalle, alternativ=ja, defaults={"antal": 1}
                )
        finally:
            connections.close_all()

    def andra() -> None:
        try:
            resultat["fraga"] = services.enkatfraga_spara(
                user=verksamhetsutvecklare,
                fraga=fraga,
                enkat=katalog.nns,
                text="Får du det stöd du behöver?",
                respondentgrupp=PAG,
                indikator=1,
                alternativ=JA_NEJ,
            )
        except BaseException as exc:
            resultat["fel"] = exc
        finally:
            connections.close_all()

    t1 = threading.Thread(target=svar)
    t1.start()
    assert haller.wait(10)
    t2 = threading.Thread(target=andra)
    t2.start()
    time.sleep(0.5)
    vantade = t2.is_alive()
    slapp.set()
    t1.join(10)
    t2.join(10)
    assert vantade
    assert "fel" not in resultat
    assert resultat["fraga"].version == 2
    fraga.refresh_from_db()
    assert fraga.text == "Får du stöd?" and not fraga.aktiv


# --- Report years out of range -----------------------------------------------------------------


@pytest.mark.parametrize(
    "adress",
    [
        "/enkater/indikatorer/0/",
        "/enkater/indikatorer/1999/",
        "/enkater/indikatorer/2101/",
        "/enkater/indikatorer/99999/",
        "/enkater/indikatorer/0/pdf/",
        "/enkater/indikatorer/0/diagram/1.svg",
        "/enkater/indikatorer/0/export.csv",
    ],
)
def test_indikatorer_for_ett_ar_utanfor_granserna_ar_404(
    adress: str, client: Any, verksamhetsutvecklare: Any
) -> None:
    client.force_login(verksamhetsutvecklare)
    assert client.get(adress).status_code == 404


def test_indikatorer_for_ett_ar_inom_granserna(client: Any, verksamhetsutvecklare: Any) -> None:
    client.force_login(verksamhetsutvecklare)
    assert client.get("/enkater/indikatorer/2000/").status_code == 200
    assert client.get("/enkater/indikatorer/2100/").status_code == 200
