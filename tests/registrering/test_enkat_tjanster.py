"""The survey services: questions with versions, rounds, paper counts, and their rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registrering import enkatkatalog, regler, services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
)

JA_NEJ = [("Ja", True), ("Nej", False)]
DAG = dt.date(2026, 3, 10)


@pytest.fixture
def katalog(forbund, verksamhetsutvecklare):
    return services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)


@pytest.fixture
def fraga(katalog, verksamhetsutvecklare):
    return services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=None,
        enkat=katalog.nns,
        text="Får du det stöd du behöver?",
        respondentgrupp=Respondentgrupp.DELTAGARE_PAGAENDE,
        indikator=1,
        alternativ=JA_NEJ,
    )


def _tillfalle(user, forbund, enkat, **varden):
    data = {
        "respondentgrupp": Respondentgrupp.DELTAGARE_PAGAENDE,
        "insats": None,
        "namn": "Våren 2026",
        "datum": DAG,
        "slutdatum": DAG + dt.timedelta(days=30),
        "kalla": Enkattillfalle.Kalla.PAPPER,
    } | varden
    return services.enkattillfalle_skapa(user=user, forbund=forbund, enkat=enkat, **data)


def _fel(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Questions ----------------------------------------------------------------------------------


def test_fraga_utan_svar_andras_pa_plats(fraga, katalog, verksamhetsutvecklare):
    andrad = services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=fraga,
        enkat=katalog.nns,
        text="Får du det stöd du behöver nu?",
        respondentgrupp=Respondentgrupp.DELTAGARE_PAGAENDE,
        indikator=1,
        alternativ=[("Ja", True), ("Delvis", False), ("Nej", False)],
    )
    assert andrad.pk == fraga.pk and andrad.version == 1
    assert list(andrad.alternativ.values_list("text", flat=True)) == ["Ja", "Delvis", "Nej"]
    rad = audit_entries_for(fraga).get(action=AuditEntry.Action.ANDRAD)
    assert rad.changes["text"] == ["Får du det stöd du behöver?", "Får du det stöd du behöver nu?"]


def test_fraga_med_svar_far_en_ny_version_och_svaren_stannar(
    fraga, katalog, forbund, verksamhetsutvecklare
):
    tillfalle = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns)
    ja = fraga.alternativ.get(text="Ja")
    services.enkat_pappersvar(
        user=verksamhetsutvecklare, tillfalle=tillfalle, antal_formular=3, antal={ja: 2}
    )
    with pytest.raises(ValidationError):
        regler.kontrollera(regler.enkatfraga_andringsbar(fraga, har_svar=True))

    ny = services.enkatfraga_spara(
        user=verksamhetsutvecklare,
        fraga=fraga,
        enkat=katalog.nns,
        text="Får du det stöd som du behöver?",
        respondentgrupp=Respondentgrupp.DELTAGARE_PAGAENDE,
        indikator=1,
        alternativ=JA_NEJ,
    )
    fraga.refresh_from_db()
    assert ny.pk != fraga.pk
    assert (ny.version, ny.ersatter, ny.aktiv) == (2, fraga, True)
    assert (fraga.text, fraga.aktiv) == ("Får du det stöd du behöver?", False)
    # The answers stay with the version they were given to.
    assert Enkatsvar.objects.get(tillfalle=tillfalle).alternativ == ja
    assert not Enkatsvar.objects.filter(alternativ__fraga=ny).exists()
    assert audit_entries_for(fraga).filter(action=AuditEntry.Action.ANDRAD).get().changes == {
        "aktiv": [True, False]
    }
    assert audit_entries_for(ny).get().changes["ersatter"] == [
        None,
        "Får du det stöd du behöver? (version 1)",
    ]
    # The old version is not changed any more.
    with pytest.raises(ValidationError) as exc:
        services.enkatfraga_spara(
            user=verksamhetsutvecklare,
            fraga=fraga,
            enkat=katalog.nns,
            text="Något annat?",
            respondentgrupp="",
            indikator=None,
            alternativ=JA_NEJ,
        )
    assert "ersatts av en nyare version" in str(exc.value)


def test_fragans_regler_ger_svenska_meddelanden_vid_faltet(katalog, verksamhetsutvecklare):
    with pytest.raises(ValidationError) as exc:
        services.enkatfraga_spara(
            user=verksamhetsutvecklare,
            fraga=None,
            enkat=katalog.nns,
            text=" ",
            respondentgrupp="okand",
            indikator=17,
            alternativ=[("Ja", True), ("ja", False)],
        )
    fel = _fel(exc)
    assert fel["text"] == ["Skriv frågan."]
    assert fel["respondentgrupp"] == ["Okänd respondentgrupp."]
    assert fel["indikator"] == ["Indikatorn ska vara ett tal från 1 till 16."]
    assert fel["alternativ"] == ["Svarsalternativet ”ja” finns två gånger."]

    with pytest.raises(ValidationError) as exc:
        services.enkatfraga_spara(
            user=verksamhetsutvecklare,
            fraga=None,
            enkat=katalog.utbildning,
            text="Var det bra?",
            respondentgrupp=Respondentgrupp.KURSDELTAGARE,
            indikator=None,
            alternativ=[("Ja", True)],
            malfraga=True,
        )
    fel = _fel(exc)
    assert fel["alternativ"] == ["Frågan behöver minst två svarsalternativ."]
    assert fel["malfraga"][0].startswith("Målet följs redan upp med frågan ”Hur väl upplevde")
    assert not Enkatfraga.objects.filter(text__in=[" ", "Var det bra?"]).exists()


# --- Rounds -------------------------------------------------------------------------------------


def test_tillfalle_med_lank_far_en_slumpad_nyckel(katalog, forbund, insats, verksamhetsutvecklare):
    a = _tillfalle(
        verksamhetsutvecklare, forbund, katalog.nns, insats=insats, kalla=Enkattillfalle.Kalla.LANK
    )
    b = _tillfalle(
        verksamhetsutvecklare, forbund, katalog.nns, namn="Hösten", kalla=Enkattillfalle.Kalla.LANK
    )
    papper = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns, namn="Papper")
    assert a.lank and b.lank and a.lank != b.lank and len(a.lank) == 32
    assert papper.lank is None
    rad = audit_entries_for(a).get()
    assert rad.action == AuditEntry.Action.SKAPAD
    assert "lank" not in rad.changes
    assert rad.changes["insats"] == [None, str(insats)]


def test_tillfallets_regler(katalog, forbund, annat_forbund, verksamhetsutvecklare):
    with pytest.raises(ValidationError) as exc:
        _tillfalle(
            verksamhetsutvecklare,
            forbund,
            katalog.nns,
            respondentgrupp=Respondentgrupp.KURSDELTAGARE,
            slutdatum=DAG - dt.timedelta(days=1),
        )
    fel = _fel(exc)
    assert fel["slutdatum"] == [
        "Sista svarsdagen (9/3 2026) kan inte vara före första dagen (10/3 2026)."
    ]
    assert fel["respondentgrupp"] == [
        "Enkäten Indikatorer för finansiell samordning har inga frågor till deltagare i utbildning."
    ]
    assert not Enkattillfalle.objects.exists()


def test_lanktillfalle_med_platshallarfragor_nekas_tills_nns_formulering_finns(
    katalog, forbund, verksamhetsutvecklare
):
    """The catalogue's styrelse questions await NNS's wording: no link round shows them to
    board members, while paper counts may still be recorded; a new version opens the link."""
    with pytest.raises(ValidationError) as exc:
        _tillfalle(
            verksamhetsutvecklare,
            forbund,
            katalog.nns,
            respondentgrupp=Respondentgrupp.STYRELSE,
            kalla=Enkattillfalle.Kalla.LANK,
        )
    assert _fel(exc)["respondentgrupp"] == [
        "Enkäten kan inte öppnas med länk för styrelsen ännu: 2 av frågorna till gruppen är "
        "platshållare. Skriv in NNS:s formulering under Frågor först."
    ]
    assert not Enkattillfalle.objects.exists()
    papper = _tillfalle(
        verksamhetsutvecklare, forbund, katalog.nns, respondentgrupp=Respondentgrupp.STYRELSE
    )
    assert papper.lank is None
    for fraga in katalog.nns.fragor.filter(respondentgrupp=Respondentgrupp.STYRELSE):
        services.enkatfraga_spara(
            user=verksamhetsutvecklare,
            fraga=fraga,
            enkat=katalog.nns,
            text=fraga.text.removeprefix(enkatkatalog.PLATSHALLARE),
            respondentgrupp=fraga.respondentgrupp,
            indikator=fraga.indikator,
            alternativ=[(a.text, a.positivt) for a in fraga.alternativ.all()],
        )
    lank = _tillfalle(
        verksamhetsutvecklare,
        forbund,
        katalog.nns,
        namn="Styrelsen 2026",
        respondentgrupp=Respondentgrupp.STYRELSE,
        kalla=Enkattillfalle.Kalla.LANK,
    )
    assert lank.lank


def test_stang_och_oppna_loggas_och_styr_svaren(katalog, forbund, verksamhetsutvecklare):
    tillfalle = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns)
    assert regler.enkat_tar_emot(tillfalle, DAG) == []
    assert regler.enkat_tar_emot(tillfalle, DAG - dt.timedelta(days=1))[0].text == (
        "Våren 2026 tar emot svar från och med 10/3 2026."
    )
    assert regler.enkat_tar_emot(tillfalle, DAG + dt.timedelta(days=31))[0].text == (
        "Sista dagen att svara på Våren 2026 var 9/4 2026."
    )
    stangd = services.enkattillfalle_stang(user=verksamhetsutvecklare, tillfalle=tillfalle)
    assert stangd.stangd
    assert regler.enkat_tar_emot(stangd, DAG)[0].text == (
        "Våren 2026 är stängd och tar inte emot fler svar."
    )
    oppen = services.enkattillfalle_oppna(user=verksamhetsutvecklare, tillfalle=stangd)
    assert not oppen.stangd
    andringar = audit_entries_for(tillfalle).filter(action="andrad").order_by("pk")
    assert [r.changes for r in andringar] == [{"stangd": [False, True]}, {"stangd": [True, False]}]


# --- Paper forms --------------------------------------------------------------------------------


def test_pappersvar_laggs_till_och_loggas(fraga, katalog, forbund, verksamhetsutvecklare):
    tillfalle = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns)
    ja, nej = fraga.alternativ.get(text="Ja"), fraga.alternativ.get(text="Nej")
    services.enkat_pappersvar(
        user=verksamhetsutvecklare, tillfalle=tillfalle, antal_formular=5, antal={ja: 3, nej: 1}
    )
    tillfalle = services.enkat_pappersvar(
        user=verksamhetsutvecklare, tillfalle=tillfalle, antal_formular=2, antal={ja: 2}
    )
    assert tillfalle.antal_svar == 7
    assert dict(
        Enkatsvar.objects.filter(tillfalle=tillfalle).values_list("alternativ__text", "antal")
    ) == {"Ja": 5, "Nej": 1}
    senaste = audit_entries_for(tillfalle).filter(action="andrad").order_by("pk").last()
    assert senaste.changes == {
        "antal_svar": [5, 7],
        "Får du det stöd du behöver? – Ja": [3, 5],
    }
    assert senaste.user == verksamhetsutvecklare


def test_pappersvarens_regler(fraga, katalog, forbund, verksamhetsutvecklare):
    tillfalle = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns)
    ja = fraga.alternativ.get(text="Ja")
    annan_grupp = katalog.nns.fragor.filter(respondentgrupp=Respondentgrupp.PERSONAL).first()
    fel_grupp = annan_grupp.alternativ.first()
    utbildning = katalog.utbildning.fragor.first().alternativ.first()
    for antal_formular, antal, falt, text in [
        (2, {ja: 3}, "antal", "har 3 svar men bara 2 formulär"),
        (2, {ja: -1}, "antal", "kan inte vara mindre än 0"),
        (0, {}, "antal_formular", "Ange hur många formulär"),
        (2, {fel_grupp: 1}, "alternativ", "ställs till personal i insatser"),
        (2, {utbildning: 1}, "alternativ", "som inte finns i enkäten för Våren 2026"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.enkat_pappersvar(
                user=verksamhetsutvecklare,
                tillfalle=tillfalle,
                antal_formular=antal_formular,
                antal=antal,
            )
        assert text in " ".join(_fel(exc)[falt])
    stangd = services.enkattillfalle_stang(user=verksamhetsutvecklare, tillfalle=tillfalle)
    with pytest.raises(ValidationError, match="stängd"):
        services.enkat_pappersvar(
            user=verksamhetsutvecklare, tillfalle=stangd, antal_formular=1, antal={ja: 1}
        )
    assert not Enkatsvar.objects.exists()
    assert Enkattillfalle.objects.get().antal_svar == 0


# --- Permissions and the import's rounds --------------------------------------------------------


def test_varje_tjanst_vagrar_andra_forbund_och_roller(
    fraga, katalog, forbund, verksamhetsutvecklare, utomstaende, styrelse, insatsansvarig
):
    tillfalle = _tillfalle(verksamhetsutvecklare, forbund, katalog.nns)
    ja = fraga.alternativ.get(text="Ja")
    anrop = [
        lambda u: services.enkatkatalog_kopiera(user=u, forbund=forbund),
        lambda u: services.enkat_spara(user=u, enkat=None, forbund=forbund, namn="Egen"),
        lambda u: services.enkatfraga_spara(
            user=u,
            fraga=fraga,
            enkat=katalog.nns,
            text="Ändrad?",
            respondentgrupp=Respondentgrupp.DELTAGARE_PAGAENDE,
            indikator=1,
            alternativ=JA_NEJ,
        ),
        lambda u: _tillfalle(u, forbund, katalog.nns, namn="Annat"),
        lambda u: services.enkattillfalle_andra(
            user=u, tillfalle=tillfalle, namn="X", datum=DAG, slutdatum=None, insats=None
        ),
        lambda u: services.enkattillfalle_stang(user=u, tillfalle=tillfalle),
        lambda u: services.enkattillfalle_oppna(user=u, tillfalle=tillfalle),
        lambda u: services.enkat_pappersvar(
            user=u, tillfalle=tillfalle, antal_formular=1, antal={ja: 1}
        ),
    ]
    fore = AuditEntry.objects.count()
    for user in (utomstaende, styrelse, insatsansvarig):
        for tjanst in anrop:
            with pytest.raises(PermissionDenied):
                tjanst(user)
    assert AuditEntry.objects.count() == fore
    assert not Enkatsvar.objects.exists()


def test_importens_nya_tillfallen_hamnar_i_utbildningsenkaten(
    katalog, forbund, verksamhetsutvecklare
):
    alternativ = katalog.utbildning.fragor.get(malfraga=True).alternativ.first()
    svar = services.enkatsvar_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        tillfalle_namn="Föreläsning: MI",
        datum=DAG,
        alternativ=alternativ,
        antal=4,
    )
    tillfalle = svar.tillfalle
    assert tillfalle.enkat == katalog.utbildning
    assert tillfalle.respondentgrupp == Respondentgrupp.KURSDELTAGARE
    assert tillfalle.kalla == Enkattillfalle.Kalla.IMPORT
