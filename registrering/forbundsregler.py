"""The rules of a förbund's set-up: its members with their population, and its accounts (who
may be given which role, which insatser, and what no one may do to their own account).

Plain functions returning `Fel` like every rule in `registrering.regler`; the services of
`registrering.services.medlemmar` and `registrering.services.anvandare` ask them, and the pages'
forms put their messages at the fields. None of them queries the database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from registrering.models import Medlem
from registrering.permissions import ADMINISTRERANDE, FORBUNDETS_ROLLER, Roll
from registrering.regelgrund import Fel
from registrering.talformat import tal

#: Sweden's largest kommun has about a million inhabitants; a figure far above is a typing error.
STORSTA_BEFOLKNING = 5_000_000
TYPER = dict(Medlem.Typ.choices)


def medlem_fel(*, namn: str, typ: str, invanare: int | None, ar: int) -> list[Fel]:
    """A member: a name, a known type, and the population at 31/12 `ar` only for a kommun (the
    kommuner's quarter of the income is split by it, `rapporter.mal_ekonomi`)."""
    fel = []
    if not namn.strip():
        fel.append(Fel("namn", "Ange medlemmens namn."))
    if typ not in TYPER:
        fel.append(Fel("typ", "Välj vad slags medlem det är."))
    if invanare is None:
        return fel
    if typ and typ != Medlem.Typ.KOMMUN:
        fel.append(
            Fel(
                "invanare",
                "Befolkningen anges bara för kommuner (kommunernas andel delas efter den). "
                f"Lämna fältet tomt för {str(TYPER.get(typ, typ)).lower()}.",
            )
        )
    elif invanare < 0:
        fel.append(Fel("invanare", "Antalet invånare kan inte vara mindre än 0."))
    elif invanare > STORSTA_BEFOLKNING:
        fel.append(
            Fel(
                "invanare",
                f"Antalet invånare 31/12 {ar} kan vara högst {tal(STORSTA_BEFOLKNING)} "
                f"(här {tal(invanare)}).",
            )
        )
    return fel


def medlem_namn_upprepat(namn: str, tidigare: Iterable[str]) -> list[Fel]:
    """No two members of a förbund share a name (upper and lower case alike): `namn` against
    the names of the rows before it."""
    if namn.strip().casefold() in {t.strip().casefold() for t in tidigare}:
        return [Fel("namn", f"Medlemmen ”{namn.strip()}” finns redan i listan.")]
    return []


def medlem_typ_fel(*, typ: str, ar_med_befolkning: Collection[int]) -> list[Fel]:
    """A member with population saved for some years stays a kommun: only kommuner have a
    population (`medlem_fel`), so it cannot become another type while those years remain."""
    if typ == Medlem.Typ.KOMMUN or typ not in TYPER or not ar_med_befolkning:
        return []
    ar = sorted(ar_med_befolkning)
    arslista = " och ".join(", ".join(str(a) for a in ar).rsplit(", ", 1))
    return [
        Fel(
            "typ",
            f"Medlemmen har befolkning sparad 31/12 {arslista}, och bara kommuner har "
            f"befolkning. Behåll typen Kommun eller ta bort befolkningen först.",
        )
    ]


def medlem_ta_bort_fel(*, namn: str, insatser: Collection[str], namnge: bool = True) -> list[Fel]:
    """A member that runs insatser stays (they name it as their utförande medlem). Without
    `namnge` the message gives their number, not their names: the systemadministratör, who
    asks on the installation's pages, sees no förbund's insatser."""
    if not insatser:
        return []
    if namnge:
        vilka = ", ".join(sorted(insatser))
    else:
        vilka = "en insats" if len(insatser) == 1 else f"{len(insatser)} insatser"
    return [
        Fel(
            "ta_bort",
            f"{namn} utför {vilka} och kan inte tas bort. Byt utförande medlem på "
            f"{'insatsen' if len(insatser) == 1 else 'insatserna'} först.",
        )
    ]


def forsta_verksamhetsutvecklare_fel(*, har_borjat: Collection[str]) -> list[Fel]:
    """The systemadministratör invites a förbund's first verksamhetsutvecklare, not more: once
    one (`har_borjat`, their names) has accepted and is active, the förbund's own kansli invites
    its users, so the installation's role cannot give itself a way into a förbund's figures."""
    if not har_borjat:
        return []
    return [
        Fel(
            "epost",
            f"Förbundet har redan en verksamhetsutvecklare som har tackat ja "
            f"({', '.join(sorted(har_borjat))}). Förbundets egen verksamhetsutvecklare bjuder "
            "in fler användare under Konton → Användare.",
        )
    ]


def roller_fel(roller: Collection[str], *, insatser: Collection[object] = ()) -> list[Fel]:
    """The roles a förbund gives its own users (never the systemadministratör's or the
    samordnare's), at least one, and insatser only for an insatsansvarig."""
    fel = []
    if not roller:
        fel.append(Fel("roller", "Välj minst en roll."))
    if okanda := sorted(set(roller) - {str(r) for r in FORBUNDETS_ROLLER}):
        fel.append(Fel("roller", f"Rollen {', '.join(okanda)} kan inte ges av förbundet."))
    if insatser and Roll.INSATSANSVARIG not in roller:
        fel.append(
            Fel(
                "insatser",
                "Insatser ges till en insatsansvarig. Välj rollen insatsansvarig eller ta bort "
                "insatserna.",
            )
        )
    return fel


def eget_konto_fel(
    *, ar_sig_sjalv: bool, roller: Collection[str] | None = None, aktiv: bool = True
) -> list[Fel]:
    """What no one does to their own account here: deactivate it, or take away their own
    right to manage the förbund's accounts (they would lock themselves out)."""
    if not ar_sig_sjalv:
        return []
    if not aktiv:
        return [Fel("", "Du kan inte stänga av ditt eget konto.")]
    if roller is not None and not set(roller) & ADMINISTRERANDE:
        return [
            Fel(
                "roller",
                "Du kan inte ta bort din egen roll som verksamhetsutvecklare eller "
                "förbundschef. Be en kollega med den rollen.",
            )
        ]
    return []
