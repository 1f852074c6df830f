"""The förbund's catalogues: its huvudmän and avslutsanledningar, which insatser use which
avslutsanledningar by default, and the national catalogue (`registrering.forbundskatalog`)
copied into a förbund."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from registrering import forbundskatalog, katalogregler, permissions, regler
from registrering.audit import audit_log, diff, logga_andring, snapshot
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    Forbund,
    Huvudman,
    Insats,
    NyaPerHuvudman,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import kraver

ANLEDNINGSFALT = ("namn", "rapportetikett", "uppsattning", "klass", "kategori", "ordning")
HUVUDMANSFALT = ("namn", "ordning")


def _nyckel(namn: str) -> str:
    return " ".join(namn.casefold().split())


# --- Which insatser use which reasons by default -------------------------------------------------


def anledningar_som_standard(insats: Insats) -> list[Avslutsanledning]:
    """The reasons a new insats uses unless it is given its own: every reason of its förbund's
    general set (`forbundskatalog.ALLMAN`) when it follows a participant flow, else none. A set
    of its own (such as ISA) is reported in its own table for the insatser that use it, so a
    new insats joins it only when someone chooses so."""
    if insats.inriktning != Insats.Inriktning.INDIVID or insats.ar_volyminsats:
        return []
    return list(
        Avslutsanledning.objects.filter(
            forbund_id=insats.forbund_id, uppsattning=forbundskatalog.ALLMAN
        )
    )


def insatser_som_standard(anledning: Avslutsanledning) -> list[Insats]:
    """The insatser a new reason is used by unless it is given its own: a general reason by
    every insats of the förbund that follows a participant flow; a reason of another set by
    the insatser that already use that set."""
    flode = Insats.objects.filter(forbund_id=anledning.forbund_id).deltagarflode()
    if anledning.uppsattning != forbundskatalog.ALLMAN:
        flode = flode.filter(
            avslutsanledningar__forbund_id=anledning.forbund_id,
            avslutsanledningar__uppsattning=anledning.uppsattning,
        )
    return list(flode.distinct())


def _insatsnamn(anledning: Avslutsanledning) -> str:
    return ", ".join(sorted(i.namn for i in anledning.insatser.all()))


def anledning_snapshot(anledning: Avslutsanledning) -> dict[str, Any]:
    data = snapshot(anledning, ANLEDNINGSFALT)
    if anledning.pk:
        data["insatser"] = _insatsnamn(anledning)
    return data


# --- Avslutsanledningar and huvudmän -------------------------------------------------------------


def _far_kopiera(user: User, forbund: Forbund) -> bool:
    """The kansli of the förbund, or the systemadministratör who sets a förbund up (the
    catalogue holds no figures)."""
    return permissions.kan_administrera(user, forbund) or permissions.kan_hantera_forbund(user)


@transaction.atomic
def avslutsanledning_spara(
    *,
    user: User,
    forbund: Forbund,
    anledning: Avslutsanledning | None = None,
    varden: Mapping[str, Any],
    insatser: Iterable[Insats] | None = None,
    import_fran: str | None = None,
) -> Avslutsanledning:
    """Create an avslutsanledning (`anledning=None`) or change one. `varden` holds the fields
    to set (`ANLEDNINGSFALT`); `insatser` replaces the insatser that use it when given. A new
    reason without `insatser` is used by `insatser_som_standard`. One audit row, old → new."""
    kraver(_far_kopiera(user, forbund))
    if okanda := set(varden) - set(ANLEDNINGSFALT):
        regler.kontrollera([Fel(f, "Okänt fält.") for f in sorted(okanda)])
    valda = list(insatser) if insatser is not None else None
    if valda is not None and any(i.forbund_id != forbund.pk for i in valda):
        regler.kontrollera([Fel("insatser", "Välj bland förbundets egna insatser.")])
    if anledning is not None and anledning.pk is not None:
        kraver(anledning.forbund_id == forbund.pk)
        post = Avslutsanledning.objects.select_for_update().get(pk=anledning.pk)
        fore = anledning_snapshot(post)
    else:
        post, fore = Avslutsanledning(forbund=forbund), {}
    for falt, varde in varden.items():
        setattr(post, falt, varde.strip() if isinstance(varde, str) else varde)
    post.full_clean()
    post.save()
    if valda is None and not fore:
        valda = insatser_som_standard(post)
    if valda is not None:
        post.insatser.set(valda)
    efter = anledning_snapshot(post)
    if not fore:
        efter = {k: v for k, v in efter.items() if v not in (None, "")}
    logga_andring(
        user=user, instance=post, fore=fore, efter=efter, fanns=bool(fore), import_fran=import_fran
    )
    return post


@transaction.atomic
def huvudman_spara(
    *,
    user: User,
    forbund: Forbund,
    huvudman: Huvudman | None = None,
    varden: Mapping[str, Any],
    import_fran: str | None = None,
) -> Huvudman:
    """Create a huvudman (`huvudman=None`) or change one's name and order. One audit row."""
    kraver(_far_kopiera(user, forbund))
    if okanda := set(varden) - set(HUVUDMANSFALT):
        regler.kontrollera([Fel(f, "Okänt fält.") for f in sorted(okanda)])
    if huvudman is not None and huvudman.pk is not None:
        kraver(huvudman.forbund_id == forbund.pk)
        post = Huvudman.objects.select_for_update().get(pk=huvudman.pk)
        fore = snapshot(post, HUVUDMANSFALT)
    else:
        post, fore = Huvudman(forbund=forbund), {}
    for falt, varde in varden.items():
        setattr(post, falt, varde.strip() if isinstance(varde, str) else varde)
    post.full_clean()
    post.save()
    logga_andring(
        user=user,
        instance=post,
        fore=fore,
        efter=snapshot(post, HUVUDMANSFALT),
        fanns=bool(fore),
        import_fran=import_fran,
    )
    return post


@transaction.atomic
def huvudman_ta_bort(*, user: User, huvudman: Huvudman) -> None:
    """Remove a huvudman no month counts new participants under
    (`katalogregler.huvudman_ta_bort_fel`). One audit row with what was removed."""
    kraver(_far_kopiera(user, huvudman.forbund))
    post = Huvudman.objects.select_for_update().get(pk=huvudman.pk)
    manader = NyaPerHuvudman.objects.filter(huvudman=post).count()
    regler.kontrollera(katalogregler.huvudman_ta_bort_fel(namn=post.namn, manader=manader))
    fore = snapshot(post, HUVUDMANSFALT)
    audit_log(user=user, instance=post, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {}))
    post.delete()


@transaction.atomic
def avslutsanledning_ta_bort(*, user: User, anledning: Avslutsanledning) -> None:
    """Remove an avslutsanledning no month counts ended participants under
    (`katalogregler.avslutsanledning_ta_bort_fel`), and with it which insatser used it. One
    audit row with what was removed."""
    kraver(_far_kopiera(user, anledning.forbund))
    post = Avslutsanledning.objects.select_for_update().get(pk=anledning.pk)
    manader = AvslutadePerAnledning.objects.filter(anledning=post).count()
    regler.kontrollera(katalogregler.avslutsanledning_ta_bort_fel(namn=post.namn, manader=manader))
    fore = {k: v for k, v in anledning_snapshot(post).items() if v not in (None, "")}
    audit_log(user=user, instance=post, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {}))
    post.delete()


# --- The national catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Forbundskatalogkopia:
    """What `katalog_kopiera` added: the names of the new huvudmän and avslutsanledningar and
    the texts it filled in (all empty when the förbund had everything already)."""

    huvudman: tuple[str, ...]
    avslutsanledningar: tuple[str, ...]
    texter: tuple[str, ...]

    @property
    def tom(self) -> bool:
        return not (self.huvudman or self.avslutsanledningar or self.texter)


def _nya_huvudman(user: User, forbund: Forbund) -> tuple[str, ...]:
    finns = {_nyckel(n) for n in forbund.huvudman.values_list("namn", flat=True)}
    forsta = max(forbund.huvudman.values_list("ordning", flat=True), default=0) + 1
    nya = [n for n in forbundskatalog.HUVUDMAN if _nyckel(n) not in finns]
    for ordning, namn in enumerate(nya, start=forsta):
        huvudman_spara(user=user, forbund=forbund, varden={"namn": namn, "ordning": ordning})
    return tuple(nya)


def _nya_anledningar(user: User, forbund: Forbund) -> tuple[str, ...]:
    allman = forbund.avslutsanledningar.filter(uppsattning=forbundskatalog.ALLMAN)
    finns = {_nyckel(n) for n in allman.values_list("namn", flat=True)}
    forsta = max(allman.values_list("ordning", flat=True), default=0) + 1
    nya = [a for a in forbundskatalog.AVSLUTSANLEDNINGAR if _nyckel(a.namn) not in finns]
    for ordning, a in enumerate(nya, start=forsta):
        avslutsanledning_spara(
            user=user,
            forbund=forbund,
            varden={
                "namn": a.namn,
                "uppsattning": forbundskatalog.ALLMAN,
                "klass": a.klass,
                "kategori": a.kategori,
                "ordning": ordning,
            },
        )
    return tuple(a.namn for a in nya)


def tomma_texter_fyll(forbund: Forbund) -> tuple[str, ...]:
    """Put the national Bakgrund and Metod texts in those of the förbund's that are empty (on
    the object, not saved); returns the fields filled. `forbund_spara` asks it for a new
    förbund, so that the texts are part of its first audit row."""
    fyllda = []
    for falt, text in (
        ("bakgrund_text", forbundskatalog.BAKGRUND),
        ("metod_text", forbundskatalog.METOD),
    ):
        if not getattr(forbund, falt).strip():
            setattr(forbund, falt, text)
            fyllda.append(falt)
    return tuple(fyllda)


def _tomma_texter(user: User, forbund: Forbund) -> tuple[str, ...]:
    post = Forbund.objects.select_for_update().get(pk=forbund.pk)
    fore = snapshot(post, ["bakgrund_text", "metod_text"])
    if fyllda := tomma_texter_fyll(post):
        post.save(update_fields=fyllda)
        logga_andring(
            user=user,
            instance=post,
            fore=fore,
            efter=snapshot(post, ["bakgrund_text", "metod_text"]),
            fanns=True,
        )
        for falt in fyllda:
            setattr(forbund, falt, getattr(post, falt))
    return fyllda


@transaction.atomic
def katalog_kopiera(*, user: User, forbund: Forbund) -> Forbundskatalogkopia:
    """Give the förbund what it lacks of the national catalogue: the huvudmän and the general
    avslutsanledningar (matched on their names, whatever the case), each new reason used by
    every insats with a participant flow, and the Bakgrund and Metod texts where they are
    empty. Idempotent: what the förbund has, edited or not, is left as it is. Every row made is
    audited. The survey questions are `enkatkatalog_kopiera`'s."""
    kraver(_far_kopiera(user, forbund))
    return Forbundskatalogkopia(
        huvudman=_nya_huvudman(user, forbund),
        avslutsanledningar=_nya_anledningar(user, forbund),
        texter=_tomma_texter(user, forbund),
    )
