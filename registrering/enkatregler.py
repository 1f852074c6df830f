"""The survey rules: what a question, a round and its answers may be.

Plain functions returning `Fel` like every rule in `registrering.regler` (which asks for these,
so every door calls them as `regler.<namn>`). They take values and objects the caller has
already read; none of them queries the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from registrering.kalender import datum_svenskt, insamlingsar, insamlingsperiod
from registrering.models import Enkat, Enkatfraga, Enkattillfalle, Respondentgrupp
from registrering.regelgrund import HELA, Fel, antal
from registrering.talformat import tal

FRAGANS_LANGD = 300
ALTERNATIVETS_LANGD = 100
GRUPPER = dict(Respondentgrupp.choices)


def grupp_namn(respondentgrupp: str) -> str:
    """The group as people call it, "alla" when blank."""
    return str(GRUPPER.get(respondentgrupp, respondentgrupp or "alla")).lower()


# --- Rounds -------------------------------------------------------------------------------------


def enkat_period(
    *, datum: dt.date | None, slutdatum: dt.date | None, nns: bool = False
) -> list[Fel]:
    """The last day of answers is not before the first; and an NNS round (`nns`) lies within
    one national collection year (1/11–31/10), the year its answers are reported under."""
    if datum is None or slutdatum is None:
        return []
    if slutdatum < datum:
        return [
            Fel(
                "slutdatum",
                f"Sista svarsdagen ({datum_svenskt(slutdatum)}) kan inte vara före första "
                f"dagen ({datum_svenskt(datum)}).",
            )
        ]
    if nns and insamlingsar(slutdatum) != insamlingsar(datum):
        sista = insamlingsperiod(insamlingsar(datum))[1]
        return [
            Fel(
                "slutdatum",
                f"Svaren till indikatorerna samlas in per insamlingsår (1/11–31/10), och "
                f"omgången börjar i insamlingsår {insamlingsar(datum)}. Välj en sista "
                f"svarsdag senast {datum_svenskt(sista)}, och gör en ny omgång för "
                f"insamlingsår {insamlingsar(slutdatum)}.",
            )
        ]
    return []


def sista_svarsdag(tillfalle: Enkattillfalle) -> dt.date | None:
    """The last day the round's link takes answers: its own last day, and for an NNS round
    without one the last day of its collection year (its answers belong to that year)."""
    if tillfalle.slutdatum is not None:
        return tillfalle.slutdatum
    if tillfalle.enkat is not None and tillfalle.enkat.slag == Enkat.Slag.NNS:
        return insamlingsperiod(insamlingsar(tillfalle.datum))[1]
    return None


def enkat_oppen(tillfalle: Enkattillfalle) -> list[Fel]:
    """A closed round takes no answers, on paper or by the link."""
    if tillfalle.stangd:
        return [Fel(HELA, f"{tillfalle.namn} är stängd och tar inte emot fler svar.")]
    return []


def enkat_tar_emot(tillfalle: Enkattillfalle, idag: dt.date) -> list[Fel]:
    """Whether the round's public link takes an answer today: open, and today within its
    period (from its first day to its last day of answers, `sista_svarsdag`)."""
    if fel := enkat_oppen(tillfalle):
        return fel
    if idag < tillfalle.datum:
        return [
            Fel(
                HELA,
                f"{tillfalle.namn} tar emot svar från och med {datum_svenskt(tillfalle.datum)}.",
            )
        ]
    if (sista := sista_svarsdag(tillfalle)) is not None and idag > sista:
        return [Fel(HELA, f"Sista dagen att svara på {tillfalle.namn} var {datum_svenskt(sista)}.")]
    return []


def enkattillfalle_delar(
    *,
    forbund_id: int,
    enkat: Enkat,
    respondentgrupp: str,
    grupper_med_fragor: set[str],
    insats_forbund_id: int | None,
) -> list[Fel]:
    """A round's enkät and insats are the förbund's own, and the enkät asks the group
    something (`grupper_med_fragor`: the groups of its active questions, "" for all)."""
    fel = []
    if enkat.forbund_id != forbund_id:
        fel.append(Fel("enkat", "Enkäten hör till ett annat förbund."))
    if insats_forbund_id is not None and insats_forbund_id != forbund_id:
        fel.append(Fel("insats", "Insatsen hör till ett annat förbund."))
    if respondentgrupp not in GRUPPER:
        fel.append(Fel("respondentgrupp", "Välj vilka som svarar."))
    elif not grupper_med_fragor & {respondentgrupp, ""}:
        fel.append(
            Fel(
                "respondentgrupp",
                f"Enkäten {enkat.namn} har inga frågor till {grupp_namn(respondentgrupp)}.",
            )
        )
    return fel


def enkattillfalle_fragor_klara(
    *, kalla: str, respondentgrupp: str, platshallare: Sequence[str]
) -> list[Fel]:
    """A round answered through the public link shows its questions to respondents: none of the
    group's questions may still be a placeholder for NNS's wording (`platshallare`: the texts of
    the group's active questions that are). Paper and import rounds only record counts."""
    if kalla != Enkattillfalle.Kalla.LANK or not platshallare:
        return []
    antal_ = "frågan" if len(platshallare) == 1 else f"{len(platshallare)} av frågorna"
    return [
        Fel(
            "respondentgrupp",
            f"Enkäten kan inte öppnas med länk för {grupp_namn(respondentgrupp)} ännu: "
            f"{antal_} till gruppen är platshållare. Skriv in NNS:s formulering under Frågor "
            "först.",
        )
    ]


# --- Questions ----------------------------------------------------------------------------------


def enkatfraga_andringsbar(fraga: Enkatfraga, *, har_svar: bool) -> list[Fel]:
    """A question is changed in place only while it has no answers and is still asked; with
    answers, a change is a new version (the old keeps its answers)."""
    if not fraga.aktiv:
        return [
            Fel(
                HELA,
                "Frågan har ersatts av en nyare version och kan inte ändras. Ändra den nya "
                "versionen i stället.",
            )
        ]
    if har_svar:
        return [
            Fel(
                HELA,
                "Frågan har svar och kan inte ändras. Spara ändringen som en ny version; de "
                "svar som finns stannar hos den här versionen.",
            )
        ]
    return []


def _svarsalternativ(alternativ: Sequence[tuple[str, bool]], *, malfraga: bool) -> list[Fel]:
    texter = [text.strip() for text, _positivt in alternativ]
    if len([t for t in texter if t]) < 2:
        return [Fel("alternativ", "Frågan behöver minst två svarsalternativ.")]
    fel = []
    if any(not t for t in texter):
        fel.append(Fel("alternativ", "Ett svarsalternativ saknar text."))
    if any(len(t) > ALTERNATIVETS_LANGD for t in texter):
        fel.append(
            Fel("alternativ", f"Ett svarsalternativ får vara högst {ALTERNATIVETS_LANGD} tecken.")
        )
    sedda: set[str] = set()
    for text in texter:
        if text and text.lower() in sedda:
            fel.append(Fel("alternativ", f"Svarsalternativet ”{text}” finns två gånger."))
        sedda.add(text.lower())
    if malfraga and not any(positivt for _text, positivt in alternativ):
        fel.append(
            Fel(
                "alternativ",
                "Frågan följs upp mot målet och behöver minst ett svarsalternativ som räknas "
                "som positivt.",
            )
        )
    return fel


def enkatfraga(
    *,
    text: str,
    respondentgrupp: str,
    indikator: int | None,
    alternativ: Sequence[tuple[str, bool]],
    malfraga: bool = False,
    annan_malfraga: str | None = None,
) -> list[Fel]:
    """A question: its text, a known group ("" for all), an indicator 1–16 or none, at least
    two distinct options, and at most one question per förbund followed up against the goal
    (`annan_malfraga`: the text of another active one, if any)."""
    fel = []
    if not text.strip():
        fel.append(Fel("text", "Skriv frågan."))
    elif len(text.strip()) > FRAGANS_LANGD:
        fel.append(Fel("text", f"Frågan får vara högst {FRAGANS_LANGD} tecken."))
    if respondentgrupp and respondentgrupp not in GRUPPER:
        fel.append(Fel("respondentgrupp", "Okänd respondentgrupp."))
    if indikator is not None and not 1 <= indikator <= 16:
        fel.append(Fel("indikator", "Indikatorn ska vara ett tal från 1 till 16."))
    if malfraga and annan_malfraga:
        fel.append(
            Fel(
                "malfraga",
                f"Målet följs redan upp med frågan ”{annan_malfraga}”. Bara en fråga i taget "
                "kan följas upp mot målet.",
            )
        )
    return fel + _svarsalternativ(alternativ, malfraga=malfraga)


# --- Answers ------------------------------------------------------------------------------------


def svarsalternativ_hor_till(
    *, tillfalle: Enkattillfalle, fraga: Enkatfraga, alternativ_text: str
) -> list[Fel]:
    """An answer counted in a round is an option of a question of the round's enkät, asked to
    the round's group. (`fraga` is the option's own question: an option belongs to its
    question by its key, so a count is always of one of the question's options.) A question
    outside every enkät is in no round's enkät: it is answered in no round that has one."""
    if fraga.forbund_id != tillfalle.forbund_id or fraga.enkat_id != tillfalle.enkat_id:
        return [
            Fel(
                "alternativ",
                f"”{alternativ_text}” hör till frågan ”{fraga.text}”, som inte finns i "
                f"enkäten för {tillfalle.namn}.",
            )
        ]
    if fraga.respondentgrupp and fraga.respondentgrupp != (tillfalle.respondentgrupp or ""):
        return [
            Fel(
                "alternativ",
                f"Frågan ”{fraga.text}” ställs till {grupp_namn(fraga.respondentgrupp)}, men "
                f"{tillfalle.namn} gäller {grupp_namn(tillfalle.respondentgrupp)}.",
            )
        ]
    return []


def pappersvar(*, antal_formular: object, svar: Sequence[tuple[str, str, object]]) -> list[Fel]:
    """Paper forms handed in: their number (at least one), each count (`svar`: question text,
    option text, count) a non-negative whole number, and no question with more answers than
    forms (a form answers each question at most once)."""
    fel = antal(antal_formular, falt="antal_formular", etikett="Antalet formulär")
    if not fel and antal_formular == 0:
        fel.append(Fel("antal_formular", "Ange hur många formulär som lämnades in."))
    summor: dict[str, int] = {}
    for fraga, alternativ, n in svar:
        if fel_i_antal := antal(n, falt="antal", etikett=f"Antalet ”{alternativ}” på ”{fraga}”"):
            fel += fel_i_antal
        else:
            summor[fraga] = summor.get(fraga, 0) + int(n)  # type: ignore[call-overload]
    if fel or not isinstance(antal_formular, int):
        return fel
    return [
        Fel(
            "antal",
            f"Frågan ”{fraga}” har {tal(summa)} svar men bara {tal(antal_formular)} formulär "
            "lämnades in: ett formulär svarar en gång per fråga.",
        )
        for fraga, summa in summor.items()
        if summa > antal_formular
    ]
