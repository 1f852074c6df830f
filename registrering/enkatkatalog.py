"""The national catalogue as data: the 16 NNS indicators of "Indikatorer för finansiell
samordning", their scales and questions per respondent group, and the training survey of the
bilaga §6. `services.enkatkatalog_kopiera` copies it into a förbund's own enkäter, which the
förbund may then edit (a question with answers gets a new version, never an edit).

Sources: the indicators' names, the questions and the scales are as printed in the national
indicator report of Samordningsförbundet Västmanland (seed 003), with the missing question
marks added and a double space closed. That report prints no questions for the styrelse and the
parternas chefsgrupp (indicators 14 and 15: "Alltför få svar"), and the national questionnaire
was not found: their questions here are placeholders, marked as such in the text, which the
förbund replaces with NNS's wording. The training survey's three questions are those of the
bilaga §6 (seed 000); the goal (seed 001) follows the question about the expectations.

Which options count as positive (the share the results show): the top three steps of the
six-step scales (Ofta, För det mesta, Alltid; Till stor del, Till mycket stor del, Helt och
hållet), "Ja" of Nej/Ja, and the top two of the training survey's four-step scales. The scales
run as the national forms print them: from the least to the most for NNS, from the best to the
worst for the training survey (as its forms always have).
"""

from __future__ import annotations

from dataclasses import dataclass

from registrering.models import Enkat, Respondentgrupp

PLATSHALLARE = "(Platshållare – ersätt med NNS:s formulering) "


@dataclass(frozen=True)
class Skala:
    """Answer options in order, and which of them count as positive."""

    namn: str
    alternativ: tuple[str, ...]
    positiva: frozenset[str]

    def med_positiva(self) -> list[tuple[str, bool]]:
        """(option, positive) in order, as `services.enkatfraga_spara` takes them."""
        return [(a, a in self.positiva) for a in self.alternativ]


@dataclass(frozen=True)
class Indikator:
    nummer: int
    namn: str
    anmarkning: str = ""


@dataclass(frozen=True)
class Katalogfraga:
    text: str
    respondentgrupp: str
    skala: Skala
    indikator: int | None = None
    malfraga: bool = False

    @property
    def platshallare(self) -> bool:
        return self.text.startswith(PLATSHALLARE)


@dataclass(frozen=True)
class Katalogenkat:
    namn: str
    slag: str
    beskrivning: str
    fragor: tuple[Katalogfraga, ...]


def _skala(namn: str, alternativ: str, positiva: int) -> Skala:
    steg = tuple(alternativ.split(" / "))
    return Skala(namn, steg, frozenset(steg[-positiva:] if positiva > 0 else steg[:-positiva]))


FREKVENS = _skala("Aldrig–Alltid", "Aldrig / Sällan / Ibland / Ofta / För det mesta / Alltid", 3)
OMFATTNING = _skala(
    "Inte alls–Helt och hållet",
    "Inte alls / Till liten del / Delvis / Till stor del / Till mycket stor del / Helt och hållet",
    3,
)
NEJ_JA = _skala("Nej–Ja", "Nej / Ja", 1)
# The training survey: the best first, the top two positive (a negative count from the start).
RELEVANS = _skala(
    "Mycket–Inte alls relevant",
    "Mycket relevant / Ganska relevant / Lite relevant / Inte alls relevant",
    -2,
)
TEKNIK = _skala("Mycket bra–Dåligt", "Mycket bra / Bra / Mindre bra / Dåligt", -2)
FORVANTNINGAR = _skala("Mycket väl–Inte alls", "Mycket väl / Väl / Delvis / Inte alls", -2)

INDIKATORER = (
    Indikator(1, "Deltagare känner att de insatser som erbjuds är organiserade runt deras behov"),
    Indikator(2, "Deltagarna upplever inflytande över rehabiliteringsprocessen"),
    Indikator(
        3,
        "En möjlighet att låta rehabiliteringsprocessen få ta den tid som behövs utifrån "
        "varje deltagares förutsättningar",
    ),
    Indikator(
        4,
        "Deltagarna upplever att det finns någon som håller samman och stödjer den enskildes "
        "samordnade rehabiliteringsprocess",
    ),
    Indikator(
        5,
        "Deltagaren upplever att den kan hantera egna symtom och funktionsnedsättning samt att "
        "de har fått stöd från myndigheterna i att leva med detta",
    ),
    Indikator(
        6,
        "När insatser avslutas i en samordnad rehabiliteringstjänst upplever deltagarna att det "
        "finns en planering/tjänster som tar vid, och att de levereras utan onödigt dröjsmål",
    ),
    Indikator(
        7,
        "Deltagarna upplever att det har skett en stegförflyttning närmare "
        "arbetsmarknaden/egen försörjning",
    ),
    Indikator(
        8,
        "Personalen upplever att andra medarbetare/professionella i andra myndigheter "
        "respekterar deras kunskap, roller och arbetssätt",
    ),
    Indikator(
        9,
        "Att det systematiskt tillvaratas erfarenheter, kunskaper och synpunkter såväl från "
        "enskilda deltagare/brukare som från brukarorganisationer eller grupper av deltagare",
    ),
    Indikator(
        10,
        "Samordnade insatser inkluderar även andra aktörer i samhället, företag, ideella "
        "krafter och föreningsliv i det löpande arbetet på ett strukturerat sätt",
    ),
    Indikator(
        11,
        "Effekter för deltagare som kommer ur de samordnade insatserna är hållbara och säkra "
        "över tid",
        "Rekommenderade mått: registerstudie (under utveckling nationellt)",
    ),
    Indikator(
        12,
        "En struktur har skapats vars huvuduppgifter är att strategiskt initiera, upprätthålla "
        "och underhålla relationer",
    ),
    Indikator(13, "Samordnad verksamhet har ett sektorsövergripande arbetssätt och synsätt"),
    Indikator(
        14,
        "Det finns en klar och tydlig strategi för uppföljning och utvärdering av "
        "myndighetsgemensamma insatser",
    ),
    Indikator(
        15,
        "Insikter från samverkan leder till att nya typer av förebyggande insatser utvecklas så "
        "att behov av samordnad rehabilitering inte behöver bli aktuellt om individer fångas "
        "upp mycket tidigare och på ett annorlunda sätt",
    ),
    Indikator(
        16,
        "En värdegrund utifrån mänskliga rättigheter såsom jämställdhet, mångfald och "
        "jämlikhet genomsyrar den lokala samverkanskulturen",
    ),
)
INDIKATOR = {i.nummer: i for i in INDIKATORER}

_P = Respondentgrupp.DELTAGARE_PAGAENDE
_A = Respondentgrupp.DELTAGARE_AVSLUTADE
_PE = Respondentgrupp.PERSONAL
_S = Respondentgrupp.STYRELSE
_C = Respondentgrupp.CHEFSGRUPP


def _f(indikator: int, grupp: str, skala: Skala, text: str) -> Katalogfraga:
    return Katalogfraga(text=text, respondentgrupp=grupp, skala=skala, indikator=indikator)


_PLATS_14 = (
    PLATSHALLARE + "Finns det en klar och tydlig strategi för uppföljning och utvärdering av "
    "de myndighetsgemensamma insatserna?"
)
_PLATS_15 = (
    PLATSHALLARE + "Leder insikter från samverkan till att nya typer av förebyggande insatser "
    "utvecklas?"
)

NNS_FRAGOR = (
    _f(1, _P, FREKVENS, "Får du stöd på ett sätt som är till stor nytta för dig?"),
    _f(1, _A, FREKVENS, "Har du fått stöd på ett sätt som är till stor nytta för dig?"),
    _f(2, _P, FREKVENS, "Är du med och bestämmer vilket stöd du skall få?"),
    _f(2, _A, FREKVENS, "Har du fått vara med och bestämma vilket stöd som du får/har fått?"),
    _f(3, _P, FREKVENS, "Får stödet ta den tid som du behöver?"),
    _f(3, _A, FREKVENS, "Har stödet fått ta den tid du behövt?"),
    _f(3, _PE, FREKVENS, "Får stödet som ni ger ta den tid som behövs?"),
    _f(4, _P, FREKVENS, "Stödjer insatsen dig i kontakterna med myndigheterna och vården?"),
    _f(4, _A, FREKVENS, "Har insatsen stöttat dig i kontakterna med myndigheterna och vården?"),
    _f(
        5,
        _P,
        OMFATTNING,
        "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    ),
    _f(
        5,
        _A,
        OMFATTNING,
        "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    ),
    _f(
        6,
        _A,
        NEJ_JA,
        "Har ni påbörjat en planering för vad som skall hända efter att nuvarande stöd har "
        "upphört?",
    ),
    _f(
        6,
        _A,
        OMFATTNING,
        "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphört?",
    ),
    _f(6, _A, OMFATTNING, "Kommer det som är planerat att påbörjas inom rimlig tid?"),
    _f(
        6,
        _PE,
        OMFATTNING,
        "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphör?",
    ),
    _f(7, _P, OMFATTNING, "Känner du dig mer redo att kunna arbeta eller studera?"),
    _f(7, _A, OMFATTNING, "Känner du dig mer redo att kunna arbeta eller studera?"),
    _f(
        8,
        _PE,
        FREKVENS,
        "Upplever du att de du samverkar med hos andra myndigheter lyssnar på dig?",
    ),
    _f(
        8,
        _PE,
        FREKVENS,
        "Upplever du att de du samverkar med hos andra myndigheter vet vad du kan tillföra?",
    ),
    _f(
        9,
        _P,
        OMFATTNING,
        "Upplever du att personalen tar tillvara dina erfarenheter, kunskaper och synpunkter?",
    ),
    _f(
        9,
        _A,
        OMFATTNING,
        "Upplever du att personalen har tagit tillvara dina erfarenheter, kunskaper och "
        "synpunkter?",
    ),
    _f(
        9,
        _PE,
        OMFATTNING,
        "Tas erfarenheter, kunskaper och synpunkter från deltagare systematiskt tillvara?",
    ),
    _f(
        10,
        _PE,
        OMFATTNING,
        "Har ni rutiner för att samarbeta med andra aktörer i arbetet när det gäller insatser "
        "för deltagarna?",
    ),
    _f(
        12,
        _PE,
        OMFATTNING,
        "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan "
        "inblandade aktörer?",
    ),
    _f(
        13,
        _PE,
        OMFATTNING,
        "Omfattas det synsätt ni har angående människors resurser och möjligheter av alla i "
        "den samordnade insatsen?",
    ),
    _f(
        13,
        _PE,
        OMFATTNING,
        "Fungerar de olika arbetssätt ni har i den samordnade insatsen bra tillsammans?",
    ),
    _f(14, _S, OMFATTNING, _PLATS_14),
    _f(14, _C, OMFATTNING, _PLATS_14),
    _f(15, _S, OMFATTNING, _PLATS_15),
    _f(15, _C, OMFATTNING, _PLATS_15),
    _f(
        16,
        _PE,
        OMFATTNING,
        "Har ni rutiner för att arbeta med jämställdhet, jämlikhet och mångfald i insatsen?",
    ),
    _f(
        16,
        _PE,
        OMFATTNING,
        "Avsätts tid till lärande och reflektion kopplat till jämställdhet, jämlikhet och "
        "mångfald?",
    ),
)

_K = Respondentgrupp.KURSDELTAGARE
UTBILDNING_FRAGOR = (
    Katalogfraga(
        "Hur relevant upplever du att föreläsningen var för ditt ordinarie arbete?", _K, RELEVANS
    ),
    Katalogfraga("Hur upplevde du att tekniken fungerade?", _K, TEKNIK),
    Katalogfraga(
        "Hur väl upplevde du att föreläsningen motsvarade dina förväntningar?",
        _K,
        FORVANTNINGAR,
        malfraga=True,
    ),
)

NNS = Katalogenkat(
    namn="Indikatorer för finansiell samordning",
    slag=Enkat.Slag.NNS,
    beskrivning=(
        "Nationella nätverket för samordningsförbunds (NNS) enkäter till deltagare (pågående "
        "och avslutade), personal i insatser, styrelsen och parternas chefsgrupp. Svaren "
        "samlas in 1 november–30 oktober. Frågorna till styrelsen och chefsgruppen är "
        "platshållare: ersätt dem med NNS:s formuleringar."
    ),
    fragor=NNS_FRAGOR,
)
UTBILDNING = Katalogenkat(
    namn="Utvärdering av utbildning",  # the name migration 0010 gave the answers before it
    slag=Enkat.Slag.UTBILDNING,
    beskrivning=(
        "Tre frågor till alla som deltar i en utbildning eller föreläsning, helt anonymt. "
        "Frågan om förväntningarna följs upp mot verksamhetsplanens mål."
    ),
    fragor=UTBILDNING_FRAGOR,
)
KATALOG = (NNS, UTBILDNING)
