"""The national catalogue a new förbund starts from, as data: the huvudmän, the general
avslutsanledningar with their 1:a/2:a and outcome category, and the Bakgrund and Metod texts of
the bilaga.

Sources: the huvudmän are those of seed 000 §5 and of DOMAIN.md (Försäkringskassan,
Arbetsförmedlingen, Kommun, Övrigt). The general avslutsanledningar are the ones DOMAIN.md
names for insatser without their own set (seed 004: arbete, studier, arbetslivsinriktad
rehabilitering, sjukdom, annat skäl), classed as seed 000 defines 1:a (ended according to
plan) and 2:a (other, unplanned reasons). A set of its own, such as seed 000's ISA reasons,
belongs to one förbund's method and is not national, so it is not here: a förbund adds it
under its own uppsättning. The texts are modelled on seed 000's sections 1 and 2, written for
any förbund, with the inserts `{ar}`, `{period}` and `{sammanstallningsdatum}` that
`rapporter.bilagetexter` fills in.

Inriktningar and preciserade inriktningar are national too, but they are the fixed choices of
`Insats.Inriktning` and `Insats.PreciseradInriktning`; the målgrupper are the national
`Malgrupp` list that migration 0002 fills and every förbund shares. Neither is copied.

Pure data: no Django, nothing read from the database. `registrering.services.katalog` copies it
into a förbund (`katalog_kopiera`); from then on the förbund's own rows are used and edited.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The set of reasons that every insats with a participant flow uses unless it has its own.
ALLMAN = "Allmän"

HUVUDMAN: tuple[str, ...] = ("Försäkringskassan", "Arbetsförmedlingen", "Kommun", "Övrigt")


@dataclass(frozen=True)
class Anledning:
    namn: str
    klass: int  # 1: ended according to plan, 2: other reasons (Avslutsanledning.Klass)
    kategori: str  # Avslutsanledning.Kategori


AVSLUTSANLEDNINGAR: tuple[Anledning, ...] = (
    Anledning("Arbete", 1, "arbete"),
    Anledning("Studier", 1, "studier"),
    Anledning("Arbetslivsinriktad rehabilitering", 1, "rehabilitering"),
    Anledning("Sjukdom", 2, "sjukdom"),
    Anledning("Annat skäl", 2, "annat"),
)

BAKGRUND = (
    "Samordningsförbundet bedriver finansiell samordning enligt lagen (2003:1210) om finansiell "
    "samordning av rehabiliteringsinsatser. Förbundets medlemmar är Försäkringskassan, "
    "Arbetsförmedlingen, regionen och kommunerna i förbundets område. Förbundet finansierar "
    "individinriktade insatser för personer som behöver samordnat stöd för att nå eller närma "
    "sig egen försörjning, och strukturövergripande insatser för medlemmarnas personal.\n\n"
    "Fram till 31 december 2022 följdes insatserna upp i det nationella systemet SUS "
    "(Sektorsövergripande system för uppföljning av samverkan och finansiell samordning inom "
    "rehabiliteringsområdet). Det ersattes 2023 av Försäkringskassans system Uppföljning "
    "FINSAM. Eftersom det saknas lagstöd för att registrera personuppgifter om deltagare "
    "redovisas deltagarna enbart som antal, uppdelat på kvinnor och män, och redovisningen är "
    "begränsad utifrån det. Läs mer på finsam.se."
)

METOD = (
    "Datauttag i den här bilagan omfattar perioden {period}.\n\n"
    "Ansvarig för respektive insats rapporterar varje månad in deltagarflödet (nya och "
    "avslutade deltagare, uppdelat på kvinnor och män) till förbundets verksamhetsutvecklare, "
    "som granskar uppgifterna och registrerar dem i Uppföljning FINSAM. Sammanställningen är "
    "gjord den {sammanstallningsdatum}. Insatserna redovisas uppdelade i volyminsatser "
    "(strukturövergripande och individinriktade) och individinriktade insatser som följs med "
    "deltagarflöde.\n\n"
    "Deltagarna i de strukturövergripande insatserna har efter avslutad utbildning eller "
    "föreläsning fått en enkät. Svaren är helt anonyma och redovisas som ett samlat resultat "
    "för hela {ar}.\n\n"
    "Definitioner och begrepp som används i diagrammen och tabellerna förklaras längst bak i "
    "bilagan."
)
