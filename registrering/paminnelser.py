"""Reminders by e-mail: which mails go out on a day, to whom, with what text, and sending them.

- An insatsansvarig gets the months of their insatser that wait for them (missing, drafts not
  sent in, returned; the same months as on Mina insatser) `paminnelse_dagar_fore` days before
  and `paminnelse_dagar_efter` days after the förbund's deadline (`Forbund.rapportdag`).
- A verksamhetsutvecklare gets a weekly summary on the förbund's `sammanfattning_veckodag`:
  per insats the months not sent in, waiting for review, and returned.

The förbund turns all of it off with `paminnelser_pa`; each user turns off their own kinds on the
page Påminnelser (`User.paminnelse_manad`, `User.paminnelse_vecka`). A mail sent is recorded
in `SkickadPaminnelse` (one per user, day and kind) before the day's run ends, so that beat or
cron running the task twice sends nothing twice. Run daily by the Celery task
`registrering.tasks.skicka_paminnelser` or `manage.py skicka_paminnelser`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from registrering import selectors
from registrering.kalender import (
    MANADER,
    datum_langt,
    foregaende_manad,
    sista_rapportdag,
)
from registrering.models import Forbund, Insats, Manadsrapport, SkickadPaminnelse, User
from registrering.permissions import Anvandare, Roll, aktiv, roller

logger = logging.getLogger(__name__)

Slag = SkickadPaminnelse.Slag
Status = Manadsrapport.Status

#: The kinds of mail each role may get, with the user's own switch and its label on the page.
SLAG_PER_ROLL = {
    Roll.INSATSANSVARIG: ("paminnelse_manad", "Påminnelser om mina månadsrapporter"),
    Roll.VERKSAMHETSUTVECKLARE: ("paminnelse_vecka", "Veckosammanfattning av månadsrapporterna"),
}
#: The summary's three headings, and which states of a month belong under each.
SAMMANFATTNING = (
    ("Inte inskickade", frozenset({selectors.SAKNAS, Status.UTKAST})),
    ("Väntar på granskning", frozenset({Status.INSKICKAD})),
    ("Returnerade", frozenset({Status.RETURNERAD})),
)


def bas_url() -> str:
    return str(settings.FINSAM_BAS_URL).rstrip("/")


def absolut(adress: str) -> str:
    """An address of the app as a link in a mail (FINSAM_BAS_URL)."""
    return f"{bas_url()}{adress}"


def installningar_url() -> str:
    return absolut(reverse("paminnelser"))


def anvandarens_slag(user: Anvandare) -> list[tuple[str, str]]:
    """The switches (field, label) of the reminders the user can get: by their roles, in a
    förbund."""
    if (anvandare := aktiv(user)) is None or not anvandare.forbund_id:
        return []
    roller_ = roller(anvandare)
    return [falt for roll, falt in SLAG_PER_ROLL.items() if roll in roller_]


@dataclass(frozen=True)
class Utskick:
    """One mail: to `user` (whose e-mail may be empty: then it is not sent)."""

    forbund: Forbund
    user: User
    slag: str
    amne: str
    text: str

    @property
    def till(self) -> str:
        return self.user.email.strip()


# --- When ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paminnelsedag:
    """Today is a reminder day: `slag` (before or after) the deadline `sista_dag` of the month
    `ar`-`manad`."""

    slag: str
    sista_dag: dt.date
    ar: int
    manad: int


def paminnelsedag(forbund: Forbund, idag: dt.date) -> Paminnelsedag | None:
    """Whether the insatsansvariga of the förbund get a reminder today, and which."""
    if not forbund.paminnelser_pa:
        return None
    for slag, sista_dag in (
        (Slag.FORE, idag + dt.timedelta(days=forbund.paminnelse_dagar_fore)),
        (Slag.EFTER, idag - dt.timedelta(days=forbund.paminnelse_dagar_efter)),
    ):
        ar, manad = foregaende_manad(sista_dag.year, sista_dag.month)
        if sista_rapportdag(ar, manad, forbund.rapportdag) == sista_dag:
            return Paminnelsedag(slag, sista_dag, ar, manad)
    return None


def ar_sammanfattningsdag(forbund: Forbund, idag: dt.date) -> bool:
    return forbund.paminnelser_pa and idag.weekday() == forbund.sammanfattning_veckodag


# --- Who ----------------------------------------------------------------------------------------


def _mottagare(forbund: Forbund, roll: Roll, falt: str) -> list[User]:
    """The förbund's active users with the role who have not turned this kind off."""
    return list(
        User.objects.filter(forbund=forbund, is_active=True, groups__name=str(roll), **{falt: True})
        .distinct()
        .order_by("pk")
    )


# --- What ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rad:
    """One month in a mail."""

    text: str
    url: str


@dataclass(frozen=True)
class Avsnitt:
    """A heading (an insats, or a state under it) and its months."""

    rubrik: str
    rader: list[Rad] = field(default_factory=list)
    underavsnitt: list[Avsnitt] = field(default_factory=list)


def _rad(cell: selectors.Cell, sista_dag: dt.date | None = None) -> Rad:
    text = f"{MANADER[cell.manad]} {cell.ar}"
    if sista_dag is not None:
        text += f": {cell.status_text}"
    detaljer = [f"sista dag {datum_langt(sista_dag)}"] if sista_dag is not None else []
    if cell.forsenad:
        detaljer.append("försenad")
    if detaljer:
        text += f" ({', '.join(detaljer)})"
    return Rad(text, absolut(cell.url or ""))


def _sidfot(forbund: Forbund, vad: str) -> str:
    return render_to_string(
        "registrering/mail/_sidfot.txt",
        {"forbund": forbund, "vad": vad, "url": installningar_url()},
    )


def _rensa(text: str) -> str:
    """Plain text (not the template's SafeString), without the template tags' blank lines at
    the end."""
    return str(text).rstrip() + "\n"


def _hej(user: User) -> str:
    return user.first_name.strip() or user.get_username()


def paminnelse(forbund: Forbund, user: User, dag: Paminnelsedag, idag: dt.date) -> Utskick | None:
    """The reminder to one insatsansvarig, or None when none of their months waits."""
    egna = set(user.ansvar_for_insatser.filter(forbund=forbund).values_list("pk", flat=True))
    vantande = [
        v
        for v in selectors.vantande_manader(user=user, forbund=forbund, idag=idag)
        if v.cell.insats_id in egna
    ]
    if not vantande:
        return None
    avsnitt: dict[str, Avsnitt] = {}
    for v in sorted(vantande, key=lambda v: selectors.sv_nyckel(v.cell.insats_namn)):
        namn = v.cell.insats_namn
        avsnitt.setdefault(namn, Avsnitt(namn)).rader.append(_rad(v.cell, v.sista_dag))
    manad = f"{MANADER[dag.manad]} {dag.ar}"
    if dag.slag == Slag.FORE:
        amne = f"Påminnelse: månadsrapporter senast {datum_langt(dag.sista_dag)}"
    else:
        amne = f"Månadsrapporter väntar på dig – sista dagen var {datum_langt(dag.sista_dag)}"
    text = render_to_string(
        "registrering/mail/paminnelse.txt",
        {
            "hej": _hej(user),
            "fore": dag.slag == Slag.FORE,
            "manad": manad,
            "sista_dag": datum_langt(dag.sista_dag),
            "avsnitt": list(avsnitt.values()),
            "forbund": forbund,
            "mina_insatser": absolut(reverse("registrering:mina_insatser")),
            "sidfot": _sidfot(forbund, "påminnelser om dina månadsrapporter"),
        },
    )
    return Utskick(forbund, user, dag.slag, amne, _rensa(text))


def veckosammanfattning(forbund: Forbund, user: User, idag: dt.date) -> Utskick:
    """The weekly summary to one verksamhetsutvecklare: per insats, this and last year's months
    not sent in, waiting for review and returned."""
    per_insats: dict[int, tuple[str, dict[str, list[Rad]]]] = {}
    for ar in (idag.year - 1, idag.year):
        oversikt = selectors.manadsoversikt(
            user=user, forbund=forbund, ar=ar, idag=idag, grupper=()
        )
        for rad in oversikt.rader:
            for cell in rad.celler:
                rubrik = next((r for r, s in SAMMANFATTNING if cell.status in s), None)
                if rubrik is None:
                    continue
                _, grupper = per_insats.setdefault(rad.insats.pk, (rad.insats.namn, {}))
                grupper.setdefault(rubrik, []).append(_rad(cell))
    insatser = {i.pk: i for i in Insats.objects.filter(pk__in=per_insats)}
    avsnitt = [
        Avsnitt(
            namn,
            underavsnitt=[Avsnitt(r, grupper[r]) for r, _ in SAMMANFATTNING if r in grupper],
        )
        for pk, (namn, grupper) in sorted(
            per_insats.items(),
            key=lambda par: (insatser[par[0]].ordning, selectors.sv_nyckel(par[1][0])),
        )
    ]
    vecka = idag.isocalendar().week
    amne = f"Veckosammanfattning: månadsrapporter i {forbund.kortnamn}, vecka {vecka}"
    text = render_to_string(
        "registrering/mail/veckosammanfattning.txt",
        {
            "hej": _hej(user),
            "forbund": forbund,
            "idag": datum_langt(idag),
            "avsnitt": avsnitt,
            "oversikt": absolut(reverse("registrering:oversikt")),
            "sidfot": _sidfot(forbund, "veckosammanfattningen"),
        },
    )
    return Utskick(forbund, user, Slag.VECKA, amne, _rensa(text))


def utskick_for_forbund(forbund: Forbund, idag: dt.date) -> list[Utskick]:
    """Every mail the förbund's users get on `idag` (also to users without an e-mail address;
    `skicka` leaves those out)."""
    result: list[Utskick] = []
    if (dag := paminnelsedag(forbund, idag)) is not None:
        for user in _mottagare(forbund, Roll.INSATSANSVARIG, "paminnelse_manad"):
            if (utskick := paminnelse(forbund, user, dag, idag)) is not None:
                result.append(utskick)
    if ar_sammanfattningsdag(forbund, idag):
        for user in _mottagare(forbund, Roll.VERKSAMHETSUTVECKLARE, "paminnelse_vecka"):
            result.append(veckosammanfattning(forbund, user, idag))
    return result


# --- Sending ------------------------------------------------------------------------------------


@dataclass
class Resultat:
    """What a run did, per mail: sent, sent already today, left out (no address) or failed."""

    skickade: list[Utskick] = field(default_factory=list)
    redan_skickade: list[Utskick] = field(default_factory=list)
    utan_epost: list[Utskick] = field(default_factory=list)
    misslyckade: list[Utskick] = field(default_factory=list)

    def som_dict(self) -> dict[str, int]:
        return {
            "skickade": len(self.skickade),
            "redan_skickade": len(self.redan_skickade),
            "utan_epost": len(self.utan_epost),
            "misslyckade": len(self.misslyckade),
        }


def _meddelande(utskick: Utskick, connection: BaseEmailBackend) -> EmailMessage:
    return EmailMessage(
        subject=utskick.amne,
        body=utskick.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[utskick.till],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )


def _skicka_ett(utskick: Utskick, idag: dt.date, connection: BaseEmailBackend) -> bool:
    """Record and send one mail in one transaction: a failed send leaves no record (the next
    run tries again); a record that exists already (another run) means it is not sent again."""
    try:
        with transaction.atomic():
            SkickadPaminnelse.objects.create(
                forbund=utskick.forbund,
                user=utskick.user,
                datum=idag,
                slag=utskick.slag,
                amne=utskick.amne[:200],
            )
            connection.send_messages([_meddelande(utskick, connection)])
    except IntegrityError:
        return False
    return True


def skicka(utskick: Sequence[Utskick], *, idag: dt.date, torrkorning: bool = False) -> Resultat:
    """Send the mails over one connection, each once per user, day and kind. With
    `torrkorning` nothing is sent or recorded; the result says what would have been."""
    resultat = Resultat()
    redan = set(SkickadPaminnelse.objects.filter(datum=idag).values_list("user_id", "slag"))
    att_skicka = []
    for u in utskick:
        if not u.till:
            logger.info("Påminnelse utan mottagare: användare %s saknar e-postadress", u.user.pk)
            resultat.utan_epost.append(u)
        elif (u.user.pk, u.slag) in redan:
            resultat.redan_skickade.append(u)
        else:
            att_skicka.append(u)
    if torrkorning:
        resultat.skickade += att_skicka
        return resultat
    if not att_skicka:
        return resultat
    with get_connection() as connection:
        for u in att_skicka:
            try:
                skickat = _skicka_ett(u, idag, connection)
            except Exception:  # one bad address or refused mail must not stop the others
                logger.exception("Påminnelsen till användare %s kunde inte skickas", u.user.pk)
                resultat.misslyckade.append(u)
                continue
            (resultat.skickade if skickat else resultat.redan_skickade).append(u)
    return resultat


def skicka_paminnelser(
    *, idag: dt.date, torrkorning: bool = False, forbund: Iterable[Forbund] | None = None
) -> Resultat:
    """The day's run: every förbund's mails (or those of `forbund`), sent."""
    alla = list(forbund) if forbund is not None else list(Forbund.objects.order_by("pk"))
    utskick = [u for f in alla for u in utskick_for_forbund(f, idag)]
    resultat = skicka(utskick, idag=idag, torrkorning=torrkorning)
    logger.info("Påminnelser %s: %s", idag.isoformat(), resultat.som_dict())
    return resultat
