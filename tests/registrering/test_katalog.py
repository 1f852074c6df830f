"""The national catalogue copied into a förbund, and which avslutsanledningar an insats uses by
default (`registrering.services.katalog`, `insats_spara`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import forbundskatalog, services
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Avslutsanledning, Forbund, Huvudman, Insats, Malgrupp
from registrering.permissions import Roll
from registrering.services.katalog import avslutsanledning_spara, katalog_kopiera
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", forbund=None, is_superuser=True, is_staff=True)


def _allman(forbund: Forbund) -> list[Avslutsanledning]:
    return list(forbund.avslutsanledningar.filter(uppsattning=forbundskatalog.ALLMAN))


def test_nytt_forbund_far_de_nationella_katalogerna(superuser):
    forbund = services.forbund_spara(
        user=superuser, forbund=None, varden={"namn": "Samordningsförbundet Ny", "kortnamn": "SN"}
    )

    assert [h.namn for h in forbund.huvudman.order_by("ordning")] == list(forbundskatalog.HUVUDMAN)
    anledningar = {a.namn: a for a in _allman(forbund)}
    assert set(anledningar) == {a.namn for a in forbundskatalog.AVSLUTSANLEDNINGAR}
    assert (anledningar["Arbete"].klass, anledningar["Arbete"].kategori) == (1, "arbete")
    assert (anledningar["Sjukdom"].klass, anledningar["Sjukdom"].kategori) == (2, "sjukdom")
    # The ISA set is one förbund's own, not national.
    assert not forbund.avslutsanledningar.exclude(uppsattning=forbundskatalog.ALLMAN).exists()
    forbund.refresh_from_db()
    assert forbund.bakgrund_text == forbundskatalog.BAKGRUND
    assert "{period}" in forbund.metod_text and "{sammanstallningsdatum}" in forbund.metod_text
    assert "{ar}" in forbund.metod_text
    # The survey catalogue too, and the national målgrupper are there for every förbund.
    assert forbund.enkater.exists()
    assert Malgrupp.objects.count() >= 7
    # Every row made is audited, by the superuser.
    for huvudman in forbund.huvudman.all():
        assert audit_entries_for(huvudman).get().user == superuser
    for anledning in _allman(forbund):
        rad = audit_entries_for(anledning).get()
        assert rad.action == AuditEntry.Action.SKAPAD
        assert rad.changes["klass"] == [None, anledning.klass]


def test_metodtexten_fylls_i_for_aret():
    from rapporter import bilagetexter

    varden = bilagetexter.varden(ar=2025, sammanstallningsdatum=dt.date(2026, 1, 20))
    text = bilagetexter.fyll_i(forbundskatalog.METOD, varden)
    assert "1 januari till och med den 31 december 2025" in text
    assert "20 januari 2026" in text
    assert "{" not in text


def test_kategorierna_finns_i_modellen():
    kategorier = set(Avslutsanledning.Kategori.values)
    klasser = set(Avslutsanledning.Klass.values)
    for a in forbundskatalog.AVSLUTSANLEDNINGAR:
        assert a.kategori in kategorier
        assert a.klass in klasser


def test_kopian_ar_idempotent_och_lamnar_forbundets_egna(forbund, verksamhetsutvecklare):
    egen = factories.HuvudmanFactory(forbund=forbund, namn="kommun", ordning=5)
    factories.AvslutsanledningFactory(
        forbund=forbund, namn="ARBETE", uppsattning="Allmän", klass=2, kategori="annat"
    )
    forbund.bakgrund_text = "Vår egen bakgrund."
    forbund.save()

    kopia = katalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)

    assert kopia.huvudman == ("Försäkringskassan", "Arbetsförmedlingen", "Övrigt")
    assert "Arbete" not in kopia.avslutsanledningar
    assert len(kopia.avslutsanledningar) == 4
    assert kopia.texter == ("metod_text",)
    egen.refresh_from_db()
    assert egen.namn == "kommun"
    assert forbund.huvudman.filter(namn="Kommun").count() == 0
    assert [h.ordning for h in forbund.huvudman.exclude(pk=egen.pk)] == [6, 7, 8]
    forbund.refresh_from_db()
    assert forbund.bakgrund_text == "Vår egen bakgrund."

    antal = (Huvudman.objects.count(), Avslutsanledning.objects.count(), AuditEntry.objects.count())
    igen = katalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    assert igen.tom
    assert antal == (
        Huvudman.objects.count(),
        Avslutsanledning.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("roll", [Roll.STYRELSE, Roll.INSATSANSVARIG])
def test_bara_kansliet_kopierar(forbund, roll):
    user = factories.UserFactory(forbund=forbund, roll=roll)
    with pytest.raises(PermissionDenied):
        katalog_kopiera(user=user, forbund=forbund)
    assert not forbund.huvudman.exists()


def test_annat_forbunds_verksamhetsutvecklare_kopierar_inte(forbund, utomstaende):
    with pytest.raises(PermissionDenied):
        katalog_kopiera(user=utomstaende, forbund=forbund)


def test_systemadministratoren_kopierar_nar_forbundet_satts_upp(forbund):
    sysadmin = factories.UserFactory(forbund=None, roll=Roll.SYSTEMADMINISTRATOR)
    katalog_kopiera(user=sysadmin, forbund=forbund)
    assert forbund.huvudman.count() == len(forbundskatalog.HUVUDMAN)


# --- default links ------------------------------------------------------------------------------


def _insatsvarden(namn: str, **extra: object) -> dict[str, object]:
    return {
        "namn": namn,
        "inriktning": Insats.Inriktning.INDIVID,
        "preciserad_inriktning": Insats.PreciseradInriktning.FORBEREDANDE,
        "startdatum": dt.date(2025, 1, 1),
        **extra,
    }


@pytest.fixture
def katalog(forbund, verksamhetsutvecklare):
    katalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    isa = factories.AvslutsanledningFactory(
        forbund=forbund, namn="Arbete med subvention", uppsattning="ISA"
    )
    return {"allman": _allman(forbund), "isa": isa}


def test_ny_insats_far_hela_allmanna_uppsattningen(forbund, verksamhetsutvecklare, katalog):
    insats = services.insats_spara(
        user=verksamhetsutvecklare, forbund=forbund, varden=_insatsvarden("Försteg Ny")
    )
    assert set(insats.avslutsanledningar.all()) == set(katalog["allman"])
    rad = audit_entries_for(insats).get()
    assert "Arbete (Allmän, 1:a)" in rad.changes["avslutsanledningar"][1]


def test_ny_insats_med_egen_lista(forbund, verksamhetsutvecklare, katalog):
    insats = services.insats_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden=_insatsvarden("ISA Ny"),
        avslutsanledningar=[katalog["isa"]],
    )
    assert list(insats.avslutsanledningar.all()) == [katalog["isa"]]
    tom = services.insats_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden=_insatsvarden("Utan anledningar"),
        avslutsanledningar=[],
    )
    assert not tom.avslutsanledningar.exists()


def test_volyminsats_och_strukturinsats_far_inga_anledningar(
    forbund, verksamhetsutvecklare, katalog
):
    volym = services.insats_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden=_insatsvarden("SIP", uppfoljning="volym", volymenhet="tillfallen"),
    )
    struktur = services.insats_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden=_insatsvarden(
            "Nätverk",
            inriktning=Insats.Inriktning.STRUKTUR,
            preciserad_inriktning=Insats.PreciseradInriktning.UTVECKLA_SAMVERKAN,
            uppfoljning="volym",
            volymenhet="deltagare",
        ),
    )
    assert not volym.avslutsanledningar.exists()
    assert not struktur.avslutsanledningar.exists()


def test_andrad_insats_behaller_sina_anledningar(forbund, verksamhetsutvecklare, insats, katalog):
    insats.avslutsanledningar.set([katalog["isa"]])
    services.insats_spara(
        user=verksamhetsutvecklare, forbund=forbund, insats=insats, varden={"beskrivning": "Ny"}
    )
    assert list(insats.avslutsanledningar.all()) == [katalog["isa"]]
    assert "avslutsanledningar" not in audit_entries_for(insats).get().changes


def test_annat_forbunds_anledning_nekas(forbund, annat_forbund, verksamhetsutvecklare):
    deras = factories.AvslutsanledningFactory(forbund=annat_forbund)
    with pytest.raises(ValidationError) as fel:
        services.insats_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden=_insatsvarden("Försteg Ny"),
            avslutsanledningar=[deras],
        )
    assert "avslutsanledningar" in fel.value.message_dict
    assert not Insats.objects.filter(namn="Försteg Ny").exists()


def test_ny_allman_anledning_anvands_av_alla_flodesinsatser(forbund, verksamhetsutvecklare):
    flode = factories.InsatsFactory(forbund=forbund)
    annat_flode = factories.InsatsFactory(forbund=forbund)
    volym = factories.VolyminsatsFactory(forbund=forbund)
    deras = factories.InsatsFactory(forbund=factories.ForbundFactory())

    anledning = avslutsanledning_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden={"namn": "Föräldraledighet", "klass": 2, "kategori": "annat"},
    )

    assert set(anledning.insatser.all()) == {flode, annat_flode}
    assert anledning.uppsattning == forbundskatalog.ALLMAN
    assert volym not in anledning.insatser.all() and deras not in anledning.insatser.all()
    rad = audit_entries_for(anledning).get()
    assert rad.action == AuditEntry.Action.SKAPAD
    assert rad.changes["insatser"][1] == ", ".join(sorted([flode.namn, annat_flode.namn]))


def test_ny_anledning_i_egen_uppsattning_foljer_sin_grupp(forbund, verksamhetsutvecklare):
    isa_insats = factories.InsatsFactory(forbund=forbund, namn="ISA Väst")
    factories.InsatsFactory(forbund=forbund, namn="Försteg")
    factories.AvslutsanledningFactory(
        forbund=forbund, uppsattning="ISA", namn="Studier"
    ).insatser.add(isa_insats)

    anledning = avslutsanledning_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden={"namn": "Åter", "uppsattning": "ISA", "klass": 2, "kategori": "ater_till_huvudman"},
    )
    assert list(anledning.insatser.all()) == [isa_insats]


def test_ny_anledning_med_egen_lista_och_andring(forbund, verksamhetsutvecklare):
    en, tva = factories.InsatsFactory(forbund=forbund), factories.InsatsFactory(forbund=forbund)
    anledning = avslutsanledning_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden={"namn": "Flytt", "klass": 2, "kategori": "annat"},
        insatser=[en],
    )
    assert list(anledning.insatser.all()) == [en]
    avslutsanledning_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        anledning=anledning,
        varden={"klass": 1},
        insatser=[en, tva],
    )
    andrad = audit_entries_for(anledning).filter(action=AuditEntry.Action.ANDRAD).get()
    assert andrad.changes["klass"] == [2, 1]
    assert andrad.changes["insatser"] == [en.namn, ", ".join(sorted([en.namn, tva.namn]))]


def test_anledningens_regler(forbund, annat_forbund, verksamhetsutvecklare):
    deras = factories.InsatsFactory(forbund=annat_forbund)
    with pytest.raises(ValidationError) as fel:
        avslutsanledning_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden={"namn": "Flytt", "klass": 2, "kategori": "annat"},
            insatser=[deras],
        )
    assert "insatser" in fel.value.message_dict
    with pytest.raises(ValidationError) as fel:
        avslutsanledning_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            varden={"namn": "Flytt", "klass": 3, "kategori": "annat"},
        )
    assert "klass" in fel.value.message_dict
    assert not Avslutsanledning.objects.exists()


# --- the admin's door ---------------------------------------------------------------------------


def _admin(vy: str, *args: object) -> str:
    from django.urls import reverse

    return reverse(f"admin:registrering_avslutsanledning_{vy}", args=args)


def test_admin_ny_anledning_utan_val_anvands_av_alla(client, forbund, verksamhetsutvecklare):
    flode = factories.InsatsFactory(forbund=forbund)
    factories.VolyminsatsFactory(forbund=forbund)
    client.force_login(verksamhetsutvecklare)
    data = {
        "namn": "Flytt",
        "uppsattning": "Allmän",
        "klass": "2",
        "kategori": "annat",
        "ordning": "0",
        "rapportetikett": "",
    }
    response = client.post(_admin("add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    anledning = Avslutsanledning.objects.get(namn="Flytt")
    assert anledning.forbund == forbund
    assert list(anledning.insatser.all()) == [flode]
    assert audit_entries_for(anledning).get().user == verksamhetsutvecklare

    # Changed with nothing chosen: it is used by none (the choice is explicit now).
    response = client.post(_admin("change", anledning.pk), {**data, "klass": "1"})
    assert response.status_code == 302
    anledning.refresh_from_db()
    assert anledning.klass == 1
    assert not anledning.insatser.exists()


def test_admin_huvudman_genom_tjansten(client, forbund, verksamhetsutvecklare):
    from django.urls import reverse

    client.force_login(verksamhetsutvecklare)
    response = client.post(
        reverse("admin:registrering_huvudman_add"), {"namn": " Region ", "ordning": "5"}
    )
    assert response.status_code == 302
    huvudman = Huvudman.objects.get(forbund=forbund)
    assert huvudman.namn == "Region"
    rad = audit_entries_for(huvudman).get()
    assert (rad.user, rad.changes) == (
        verksamhetsutvecklare,
        {"namn": [None, "Region"], "ordning": [None, 5]},
    )
    # The same name twice in a förbund: refused at the field, nothing saved.
    response = client.post(
        reverse("admin:registrering_huvudman_add"), {"namn": "Region", "ordning": "6"}
    )
    assert response.status_code == 200
    assert Huvudman.objects.filter(forbund=forbund).count() == 1
