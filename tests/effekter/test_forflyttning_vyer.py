"""The transition matrix grid (the kansli's), the year's result with its horizon, what-if and
charts (the kansli's and the styrelse's), and who is refused."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from effekter import berakning, modell
from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Forflyttning
from registrering.talformat import tal
from tests import factories

AR = 2025
RESULTAT = f"/effekter/{AR}/forflyttningar/"


def _klient(user) -> Client:
    klient = Client()
    klient.force_login(user)
    return klient


def _matrisadress(insats) -> str:
    return f"/effekter/{AR}/forflyttningar/{insats.pk}/"


@pytest.fixture
def hamtade(forbund, verksamhetsutvecklare):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)


def _spara(user, insats, matris):
    services.forflyttningar_spara(user=user, insats=insats, ar=AR, matris=matris)


# --- The grid -----------------------------------------------------------------------------------


def test_rutnatet_har_en_etikett_per_cell_och_ingen_cell_for_att_stanna(
    insats, verksamhetsutvecklare, hamtade
):
    response = _klient(verksamhetsutvecklare).get(_matrisadress(insats))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="visuellt-dold" for="id_forsorjningsstod-arbete">' in html
    assert "Från försörjningsstöd till arbete</label>" in html
    assert "Från a-kassa till sjukpenning/rehabiliteringspenning</label>" in html
    assert "Från försörjningsstöd: ingen förflyttning</label>" in html
    assert 'name="forsorjningsstod-forsorjningsstod"' not in html
    # Going to studiemedel is Studier: no column of its own, but a row to leave it from.
    assert 'name="forsorjningsstod-studiemedel"' not in html
    assert 'name="studiemedel-arbete"' in html
    rubriker = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert rubriker[:3] == ["Från \\ till", "Arbete", "Studier"]
    assert rubriker[-1] == "Ingen förflyttning"
    # Wide on a phone: it scrolls in its own box.
    assert 'class="tabellruta" tabindex="0" role="region"' in html


def test_rutnatet_sparas_genom_tjansten_med_logg(insats, verksamhetsutvecklare, hamtade):
    response = _klient(verksamhetsutvecklare).post(
        _matrisadress(insats),
        {"forsorjningsstod-arbete": "3", "a_kassa-studier": "1", "sjukpenning-a_kassa": ""},
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"{RESULTAT}#insats-{insats.pk}",
    )
    rader = {(f.fran, f.till): f.antal for f in Forflyttning.objects.filter(insats=insats)}
    assert rader == {("forsorjningsstod", "arbete"): 3, ("a_kassa", "studier"): 1}
    rad = Forflyttning.objects.get(fran="forsorjningsstod")
    assert audit_entries_for(rad).get().action == AuditEntry.Action.SKAPAD

    # The form shows what is saved; a 0 removes the cell.
    klient = _klient(verksamhetsutvecklare)
    assert 'value="3"' in klient.get(_matrisadress(insats)).content.decode()
    klient.post(_matrisadress(insats), {"forsorjningsstod-arbete": "0", "a_kassa-studier": "1"})
    assert list(Forflyttning.objects.values_list("fran", flat=True)) == ["a_kassa"]


def test_fel_i_en_cell_visas_vid_cellen_och_inget_sparas(insats, verksamhetsutvecklare, hamtade):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 2})
    response = _klient(verksamhetsutvecklare).post(
        _matrisadress(insats),
        {"forsorjningsstod-arbete": "5", "a_kassa-studier": "1,5", "sjukpenning-arbete": "-1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_a_kassa-studier-fel1">Ange ett heltal utan decimaler' in html
    assert 'aria-invalid="true"' in html
    assert {(f.fran, f.till, f.antal) for f in Forflyttning.objects.all()} == {
        ("forsorjningsstod", "arbete", 2)
    }


def test_tjanstens_fel_visas_vid_cellen(insats, verksamhetsutvecklare, hamtade):
    response = _klient(verksamhetsutvecklare).post(
        _matrisadress(insats), {"forsorjningsstod-arbete": "5", "sjukpenning-arbete": "-1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        'id="id_sjukpenning-arbete-fel1">Antalet från sjukpenning/rehabiliteringspenning'
        " kan inte vara mindre än 0.</p>"
    ) in html
    assert not Forflyttning.objects.exists()


def test_ett_ar_utan_nyckeltal_hanvisar_till_nyckeltalen(insats, verksamhetsutvecklare):
    klient = _klient(verksamhetsutvecklare)
    html = klient.get(_matrisadress(insats)).content.decode()
    assert f'href="/effekter/{AR}/nyckeltal/"' in html
    assert klient.post(_matrisadress(insats), {"forsorjningsstod-arbete": "1"}).status_code == 400
    assert not Forflyttning.objects.exists()


def test_rutnatet_ar_kansliets(insats, styrelse, insatsansvarig, utomstaende, hamtade):
    for user, vantat in ((styrelse, 403), (insatsansvarig, 403), (utomstaende, 404)):
        klient = _klient(user)
        assert klient.get(_matrisadress(insats)).status_code == vantat
        svar = klient.post(_matrisadress(insats), {"forsorjningsstod-arbete": "3"})
        assert svar.status_code == vantat
    assert not Forflyttning.objects.exists()


# --- The result -----------------------------------------------------------------------------------


def test_resultatet_visar_forbundets_effekt_per_betalare_och_ar(
    forbund, insats, annan_insats, styrelse, verksamhetsutvecklare, hamtade
):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    _spara(verksamhetsutvecklare, annan_insats, {("forsorjningsstod", "arbete"): 2})
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR)

    response = _klient(styrelse).get(RESULTAT)

    assert response.status_code == 200
    html = response.content.decode()
    forsta = res.effekt.per_ar[0]
    assert f'<th scope="row">{AR}</th><td class="tal">{tal(forsta.kommun)}</td>' in html
    assert f'<td class="tal">{tal(res.effekt.totalt)}</td>' in html
    assert "5 från försörjningsstöd till arbete" in html
    assert "3 från försörjningsstöd till arbete" in html  # Försteg Testby's row
    assert "en uppskattning för en grupp, aldrig för en enskild person" in html
    assert "Beräknat med förbundets nyckeltal" in html
    assert "Socialstyrelsen" in html  # the key figures' sources
    assert "Ändra förflyttningarna" not in html  # the styrelse reads


def test_horisonten_valjs_och_ett_ogiltigt_varde_ger_standard(
    insats, verksamhetsutvecklare, hamtade
):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    klient = _klient(verksamhetsutvecklare)
    html = klient.get(f"{RESULTAT}?horisont=4").content.decode()
    assert f'<th scope="row">{AR + 3}</th>' in html
    for fel in ("abc", "0", "11"):
        html = klient.get(f"{RESULTAT}?horisont={fel}").content.decode()
        assert (
            "Tidshorisonten ska vara ett helt antal år mellan 1 och 10; sidan visar 2 år." in html
        )
        assert f'<th scope="row">{AR + 1}</th>' in html
        assert f'<th scope="row">{AR + 2}</th>' not in html


def test_utan_egna_nyckeltal_sager_sidan_att_katalogens_anvands(forbund, styrelse):
    html = _klient(styrelse).get(RESULTAT).content.decode()
    assert "har inga egna nyckeltal: beräkningen använder katalogens standardvärden" in html
    assert "Inga förflyttningar är registrerade" in html


def test_tank_om_visar_modellens_siffror_och_sparar_inget(
    forbund, insats, verksamhetsutvecklare, hamtade
):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    antal_fore = Forflyttning.objects.count()
    response = _klient(verksamhetsutvecklare).get(
        RESULTAT, {"horisont": "3", "antal": "10", "fran": "forsorjningsstod", "till": "arbete"}
    )
    res = berakning.forflyttningsresultat(forbund=forbund, ar=AR, horisont=3)
    svar = modell.om_effekt(
        res.nyckeltal, res.rader, [modell.Forflyttning("forsorjningsstod", "arbete", 10)], 3
    )
    html = response.content.decode()
    assert (
        f"Om 10 fler går från försörjningsstöd till arbete: {tal(svar.tillagg.totalt)} kr"
    ) in html
    assert f"blir effekten {tal(svar.med_tillagg.totalt)} kr i stället för" in html
    assert Forflyttning.objects.count() == antal_fore


def test_tank_om_med_fel_visar_felet_vid_faltet(insats, verksamhetsutvecklare, hamtade):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    response = _klient(verksamhetsutvecklare).get(
        RESULTAT, {"antal": "0", "fran": "forsorjningsstod", "till": "forsorjningsstod"}
    )
    html = response.content.decode()
    assert 'id="id_antal-fel1">Ange ett antal mellan 1 och 100 000.' in html
    assert 'id="id_till-fel1">Välj ett annat mål än den ersättning de går från.' in html
    assert "Om 0 fler" not in html


def _insatser(forbund, user, fran, till):
    for i in range(fran, till):
        insats = factories.InsatsFactory(forbund=forbund, namn=f"Insats {i}")
        _spara(user, insats, {("forsorjningsstod", "arbete"): i + 1, ("a_kassa", "studier"): 1})


def test_resultatsidans_fragor_ar_lika_manga_for_en_och_fyra_insatser(
    forbund, verksamhetsutvecklare, hamtade
):
    klient = _klient(verksamhetsutvecklare)
    _insatser(forbund, verksamhetsutvecklare, 0, 1)
    klient.get(RESULTAT)  # the session and the user's roles are read on the first request too
    with CaptureQueriesContext(connection) as en:
        assert klient.get(RESULTAT).status_code == 200
    _insatser(forbund, verksamhetsutvecklare, 1, 4)
    with CaptureQueriesContext(connection) as fyra:
        html = klient.get(RESULTAT).content.decode()
    assert html.count("Ändra förflyttningarna för Insats") == 4
    assert len(en) == len(fyra)


def test_resultatet_ar_for_kansliet_och_styrelsen(insatsansvarig):
    assert _klient(insatsansvarig).get(RESULTAT).status_code == 403
    assert _klient(insatsansvarig).post(RESULTAT).status_code == 405


def test_annat_forbund_ser_inte_vara_insatser(insats, verksamhetsutvecklare, utomstaende, hamtade):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    html = _klient(utomstaende).get(RESULTAT).content.decode()
    assert "Försteg Testby" not in html
    assert "Inga förflyttningar är registrerade" in html


# --- Charts ---------------------------------------------------------------------------------------


def test_diagrammen_ar_svg_med_tabell_och_alt_text(
    insats, styrelse, verksamhetsutvecklare, hamtade
):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    klient = _klient(styrelse)
    html = klient.get(f"{RESULTAT}?horisont=3").content.decode()
    adresser = re.findall(r'<img src="([^"]+diagram/[12]\.svg[^"]*)" alt="([^"]+)"', html)
    assert len(adresser) == 2
    assert adresser[0][1].startswith("Stapeldiagram över förflyttningarnas effekt per betalare")
    assert "Kommun, tkr" in html  # the same numbers as a table
    for adress, _alt in adresser:
        response = klient.get(adress.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"
        assert b"<svg" in response.content
    utan_version = klient.get(f"{RESULTAT}diagram/1.svg")
    assert utan_version["Cache-Control"] == "private, no-cache"
    assert klient.get(f"{RESULTAT}diagram/3.svg").status_code == 404
    assert _klient_ansvarig_svar(insats) == 403


def _klient_ansvarig_svar(insats) -> int:
    user = factories.UserFactory(username="ansvarig2", forbund=insats.forbund)
    return _klient(user).get(f"{RESULTAT}diagram/1.svg").status_code


def test_kansliet_far_lankar_till_arets_insatser_utan_matris(
    forbund, insats, annan_insats, verksamhetsutvecklare, styrelse, hamtade
):
    _spara(verksamhetsutvecklare, insats, {("forsorjningsstod", "arbete"): 3})
    # A volume insats has no participants to move: no matrix is offered for it.
    volym = factories.VolyminsatsFactory(forbund=forbund, namn="Nätverket")
    html = _klient(verksamhetsutvecklare).get(RESULTAT).content.decode()
    assert f'<li><a href="{_matrisadress(annan_insats)}">Försteg Grannby</a></li>' in html
    assert f'<li><a href="{_matrisadress(insats)}">' not in html
    assert _matrisadress(volym) not in html
    assert _matrisadress(annan_insats) not in _klient(styrelse).get(RESULTAT).content.decode()


def test_en_volyminsats_har_ingen_matris(forbund, verksamhetsutvecklare, hamtade):
    volym = factories.VolyminsatsFactory(forbund=forbund, namn="Nätverket")
    assert _klient(verksamhetsutvecklare).get(_matrisadress(volym)).status_code == 404
