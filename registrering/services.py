"""Every write to the förbund's data: permission-checked, validated, atomic and audited.

Services raise `PermissionDenied` when the user may not act and `ValidationError` (with Swedish
messages keyed by field) when the input is wrong; nothing is saved in either case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rapporter.selectors import Kon
from registrering import permissions
from registrering.audit import audit_log, diff, snapshot
from registrering.kalender import MANADER, datum_svenskt, manaden_har_slutat, manadens_sista
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    BudgeteradVolym,
    Forbund,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Justering,
    Kommentar,
    Manadsrapport,
    NyaPerHuvudman,
)

Status = Manadsrapport.Status
FLODESFALT = ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")


class SamtidigAndring(ValidationError):
    """Someone else saved the month after this form was opened (a lost update was prevented)."""

    def __init__(self, rapport: Manadsrapport, andringar: dict[str, list[Any]]) -> None:
        super().__init__(
            "Någon annan har sparat månaden medan du arbetade. Se vad som ändrats, "
            "kontrollera dina siffror och spara igen."
        )
        self.rapport = rapport
        self.andringar = andringar


def _rapport_snapshot(rapport: Manadsrapport) -> dict[str, Any]:
    data = snapshot(
        rapport,
        [*FLODESFALT, "volym", "status", "kommentar", "returkommentar", "registrerad_datum"],
    )
    data["avslut"] = {a.anledning.namn: a.antal for a in rapport.avslut.select_related("anledning")}
    data["nya_huvudman"] = {
        n.huvudman.namn: n.antal for n in rapport.nya_huvudman.select_related("huvudman")
    }
    return data


def _kraver(villkor: bool, meddelande: str = "Du har inte behörighet att göra detta.") -> None:
    if not villkor:
        raise PermissionDenied(meddelande)


def _heltal(errors: dict[str, list[str]], falt: str, varde: Any, etikett: str) -> int:
    if isinstance(varde, bool) or not isinstance(varde, int):
        errors.setdefault(falt, []).append(f"{etikett} måste vara ett heltal.")
        return 0
    if varde < 0:
        errors.setdefault(falt, []).append(f"{etikett} kan inte vara negativt.")
        return 0
    return varde


@transaction.atomic
def manadsrapport_spara(
    *,
    user: Any,
    insats: Insats,
    ar: int,
    manad: int,
    nya_kvinnor: int = 0,
    nya_man: int = 0,
    avslutade_kvinnor: int = 0,
    avslutade_man: int = 0,
    volym: int | None = None,
    avslut: Mapping[int, int] | None = None,
    nya_huvudman: Mapping[int, int] | None = None,
    kommentar: str = "",
    version: int | None = None,
    idag: dt.date | None = None,
) -> Manadsrapport:
    """Save a month's figures as they are (a draft, or a correction before approval).

    `avslut` maps avslutsanledning id → antal and `nya_huvudman` huvudman id → antal; when given,
    each must add up to its total. `version` is the version the form was opened with: if someone
    saved in between, `SamtidigAndring` is raised and nothing is written.
    """
    from rapporter.selectors import pagaende_vid_manadens_start

    _kraver(permissions.kan_rapportera(user, insats))
    idag = idag or timezone.localdate()
    errors: dict[str, list[str]] = {}
    manadsnamn = f"{MANADER.get(manad, manad)} {ar}"

    if manad not in MANADER:
        raise ValidationError({"manad": "Månaden måste vara ett tal från 1 till 12."})
    if not manaden_har_slutat(ar, manad, idag):
        raise ValidationError(
            {
                "manad": f"{manadsnamn.capitalize()} är inte slut än. Månaden kan rapporteras "
                f"från och med {datum_svenskt(manadens_sista(ar, manad) + dt.timedelta(days=1))}."
            }
        )
    if not insats.aktiv_manad(ar, manad):
        raise ValidationError({"manad": f"{insats.namn} pågick inte under {manadsnamn}."})

    rapport = (
        Manadsrapport.objects.select_for_update().filter(insats=insats, ar=ar, manad=manad).first()
    )
    fore = _rapport_snapshot(rapport) if rapport else {}
    if rapport is not None:
        if version is not None and version != rapport.version:
            andringar = {
                key: value for key, value in diff({}, fore).items() if key not in {"status"}
            }
            senaste = rapport_historik(rapport).first()
            raise SamtidigAndring(rapport, senaste.changes if senaste else andringar)
        if rapport.last:
            raise ValidationError(
                f"{insats.namn}, {manadsnamn} är godkänd och låst. "
                "Verksamhetsutvecklaren kan låsa upp månaden med en motivering."
            )
        if rapport.status == Status.INSKICKAD and not permissions.kan_godkanna(
            user, insats.forbund
        ):
            raise ValidationError(
                "Månaden är inskickad och väntar på granskning. Den kan ändras igen om den "
                "returneras."
            )

    if insats.ar_volyminsats:
        if volym is None or volym == "":
            errors.setdefault("volym", []).append(
                f"Ange volymen i {insats.get_volymenhet_display().lower()}."
            )
        else:
            volym = _heltal(errors, "volym", volym, "Volymen")
        flode = dict.fromkeys(FLODESFALT, 0)
    else:
        volym = None
        flode = {
            falt: _heltal(errors, falt, varde, etikett)
            for falt, varde, etikett in (
                ("nya_kvinnor", nya_kvinnor, "Nya kvinnor"),
                ("nya_man", nya_man, "Nya män"),
                ("avslutade_kvinnor", avslutade_kvinnor, "Avslutade kvinnor"),
                ("avslutade_man", avslutade_man, "Avslutade män"),
            )
        }

    avslut_rader: dict[int, int] = {}
    nya_rader: dict[int, int] = {}
    if not insats.ar_volyminsats and not errors:
        avslut_rader = _fordelning(
            errors,
            "avslut",
            avslut,
            giltiga={a.pk: a.namn for a in insats.avslutsanledningar.all()},
            total=flode["avslutade_kvinnor"] + flode["avslutade_man"],
            vad="avslutade",
            per="avslutsanledning",
        )
        nya_rader = _fordelning(
            errors,
            "nya_huvudman",
            nya_huvudman,
            giltiga={h.pk: h.namn for h in Huvudman.objects.filter(forbund_id=insats.forbund_id)},
            total=flode["nya_kvinnor"] + flode["nya_man"],
            vad="nya",
            per="huvudman",
        )
        start = pagaende_vid_manadens_start(insats=insats, ar=ar, manad=manad)
        for falt, fanns, nya, kon in (
            ("avslutade_kvinnor", start.kvinnor, flode["nya_kvinnor"], "kvinnor"),
            ("avslutade_man", start.man, flode["nya_man"], "män"),
        ):
            if flode[falt] > fanns + nya:
                errors.setdefault(falt, []).append(
                    f"Fler avslutade {kon} ({flode[falt]}) än det fanns deltagare att avsluta "
                    f"({fanns} pågående vid månadens början + {nya} nya)."
                )
    if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER and not errors:
        tidigare = (
            Manadsrapport.objects.filter(insats=insats, ar=ar, manad__lt=manad, volym__isnull=False)
            .order_by("-manad")
            .values_list("volym", flat=True)
            .first()
        )
        if tidigare is not None and volym is not None and volym < tidigare:
            errors.setdefault("volym", []).append(
                f"Antalet unika individer hittills i år kan inte vara lägre än förra "
                f"rapporterade månadens ({tidigare})."
            )
    if errors:
        raise ValidationError(errors)

    skapad = rapport is None
    if rapport is None:
        rapport = Manadsrapport(insats=insats, ar=ar, manad=manad, status=Status.UTKAST)
    for falt, varde in flode.items():
        setattr(rapport, falt, varde)
    rapport.volym = volym
    rapport.kommentar = kommentar
    if not skapad:
        rapport.version += 1
    rapport.full_clean()
    rapport.save()
    rapport.avslut.all().delete()
    AvslutadePerAnledning.objects.bulk_create(
        AvslutadePerAnledning(rapport=rapport, anledning_id=pk, antal=antal)
        for pk, antal in avslut_rader.items()
        if antal
    )
    rapport.nya_huvudman.all().delete()
    NyaPerHuvudman.objects.bulk_create(
        NyaPerHuvudman(rapport=rapport, huvudman_id=pk, antal=antal)
        for pk, antal in nya_rader.items()
        if antal
    )
    andringar = diff(fore, _rapport_snapshot(rapport))
    if skapad or andringar:
        audit_log(
            user=user,
            instance=rapport,
            action=AuditEntry.Action.SKAPAD if skapad else AuditEntry.Action.ANDRAD,
            changes=andringar,
        )
    return rapport


def _fordelning(
    errors: dict[str, list[str]],
    falt: str,
    rader: Mapping[int, int] | None,
    *,
    giltiga: Mapping[int, str],
    total: int,
    vad: str,
    per: str,
) -> dict[int, int]:
    """Validate a breakdown of a total; an empty breakdown means 'not given'."""
    if not rader:
        return {}
    result: dict[int, int] = {}
    for pk, antal in rader.items():
        if pk not in giltiga:
            errors.setdefault(falt, []).append(f"Okänd {per} för den här insatsen.")
            continue
        result[pk] = _heltal(errors, falt, antal, giltiga[pk])
    summa = sum(result.values())
    if summa and summa != total:
        errors.setdefault(falt, []).append(
            f"Fördelningen per {per} ({summa}) stämmer inte med antalet {vad} ({total})."
        )
    return result


def _byt_status(
    *,
    user: Any,
    rapport: Manadsrapport,
    fran: set[str],
    till: str,
    action: str,
    kommentar: str = "",
    **falt: Any,
) -> Manadsrapport:
    rapport = Manadsrapport.objects.select_for_update().get(pk=rapport.pk)
    if rapport.status not in fran:
        raise ValidationError(
            f"Månaden har status ”{rapport.get_status_display()}” och kan inte "
            f"få status ”{Status(till).label}”."
        )
    fore = _rapport_snapshot(rapport)
    rapport.status = till
    for name, value in falt.items():
        setattr(rapport, name, value)
    rapport.version += 1
    rapport.save()
    audit_log(
        user=user,
        instance=rapport,
        action=action,
        changes=diff(fore, _rapport_snapshot(rapport)),
        kommentar=kommentar,
    )
    return rapport


@transaction.atomic
def manadsrapport_skicka_in(*, user: Any, rapport: Manadsrapport) -> Manadsrapport:
    """The insatsansvarig sends the month to the verksamhetsutvecklare for review."""
    _kraver(permissions.kan_rapportera(user, rapport.insats))
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.UTKAST, Status.RETURNERAD},
        till=Status.INSKICKAD,
        action=AuditEntry.Action.INSKICKAD,
        inskickad_av=user,
        inskickad_tid=timezone.now(),
    )


@transaction.atomic
def manadsrapport_godkann(*, user: Any, rapport: Manadsrapport) -> Manadsrapport:
    """Approve and lock the month."""
    _kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.UTKAST, Status.INSKICKAD, Status.RETURNERAD},
        till=Status.GODKAND,
        action=AuditEntry.Action.GODKAND,
        godkand_av=user,
        godkand_tid=timezone.now(),
    )


@transaction.atomic
def manadsrapport_returnera(*, user: Any, rapport: Manadsrapport, kommentar: str) -> Manadsrapport:
    """Send the month back to the insatsansvarig with a comment they will see."""
    _kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    if not kommentar.strip():
        raise ValidationError({"kommentar": "Skriv vad som behöver rättas."})
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.INSKICKAD},
        till=Status.RETURNERAD,
        action=AuditEntry.Action.RETURNERAD,
        kommentar=kommentar,
        returkommentar=kommentar.strip(),
    )


@transaction.atomic
def manadsrapport_las_upp(*, user: Any, rapport: Manadsrapport, anledning: str) -> Manadsrapport:
    """Unlock an approved month for correction; it must be approved (and registered) again."""
    _kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    if not anledning.strip():
        raise ValidationError({"anledning": "Ange varför månaden låses upp."})
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.GODKAND, Status.REGISTRERAD},
        till=Status.INSKICKAD,
        action=AuditEntry.Action.UPPLAST,
        kommentar=anledning,
        godkand_av=None,
        godkand_tid=None,
        registrerad_av=None,
        registrerad_datum=None,
    )


@transaction.atomic
def manadsrapport_markera_registrerad(
    *, user: Any, rapport: Manadsrapport, datum: dt.date | None = None
) -> Manadsrapport:
    """Record that the approved month has been entered in Uppföljning Finsam."""
    _kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.GODKAND},
        till=Status.REGISTRERAD,
        action=AuditEntry.Action.REGISTRERAD,
        registrerad_av=user,
        registrerad_datum=datum or timezone.localdate(),
    )


@transaction.atomic
def justering_skapa(
    *, user: Any, insats: Insats, ar: int, manad: int, kvinnor: int, man: int, anledning: str
) -> Justering:
    """Record a headcount that disagrees with the flow as an explicit, visible justering."""
    from rapporter.selectors import pagaende_vid_manadens_start

    _kraver(permissions.kan_administrera(user, insats.forbund))
    if not anledning.strip():
        raise ValidationError({"anledning": "Ange anledningen till justeringen."})
    if manad in MANADER and isinstance(kvinnor, int) and isinstance(man, int):
        # The month's closing balance: the start of the (possibly 13th) month after.
        slut = pagaende_vid_manadens_start(insats=insats, ar=ar, manad=manad + 1)
        errors = {
            falt: f"Justeringen ger färre än noll pågående {kon} ({fanns} + {andring})."
            for falt, kon, fanns, andring in (
                ("kvinnor", "kvinnor", slut.kvinnor, kvinnor),
                ("man", "män", slut.man, man),
            )
            if fanns + andring < 0
        }
        if errors:
            raise ValidationError(errors)
    justering = Justering(
        insats=insats,
        ar=ar,
        manad=manad,
        kvinnor=kvinnor,
        man=man,
        anledning=anledning.strip(),
        skapad_av=user,
    )
    try:
        justering.full_clean()
    except ValidationError as exc:
        if "__all__" in exc.message_dict:
            raise ValidationError({"kvinnor": "En justering måste ändra antalet."}) from exc
        raise
    justering.save()
    audit_log(
        user=user,
        instance=justering,
        action=AuditEntry.Action.SKAPAD,
        changes=diff({}, snapshot(justering)),
    )
    return justering


@dataclass(frozen=True)
class BalansForslag:
    """The proposed balance on 1 January: the previous year's closing balance."""

    kon: Kon
    per_huvudman: dict[int, int]
    har_tidigare_flode: bool


def ingaende_balans_forslag(*, insats: Insats, ar: int) -> BalansForslag:
    """Last December's closing balance, split by huvudman like last year's participants."""
    from rapporter.selectors import pagaende_vid_manadens_start

    har_flode = Manadsrapport.objects.filter(insats=insats, ar=ar - 1).exists()
    kon = pagaende_vid_manadens_start(insats=insats, ar=ar - 1, manad=13)
    if not har_flode:
        kon = Kon(max(kon.kvinnor, 0), max(kon.man, 0))
    forra = {
        row["huvudman_id"]: row["antal"]
        for row in IngaendeBalansHuvudman.objects.filter(balans__insats=insats, balans__ar=ar - 1)
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
    }
    for row in (
        NyaPerHuvudman.objects.filter(rapport__insats=insats, rapport__ar=ar - 1)
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
    ):
        forra[row["huvudman_id"]] = forra.get(row["huvudman_id"], 0) + row["antal"]
    ids = sorted(forra)
    delar = _fordela(kon.totalt, [forra[i] for i in ids]) if ids else []
    return BalansForslag(
        kon=kon,
        per_huvudman={i: d for i, d in zip(ids, delar, strict=True) if d},
        har_tidigare_flode=har_flode,
    )


def _fordela(total: int, vikter: list[int]) -> list[int]:
    """Split `total` in proportion to `vikter` by largest remainder."""
    summa = sum(vikter)
    if total <= 0 or summa <= 0:
        return [0] * len(vikter)
    exakta = [total * v / summa for v in vikter]
    delar = [int(x) for x in exakta]
    for i in sorted(range(len(vikter)), key=lambda i: (-(exakta[i] - delar[i]), i))[
        : total - sum(delar)
    ]:
        delar[i] += 1
    return delar


@transaction.atomic
def ingaende_balans_satt(
    *,
    user: Any,
    insats: Insats,
    ar: int,
    kvinnor: int,
    man: int,
    per_huvudman: Mapping[int, int] | None = None,
    anledning: str = "",
) -> IngaendeBalans:
    """Confirm or correct the balance on 1 January.

    A headcount that differs from last December's closing balance needs a reason and is recorded
    as a justering in last December, so that the flow, the justering and the new balance agree
    and the difference stays visible. In the first year with data the balance is simply entered.
    """
    _kraver(permissions.kan_rapportera(user, insats))
    errors: dict[str, list[str]] = {}
    kvinnor = _heltal(errors, "kvinnor", kvinnor, "Kvinnor")
    man = _heltal(errors, "man", man, "Män")
    forslag = ingaende_balans_forslag(insats=insats, ar=ar)
    skillnad = Kon(kvinnor, man) - forslag.kon
    if forslag.har_tidigare_flode and skillnad != Kon() and not anledning.strip():
        errors.setdefault("anledning", []).append(
            f"Balansen skiljer sig från förra årets utgående ({forslag.kon.kvinnor} kvinnor, "
            f"{forslag.kon.man} män). Ange anledningen."
        )
    rader = _fordelning(
        errors,
        "per_huvudman",
        per_huvudman,
        giltiga={h.pk: h.namn for h in Huvudman.objects.filter(forbund_id=insats.forbund_id)},
        total=kvinnor + man,
        vad="deltagare",
        per="huvudman",
    )
    if errors:
        raise ValidationError(errors)
    if forslag.har_tidigare_flode and skillnad != Kon():
        justering = Justering.objects.create(
            insats=insats,
            ar=ar - 1,
            manad=12,
            kvinnor=skillnad.kvinnor,
            man=skillnad.man,
            anledning=f"Ingående balans 1/1 {ar}: {anledning.strip()}",
            skapad_av=user,
        )
        audit_log(
            user=user,
            instance=justering,
            action=AuditEntry.Action.SKAPAD,
            changes=diff({}, snapshot(justering)),
        )
    balans = IngaendeBalans.objects.select_for_update().filter(insats=insats, ar=ar).first()
    fore = snapshot(balans, ["kvinnor", "man", "anledning"]) if balans else {}
    if balans:
        fore["per_huvudman"] = {
            r.huvudman.namn: r.antal for r in balans.per_huvudman.select_related("huvudman")
        }
    else:
        balans = IngaendeBalans(insats=insats, ar=ar)
    balans.kvinnor, balans.man = kvinnor, man
    balans.anledning = anledning.strip()
    balans.bekraftad_av, balans.bekraftad_tid = user, timezone.now()
    balans.full_clean()
    balans.save()
    balans.per_huvudman.all().delete()
    IngaendeBalansHuvudman.objects.bulk_create(
        IngaendeBalansHuvudman(balans=balans, huvudman_id=pk, antal=antal)
        for pk, antal in rader.items()
        if antal
    )
    efter = snapshot(balans, ["kvinnor", "man", "anledning"])
    efter["per_huvudman"] = {
        r.huvudman.namn: r.antal for r in balans.per_huvudman.select_related("huvudman")
    }
    audit_log(
        user=user,
        instance=balans,
        action=AuditEntry.Action.ANDRAD if fore else AuditEntry.Action.SKAPAD,
        changes=diff(fore, efter),
        kommentar="Bekräftad" if not diff(fore, efter) else "",
    )
    return balans


@transaction.atomic
def kommentar_spara(
    *, user: Any, forbund: Forbund, ar: int, avsnitt: str, text: str
) -> Kommentar | None:
    """Write (or with an empty text remove) the KOMMENTAR under a section of the year's bilaga."""
    _kraver(permissions.kan_administrera(user, forbund))
    if avsnitt not in Kommentar.Avsnitt.values:
        raise ValidationError({"avsnitt": "Okänt avsnitt."})
    kommentar = Kommentar.objects.filter(forbund=forbund, ar=ar, avsnitt=avsnitt).first()
    fore = {"text": kommentar.text} if kommentar else {}
    if not text.strip():
        if kommentar is not None:
            audit_log(
                user=user,
                instance=kommentar,
                action=AuditEntry.Action.BORTTAGEN,
                changes=diff(fore, {}),
            )
            kommentar.delete()
        return None
    kommentar = kommentar or Kommentar(forbund=forbund, ar=ar, avsnitt=avsnitt)
    kommentar.text = text.strip()
    kommentar.full_clean()
    kommentar.save()
    andringar = diff(fore, {"text": kommentar.text})
    if andringar:
        audit_log(
            user=user,
            instance=kommentar,
            action=AuditEntry.Action.ANDRAD if fore else AuditEntry.Action.SKAPAD,
            changes=andringar,
        )
    return kommentar


@transaction.atomic
def budgeterad_volym_satt(*, user: Any, insats: Insats, ar: int, volym: int) -> BudgeteradVolym:
    """Set the volume target of an insats for a year."""
    _kraver(permissions.kan_administrera(user, insats.forbund))
    errors: dict[str, list[str]] = {}
    volym = _heltal(errors, "volym", volym, "Budgeterad volym")
    if errors:
        raise ValidationError(errors)
    budget = BudgeteradVolym.objects.filter(insats=insats, ar=ar).first()
    fore = {"volym": budget.volym} if budget else {}
    budget = budget or BudgeteradVolym(insats=insats, ar=ar)
    budget.volym = volym
    budget.full_clean()
    budget.save()
    andringar = diff(fore, {"volym": volym})
    if andringar:
        audit_log(
            user=user,
            instance=budget,
            action=AuditEntry.Action.ANDRAD if fore else AuditEntry.Action.SKAPAD,
            changes=andringar,
        )
    return budget


def avslutsanledningar_for(insats: Insats) -> list[Avslutsanledning]:
    return list(insats.avslutsanledningar.order_by("uppsattning", "ordning", "namn"))


def rapport_historik(rapport: Manadsrapport):
    from registrering.audit import audit_entries_for

    return audit_entries_for(rapport)


@transaction.atomic
def bilagetexter_spara(
    *,
    user: Any,
    forbund: Forbund,
    ar: int,
    bakgrund_text: str,
    metod_text: str,
    sammanstallningsdatum: dt.date | None,
) -> None:
    """The bilaga's Bakgrund and Metod texts (per förbund) and the year's compilation date."""
    from registrering.models import Arsbilaga

    _kraver(permissions.kan_administrera(user, forbund))
    forbund = Forbund.objects.select_for_update().get(pk=forbund.pk)
    fore = snapshot(forbund, ["bakgrund_text", "metod_text"])
    forbund.bakgrund_text, forbund.metod_text = bakgrund_text.strip(), metod_text.strip()
    forbund.full_clean()
    forbund.save(update_fields=["bakgrund_text", "metod_text"])
    if andringar := diff(fore, snapshot(forbund, ["bakgrund_text", "metod_text"])):
        audit_log(user=user, instance=forbund, action=AuditEntry.Action.ANDRAD, changes=andringar)
    bilaga, skapad = Arsbilaga.objects.get_or_create(forbund=forbund, ar=ar)
    fore_datum = snapshot(bilaga, ["sammanstallningsdatum"])
    bilaga.sammanstallningsdatum = sammanstallningsdatum
    bilaga.save(update_fields=["sammanstallningsdatum"])
    if andringar := diff(fore_datum, snapshot(bilaga, ["sammanstallningsdatum"])):
        audit_log(
            user=user,
            instance=bilaga,
            action=AuditEntry.Action.SKAPAD if skapad else AuditEntry.Action.ANDRAD,
            changes=andringar,
        )


@transaction.atomic
def utfall_spara(
    *,
    user: Any,
    post: Any,
    belopp: Any,
    manad: int | None = None,
    kvartal: int | None = None,
) -> Any:
    """Enter (or with `belopp=None` remove) a post's utfall for a month or a quarter."""
    from registrering.models import Utfall

    _kraver(permissions.kan_administrera(user, post.forbund))
    if (manad is None) == (kvartal is None):
        raise ValidationError("Ange antingen en månad eller ett kvartal.")
    utfall = (
        Utfall.objects.select_for_update().filter(post=post, manad=manad, kvartal=kvartal).first()
    )
    fore = snapshot(utfall, ["belopp"]) if utfall else {}
    if belopp is None:
        if utfall is not None:
            audit_log(
                user=user,
                instance=utfall,
                action=AuditEntry.Action.BORTTAGEN,
                changes=diff(fore, {}),
            )
            utfall.delete()
        return None
    utfall = utfall or Utfall(post=post, manad=manad, kvartal=kvartal)
    utfall.belopp = belopp
    utfall.full_clean()
    utfall.save()
    if andringar := diff(fore, snapshot(utfall, ["belopp"])):
        audit_log(
            user=user,
            instance=utfall,
            action=AuditEntry.Action.ANDRAD if fore else AuditEntry.Action.SKAPAD,
            changes=andringar,
        )
    return utfall
