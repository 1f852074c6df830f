"""The national survey catalogue as data, and its copy into a förbund."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from registrering import enkatkatalog, services
from registrering.audit import audit_entries_for
from registrering.enkatkatalog import FREKVENS, NEJ_JA, OMFATTNING
from registrering.models import (
    AuditEntry,
    Enkat,
    Enkatfraga,
    Respondentgrupp,
    Svarsalternativ,
)
from tests import factories

# Seed 003 as printed under its charts: (question, group, scale); the catalogue adds the
# missing question marks and closes a double space.
_P, _A, _PE = "Deltagare pågående", "Deltagare avslutade", "Personal"
_F, _O, _J = FREKVENS, OMFATTNING, NEJ_JA
SEED_003 = [
    ("Får du stöd på ett sätt som är till stor nytta för dig?", _P, _F),
    ("Har du fått stöd på ett sätt som är till stor nytta för dig?", _A, _F),
    ("Är du med och bestämmer vilket stöd du skall få?", _P, _F),
    ("Har du fått vara med och bestämma vilket stöd som du får/har fått?", _A, _F),
    ("Får stödet ta den tid som du behöver", _P, _F),
    ("Har stödet fått ta den tid du behövt?", _A, _F),
    ("Får stödet som ni ger ta den tid som behövs", _PE, _F),
    ("Stödjer insatsen dig i kontakterna med myndigheterna och vården?", _P, _F),
    ("Har insatsen stöttat dig  i kontakterna med myndigheterna och vården", _A, _F),
    ("Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?", _P, _O),
    ("Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?", _A, _O),
    (
        "Har ni påbörjat en planering för vad som skall hända efter att nuvarande stöd har "
        "upphört?",
        _A,
        _J,
    ),
    (
        "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphört?",
        _A,
        _O,
    ),
    ("Kommer det som är planerat att påbörjas inom rimlig tid?", _A, _O),
    (
        "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphör?",
        _PE,
        _O,
    ),
    ("Känner du dig mer redo att kunna arbeta eller studera?", _P, _O),
    ("Känner du dig mer redo att kunna arbeta eller studera?", _A, _O),
    ("Upplever du att de du samverkar med hos andra myndigheter lyssnar på dig?", _PE, _F),
    (
        "Upplever du att de du samverkar med hos andra myndigheter vet vad du kan tillföra?",
        _PE,
        _F,
    ),
    (
        "Upplever du att personalen tar tillvara dina erfarenheter, kunskaper och synpunkter?",
        _P,
        _O,
    ),
    (
        "Upplever du att personalen har tagit tillvara dina erfarenheter, kunskaper och "
        "synpunkter?",
        _A,
        _O,
    ),
    ("Tas erfarenheter, kunskaper och synpunkter från deltagare systematiskt tillvara?", _PE, _O),
    (
        "Har ni rutiner för att samarbeta med andra aktörer i arbetet när det gäller insatser "
        "för deltagarna?",
        _PE,
        _O,
    ),
    (
        "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan "
        "inblandade aktörer?",
        _PE,
        _O,
    ),
    (
        "Omfattas det synsätt ni har angående människors resurser och möjligheter av alla i den "
        "samordnade insatsen?",
        _PE,
        _O,
    ),
    ("Fungerar de olika arbetssätt ni har i den samordnade insatsen bra tillsammans?", _PE, _O),
    ("Har ni rutiner för att arbeta med jämställdhet, jämlikhet och mångfald i insatsen?", _PE, _O),
    (
        "Avsätts tid till lärande och reflektion kopplat till jämställdhet, jämlikhet och "
        "mångfald?",
        _PE,
        _O,
    ),
]
GRUPP_I_SEED = {
    _P: Respondentgrupp.DELTAGARE_PAGAENDE,
    _A: Respondentgrupp.DELTAGARE_AVSLUTADE,
    _PE: Respondentgrupp.PERSONAL,
}


def _normaliserad(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip("?").strip()


def test_sexton_indikatorer_med_fullt_namn_och_registerstudien():
    assert [i.nummer for i in enkatkatalog.INDIKATORER] == list(range(1, 17))
    assert all(len(i.namn) > 30 for i in enkatkatalog.INDIKATORER)
    assert enkatkatalog.INDIKATOR[11].anmarkning.startswith("Rekommenderade mått: registerstudie")
    assert enkatkatalog.INDIKATOR[13].namn == (
        "Samordnad verksamhet har ett sektorsövergripande arbetssätt och synsätt"
    )


def test_indikatorerna_med_fragor():
    """Every indicator but 11 (a register study) has questions: 13 from the seed's charts and
    14 and 15 (styrelse, chefsgrupp) as placeholders the förbund replaces."""
    med_fragor = {f.indikator for f in enkatkatalog.NNS_FRAGOR}
    assert med_fragor == set(range(1, 17)) - {11}
    platshallare = [f for f in enkatkatalog.NNS_FRAGOR if f.platshallare]
    assert {(f.indikator, f.respondentgrupp) for f in platshallare} == {
        (14, Respondentgrupp.STYRELSE),
        (14, Respondentgrupp.CHEFSGRUPP),
        (15, Respondentgrupp.STYRELSE),
        (15, Respondentgrupp.CHEFSGRUPP),
    }
    assert all(f.text.startswith("(Platshållare") for f in platshallare)


def test_varje_fraga_i_seed_003_finns_med_sin_grupp_och_skala():
    assert len(SEED_003) == 28
    katalog = {(_normaliserad(f.text), f.respondentgrupp): f.skala for f in enkatkatalog.NNS_FRAGOR}
    for fraga, grupp, skala in SEED_003:
        nyckel = (_normaliserad(fraga), GRUPP_I_SEED[grupp])
        assert nyckel in katalog, fraga
        assert katalog[nyckel] == skala, fraga
    assert len(katalog) == 28 + 4  # the seed's and the four placeholders
    assert all(f.text.endswith("?") and "  " not in f.text for f in enkatkatalog.NNS_FRAGOR)


def test_skalornas_positiva_alternativ():
    assert FREKVENS.med_positiva() == [
        ("Aldrig", False),
        ("Sällan", False),
        ("Ibland", False),
        ("Ofta", True),
        ("För det mesta", True),
        ("Alltid", True),
    ]
    assert OMFATTNING.positiva == {"Till stor del", "Till mycket stor del", "Helt och hållet"}
    assert NEJ_JA.med_positiva() == [("Nej", False), ("Ja", True)]


def test_utbildningsenkaten_har_tre_fragor_och_en_malfraga():
    fragor = enkatkatalog.UTBILDNING.fragor
    assert [f.text for f in fragor] == [
        "Hur relevant upplever du att föreläsningen var för ditt ordinarie arbete?",
        "Hur upplevde du att tekniken fungerade?",
        "Hur väl upplevde du att föreläsningen motsvarade dina förväntningar?",
    ]
    assert [f.malfraga for f in fragor] == [False, False, True]
    assert {f.respondentgrupp for f in fragor} == {Respondentgrupp.KURSDELTAGARE}
    assert fragor[2].skala.med_positiva() == [
        ("Mycket väl", True),
        ("Väl", True),
        ("Delvis", False),
        ("Inte alls", False),
    ]


# --- The copy -----------------------------------------------------------------------------------


def test_kopian_ger_forbundet_bada_enkaterna_och_loggas(forbund, verksamhetsutvecklare):
    kopia = services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    assert kopia.nya_fragor == 32 + 3
    assert (kopia.nns.slag, kopia.utbildning.slag) == (Enkat.Slag.NNS, Enkat.Slag.UTBILDNING)
    assert kopia.nns.fragor.count() == 32
    fraga = kopia.nns.fragor.get(
        text="Har ni påbörjat en planering för vad som skall hända "
        "efter att nuvarande stöd har upphört?"
    )
    assert (fraga.indikator, fraga.respondentgrupp) == (6, Respondentgrupp.DELTAGARE_AVSLUTADE)
    assert list(fraga.alternativ.values_list("text", "positivt")) == [("Nej", False), ("Ja", True)]
    malfraga = Enkatfraga.objects.get(forbund=forbund, malfraga=True)
    assert malfraga.enkat == kopia.utbildning

    rad = audit_entries_for(fraga).get()
    assert rad.action == AuditEntry.Action.SKAPAD
    assert rad.user == verksamhetsutvecklare
    assert rad.changes["alternativ"] == [
        None,
        {"Nej": "ordning 1, inte positivt", "Ja": "ordning 2, positivt"},
    ]
    assert audit_entries_for(kopia.nns).get().action == AuditEntry.Action.SKAPAD


def test_kopian_kan_koras_igen_utan_att_nagot_dubbleras(forbund, verksamhetsutvecklare):
    services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    rader = AuditEntry.objects.count()
    antal = (Enkat.objects.count(), Enkatfraga.objects.count(), Svarsalternativ.objects.count())

    igen = services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    assert igen.nya_fragor == 0
    assert (
        Enkat.objects.count(),
        Enkatfraga.objects.count(),
        Svarsalternativ.objects.count(),
    ) == antal
    assert AuditEntry.objects.count() == rader


def test_en_enkat_med_egna_fragor_lamnas_som_den_ar(forbund, verksamhetsutvecklare):
    """The training enkät migration 0010 made from the förbund's own questions stays its own."""
    egen = Enkat.objects.create(
        forbund=forbund, namn="Utvärdering av utbildning", slag=Enkat.Slag.UTBILDNING
    )
    Enkatfraga.objects.create(forbund=forbund, enkat=egen, text="Motsvarade den förväntningarna?")
    kopia = services.enkatkatalog_kopiera(user=verksamhetsutvecklare, forbund=forbund)
    assert kopia.utbildning == egen
    assert list(egen.fragor.values_list("text", flat=True)) == ["Motsvarade den förväntningarna?"]
    assert kopia.nya_fragor == 32


def test_kopian_vagras_for_andra_forbund_och_roller(forbund, utomstaende, styrelse):
    for user in (utomstaende, styrelse):
        with pytest.raises(PermissionDenied):
            services.enkatkatalog_kopiera(user=user, forbund=forbund)
    assert not Enkat.objects.exists()


def test_ett_nytt_forbund_far_katalogen(db):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    nytt = services.forbund_spara(
        user=admin, forbund=None, varden={"namn": "Samordningsförbundet Ny", "kortnamn": "NY"}
    )
    assert set(nytt.enkater.values_list("slag", flat=True)) == {"nns", "utbildning"}
    # A change of the förbund copies nothing again.
    services.forbund_spara(user=admin, forbund=nytt, varden={"namn": "Samordningsförbundet Nya"})
    assert nytt.enkater.count() == 2


def test_kommandot_ger_befintliga_forbund_katalogen(forbund, annat_forbund, capsys):
    factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    call_command("enkatkatalog", "--forbund", "stb")
    assert forbund.enkater.count() == 2
    assert not annat_forbund.enkater.exists()
    assert "35 nya frågor" in capsys.readouterr().out

    call_command("enkatkatalog")
    assert annat_forbund.enkater.count() == 2
    assert f"{forbund}: 0 nya frågor" in capsys.readouterr().out
