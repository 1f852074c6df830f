"""Many months at once, from a file: the flow or the volume (a breakdown file is
`services.fordelning_import`).

The rows are checked as a whole before anything is written: each row by the month's rules, and
the file by the ledger after every row is applied (a history file may arrive in any order, so
the flow rule is checked on the result, all or nothing, never switched off). A month that is
approved is never changed. The writes are bulk writes, audited through the one writer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from registrering import dataversion, manadsliggare, permissions, regler
from registrering.audit import (
    Handelse,
    Post,
    diff,
    importkommentar,
    skriv_manga_handelser,
)
from registrering.ledger import Kon
from registrering.masskrivning import skapa_fran_varden
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import FLODESFALT, kraver

Status = Manadsrapport.Status
UNIKA = Insats.Volymenhet.UNIKA_INDIVIDER


@dataclass(slots=True)
class ManadImportRad:
    """One month of a file: the insats, the month and its figures (flow or volume)."""

    nr: int  # the row's number, for the messages
    insats: Insats
    ar: int
    manad: int
    nya: Kon = field(default_factory=Kon)
    avslutade: Kon = field(default_factory=Kon)
    volym: int | None = None
    befintlig: Manadsrapport | None = None

    def varden(self) -> dict[str, int | None]:
        if self.insats.ar_volyminsats:
            return {"volym": self.volym}
        return {
            "nya_kvinnor": self.nya.kvinnor,
            "nya_man": self.nya.man,
            "avslutade_kvinnor": self.avslutade.kvinnor,
            "avslutade_man": self.avslutade.man,
        }

    def andrar(self) -> bool:
        return self.befintlig is None or any(
            getattr(self.befintlig, f) != v for f, v in self.varden().items()
        )


def importerad_status(befintlig: str | None, *, godkand: bool) -> str:
    """An imported month counts as sent in, or approved if the importer chooses so; an
    approved month stays as it is."""
    if befintlig in (Status.GODKAND, Status.REGISTRERAD):
        return befintlig
    return Status.GODKAND if godkand else Status.INSKICKAD


def manadsrapporter_fel(*, rader: Sequence[ManadImportRad], idag: dt.date) -> dict[int, list[Fel]]:
    """Every rule of every row, and of the file as a whole, keyed by the row's number."""
    # Only the rows with errors get a list (100 000 rows, mostly without).
    fel: dict[int, list[Fel]] = defaultdict(list)
    # The counts' rule depends on the counts alone: each set of whole numbers is checked once
    # (a file of 100 000 months holds a few hundred), the sets without error remembered. (Only
    # `int`s: True == 1, but True is no count.)
    rakna_antal: set[tuple[int, ...]] = set()
    for rad in rader:
        radfel = regler.manad_kan_rapporteras(
            insats=rad.insats, ar=rad.ar, manad=rad.manad, idag=idag
        )
        if rad.befintlig is not None and rad.andrar():
            radfel = radfel + regler.manad_oppen(
                insats=rad.insats,
                ar=rad.ar,
                manad=rad.manad,
                status=rad.befintlig.status,
                kan_godkanna=True,
            )
        if not rad.insats.ar_volyminsats:
            antal = (rad.nya.kvinnor, rad.nya.man, rad.avslutade.kvinnor, rad.avslutade.man)
            heltal = type(antal[0]) is type(antal[1]) is type(antal[2]) is type(antal[3]) is int
            if not heltal or antal not in rakna_antal:
                if antalfel := regler.flodesantal(rad.varden()):
                    radfel = radfel + antalfel
                elif heltal:
                    rakna_antal.add(antal)
        if radfel:
            fel[rad.nr] += radfel
    giltiga = [r for r in rader if r.nr not in fel]
    for nr, radfel in _liggarens_fel([r for r in giltiga if not r.insats.ar_volyminsats]):
        fel[nr] += radfel
    for nr, radfel in _volymfel([r for r in giltiga if r.insats.ar_volyminsats]):
        fel[nr] += radfel
    return {nr: f for nr, f in fel.items() if f}


class Transaktionsmarke:
    """Marks the transaction a check was made in. It is registered as a commit hook that does
    nothing: Django drops a transaction's hooks when it ends, committed or rolled back (and a
    savepoint's when that is rolled back), so the mark is among the connection's hooks exactly
    as long as that transaction is open. The outermost atomic block is no such mark: a
    function decorated with `transaction.atomic` opens every one of its transactions with the
    same block object."""

    __slots__ = ()

    def __call__(self) -> None:
        pass

    def galler(self) -> bool:
        """Whether the transaction it was made in is still the open one."""
        connection = transaction.get_connection()
        return connection.in_atomic_block and any(
            hook is self for _, hook, _ in connection.run_on_commit
        )


def _transaktionsmarke() -> Transaktionsmarke | None:
    """A mark of the open transaction, or None outside one (autocommit: nothing to share)."""
    if not transaction.get_connection().in_atomic_block:
        return None
    marke = Transaktionsmarke()
    transaction.on_commit(marke)
    return marke


@dataclass(frozen=True, slots=True)
class Provning:
    """The rules' verdict on a file's rows (`manadsrapporter_prova`), which the write takes
    instead of checking the same rows again in the same transaction."""

    rader: tuple[ManadImportRad, ...]  # the checked rows (compared by identity)
    fel: dict[int, list[Fel]]
    idag: dt.date
    transaktion: Transaktionsmarke | None  # the transaction it was made in

    def galler(self, rader: Sequence[ManadImportRad], idag: dt.date) -> bool:
        """Whether it answers for `rader` now: it found no error, it checked every one of
        them against the same day, and this is still the transaction it was made in (what
        it read is what the write will build on)."""
        return (
            not self.fel
            and self.idag == idag
            and self.transaktion is not None
            and self.transaktion.galler()
            and _alla_bland(rader, self.rader)
        )


def _alla_bland(rader: Sequence[ManadImportRad], provade: Sequence[ManadImportRad]) -> bool:
    """Whether every row of `rader` is one of `provade` (the same object, not an equal one)."""
    ids = {id(r) for r in provade}
    return all(id(r) in ids for r in rader)


def manadsrapporter_prova(*, rader: Sequence[ManadImportRad], idag: dt.date) -> Provning:
    """`manadsrapporter_fel` for a file whose rows will be written in the same transaction
    (`manadsrapporter_importera(provning=…)`): the rules run once per import, here."""
    return Provning(
        rader=tuple(rader),
        fel=manadsrapporter_fel(rader=rader, idag=idag),
        idag=idag,
        transaktion=_transaktionsmarke(),
    )


def _liggarens_fel(rader: list[ManadImportRad]) -> Iterable[tuple[int, list[Fel]]]:
    """The ledger after every row: a month of the file may not end more participants than it
    had; a month after it that is not in the file may not end below zero (the message goes to
    the last row of the file before it). An insats's ledger is its own: the insatser are
    checked a ledger of about `SKRIVOMGANG` rows at a time, which bounds what a large file's
    check holds at once (every month of every insats, from its first year)."""
    per_insats: dict[int, list[ManadImportRad]] = defaultdict(list)
    for rad in rader:
        per_insats[rad.insats.pk].append(rad)
    # Keyed by year and month a round at a time: 100 000 keys at once would cost ~10 MB.
    omgang: dict[int, dict[tuple[int, int], ManadImportRad]] = {}
    antal = 0
    for insats_id, insatsens in per_insats.items():
        omgang[insats_id] = {(r.ar, r.manad): r for r in insatsens}
        antal += len(insatsens)
        if antal >= SKRIVOMGANG:
            yield from _liggarens_fel_i_omgang(omgang)
            omgang, antal = {}, 0
    if omgang:
        yield from _liggarens_fel_i_omgang(omgang)


def _liggarens_fel_i_omgang(
    per_insats: Mapping[int, Mapping[tuple[int, int], ManadImportRad]],
) -> Iterable[tuple[int, list[Fel]]]:
    """`_liggarens_fel` for the rows of some insatser (per insats, by year and month), with
    one ledger."""
    bok = manadsliggare.liggare(
        list(per_insats), fran_ar=min(ar for filens in per_insats.values() for ar, _m in filens)
    )
    bok.satt_manader(
        (insats_id, ar, manad, rad.nya, rad.avslutade)
        for insats_id, filens in per_insats.items()
        for (ar, manad), rad in filens.items()
    )
    for insats_id, filens in per_insats.items():
        forsta = min(filens)
        senaste: ManadImportRad | None = None
        for saldo in bok.saldon(insats_id):
            manad = (saldo.ar, saldo.manad)
            if manad < forsta:
                continue
            manadens = filens.get(manad)
            if manadens is not None:
                senaste = manadens
                if radfel := regler.flode(
                    start=saldo.start, nya=manadens.nya, avslutade=manadens.avslutade
                ):
                    yield manadens.nr, radfel
            elif senaste is not None and (
                radfel := regler.liggaren([saldo], fran=forsta, orsak="Raden")
            ):
                yield senaste.nr, radfel
                break


def _volymfel(rader: list[ManadImportRad]) -> Iterable[tuple[int, list[Fel]]]:
    """A count of unique individuals "so far this year" never decreases from month to month,
    in the file and the saved months together."""
    volymer = _unika_volymer([r for r in rader if r.insats.volymenhet == UNIKA])
    for rad in rader:
        arets = sorted(volymer.get((rad.insats.pk, rad.ar), {}).items())
        tidigare = [v for m, v in arets if m < rad.manad]
        senare = [(v, regler.manadsnamn(rad.ar, m)) for m, v in arets if m > rad.manad]
        if radfel := regler.volym(
            enhet=rad.insats.volymenhet,
            enhet_namn=rad.insats.get_volymenhet_display(),
            varde=rad.volym,
            tidigare=tidigare[-1] if tidigare else None,
            senare=senare[0] if senare else None,
        ):
            yield rad.nr, radfel


def _unika_volymer(rader: list[ManadImportRad]) -> dict[tuple[int, int], dict[int, int]]:
    """Per insats and year: the saved counts of unique individuals with the file's on top."""
    volymer: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    if not rader:
        return volymer
    for insats_id, ar, manad, volym in Manadsrapport.objects.filter(
        insats_id__in={r.insats.pk for r in rader},
        ar__in={r.ar for r in rader},
        volym__isnull=False,
    ).values_list("insats_id", "ar", "manad", "volym"):
        volymer[(insats_id, ar)][manad] = volym or 0
    for rad in rader:
        if rad.volym is not None:
            volymer[(rad.insats.pk, rad.ar)][rad.manad] = rad.volym
    return volymer


def _kan_importera(user: User, rader: Iterable[Any]) -> None:
    # One insats per förbund id first: reading a related object is dear 100 000 times over.
    for insats in {r.insats.forbund_id: r.insats for r in rader}.values():
        kraver(permissions.kan_importera(user, insats.forbund))


#: Months written (and audited) per round: bounds how many instances a large file holds at once.
SKRIVOMGANG = 5_000
SKRIVNA_FALT = (
    *FLODESFALT,
    "volym",
    "status",
    "version",
    "andrad",
    "inskickad_av",
    "inskickad_tid",
    "godkand_av",
    "godkand_tid",
)


#: What an import reads of the months it may change (`manadsrapporter_befintliga`): what the
#: rules and the comparison read. The rest of what a write touches is read for the changed
#: months only, when they are written (`_las_resten`): 100 000 unchanged months cost half the
#: memory.
LASTA_FALT = ("id", "insats", "ar", "manad", "status", "version", *FLODESFALT, "volym")


def manadsrapporter_befintliga(
    *, forbund_ids: Iterable[int], ar: Iterable[int]
) -> QuerySet[Manadsrapport]:
    """The saved months of these förbund and years, as an import file's rows meet them (their
    `befintlig`): with the fields the rules and the comparison read."""
    return Manadsrapport.objects.filter(
        insats__forbund_id__in=list(forbund_ids), ar__in=list(ar)
    ).only(*LASTA_FALT)


def _las_resten(rapporter: Sequence[Manadsrapport]) -> None:
    """Read, in one query, the fields that months read by `manadsrapporter_befintliga` lack
    and that the write sets as they are (`SKRIVNA_FALT`), where the import has not set them."""
    saknas = sorted({f for r in rapporter for f in r.get_deferred_fields()})
    if not saknas:
        return
    per_id = {r.pk: r for r in rapporter}
    for pk, *varden in Manadsrapport.objects.filter(pk__in=per_id).values_list("pk", *saknas):
        rapport = per_id[pk]
        for falt, varde in zip(saknas, varden, strict=True):
            if falt not in rapport.__dict__:
                setattr(rapport, falt, varde)


@transaction.atomic
def manadsrapporter_importera(
    *,
    user: User,
    rader: Sequence[ManadImportRad],
    godkand: bool = False,
    idag: dt.date | None = None,
    import_fran: str = "",
    provning: Provning | None = None,
) -> int:
    """Write the months of a file: new ones are created, changed ones updated, all counted as
    sent in (or approved). A breakdown that no longer adds up to a changed total becomes "not
    given". One audit row per month, action "importerad". Every row is checked before the first
    is written (by `provning`, when it answers for these rows in this transaction, else here);
    the writes are bulk writes in rounds of `SKRIVOMGANG` months. Returns how many months were
    written."""
    _kan_importera(user, rader)
    idag = idag or timezone.localdate()
    if provning is None or not provning.galler(rader, idag):
        fel = manadsrapporter_fel(rader=rader, idag=idag)
        regler.kontrollera([f for radfel in fel.values() for f in radfel])
    nu = timezone.now()
    kommentar = importkommentar(import_fran)
    antal = 0
    for start in range(0, len(rader), SKRIVOMGANG):
        # Each month written is audited: the audit writer bumps its year's data version.
        antal += _skriv_omgang(
            rader[start : start + SKRIVOMGANG],
            godkand=godkand,
            user=user,
            nu=nu,
            kommentar=kommentar,
        )
    return antal


#: The columns a new month's row gives (`_ny_rad`); the rest are the round's shared status
#: fields (`_ny_status`) and the fields' defaults.
NYA_KOLUMNER = ("insats_id", "ar", "manad", *FLODESFALT, "volym")


def _skriv_omgang(
    rader: Sequence[ManadImportRad], *, godkand: bool, user: User, nu: dt.datetime, kommentar: str
) -> int:
    """Create, update and audit one round's months; returns how many were written. The new
    months are written from their values (`skapa_fran_varden`), without an instance each."""
    status = _ny_status(godkand=godkand, user=user, nu=nu)
    nya = [(r, r.varden()) for r in rader if r.befintlig is None]
    nya_id = iter(
        skapa_fran_varden(Manadsrapport, NYA_KOLUMNER, [_ny_rad(*n) for n in nya], **status)
    )
    nya_varden = (varden for _rad, varden in nya)
    andrade = _andrade([r for r in rader if r.befintlig is not None], godkand, user, nu)
    rapporter = [rapport for rapport, _andringar in andrade.values()]
    _las_resten(rapporter)
    Manadsrapport.objects.bulk_update(rapporter, SKRIVNA_FALT, batch_size=1000)
    rensade = _rensa_fordelningar(rapporter)
    post, nya_andringar = _Poster(), _NyaAndringar(str(status["status"]))
    handelser = []
    for rad in rader:  # the audit rows in the file's order
        if rad.befintlig is None:
            handelse = Handelse(
                post(rad, next(nya_id)),
                AuditEntry.Action.IMPORTERAD,
                nya_andringar(next(nya_varden)),
                kommentar,
                rad.insats.forbund_id,
            )
        elif (andrad := andrade.get(id(rad))) is not None:
            rapport, andringar = andrad
            handelse = Handelse(
                rapport,
                AuditEntry.Action.IMPORTERAD,
                {**andringar, **rensade[rapport.pk]} if rapport.pk in rensade else andringar,
                kommentar,
                rad.insats.forbund_id,
            )
        else:
            continue
        handelser.append(handelse)
    skriv_manga_handelser(user=user, handelser=handelser, tid=nu)
    return len(handelser)


def _ny_rad(rad: ManadImportRad, varden: Mapping[str, int | None]) -> tuple[int | None, ...]:
    """A new month's values for `NYA_KOLUMNER`: its figures (`varden`), the others their
    defaults (a flow month has no volume, a volume month no flow)."""
    return (
        rad.insats.pk,
        rad.ar,
        rad.manad,
        *(varden.get(f, 0) for f in FLODESFALT),
        varden.get("volym"),
    )


class _NyaAndringar:
    """A new month's changes for its audit row (every value it was given, from nothing), one
    mapping shared by the months with the same values: 100 000 months hold a few hundred,
    and the audit writer makes the JSON of each shared mapping once."""

    def __init__(self, status: str) -> None:
        self._status = status
        self._delade: dict[tuple[tuple[str, int | None], ...], dict[str, list[Any]]] = {}

    def __call__(self, varden: Mapping[str, int | None]) -> dict[str, list[Any]]:
        """The changes of a new month with these values (its `varden()`)."""
        nyckel = tuple(varden.items())
        if (andringar := self._delade.get(nyckel)) is None:
            efter = {**varden, "status": self._status}
            andringar = self._delade[nyckel] = {
                f: [None, v] for f, v in sorted(efter.items()) if v not in (None, "")
            }
        return andringar


class _Poster:
    """A new month's `Post` for its audit row: its text and years as an instance of it gives
    them (`str`, `dataversion.aren_for`), from one unsaved month per insats whose year and
    month are set for each row, instead of an instance per row."""

    def __init__(self) -> None:
        self._mallar: dict[int, Manadsrapport] = {}

    def __call__(self, rad: ManadImportRad, pk: int) -> Post:
        mall = self._mallar.get(rad.insats.pk)
        if mall is None:
            mall = self._mallar[rad.insats.pk] = Manadsrapport(insats=rad.insats)
        mall.ar, mall.manad = rad.ar, rad.manad
        return Post(Manadsrapport, pk, str(mall), dataversion.aren_for(mall))


def _andrade(
    rader: Sequence[ManadImportRad], godkand: bool, user: User, nu: dt.datetime
) -> dict[int, tuple[Manadsrapport, dict[str, list[Any]]]]:
    """The saved months the rows change, by the row (its `id()`; the caller holds the rows):
    each with its values and status set and the changes its audit row records. Unchanged
    months are left out."""
    andrade = {}
    for rad in rader:
        rapport = rad.befintlig
        assert rapport is not None
        varden = rad.varden()
        falt = (*varden, "status")
        fore = {f: getattr(rapport, f) for f in falt}
        for namn, varde in varden.items():
            setattr(rapport, namn, varde)
        _satt_status(rapport, importerad_status(rapport.status, godkand=godkand), user, nu)
        andringar = diff(fore, {f: getattr(rapport, f) for f in falt})
        if not andringar:
            continue
        rapport.version += 1
        rapport.andrad = nu
        andrade[id(rad)] = (rapport, andringar)
    return andrade


def _ny_status(*, godkand: bool, user: User, nu: dt.datetime) -> dict[str, Any]:
    """The status fields of an import's new months, as `_satt_status` sets them."""
    mall = Manadsrapport()
    _satt_status(mall, importerad_status(None, godkand=godkand), user, nu)
    statusfalt = ("status", "inskickad_av", "inskickad_tid", "godkand_av", "godkand_tid")
    return {f: getattr(mall, f) for f in statusfalt}


def _satt_status(rapport: Manadsrapport, status: str, user: User, nu: dt.datetime) -> None:
    if status == rapport.status and rapport.pk:
        return
    if rapport.status in (Status.UTKAST, Status.RETURNERAD) or not rapport.pk:
        rapport.inskickad_av, rapport.inskickad_tid = user, nu
    if status == Status.GODKAND and rapport.status != Status.GODKAND:
        rapport.godkand_av, rapport.godkand_tid = user, nu
    rapport.status = status


def _rensa_fordelningar(rapporter: list[Manadsrapport]) -> dict[int, dict[str, list[Any]]]:
    """Breakdowns that no longer add up to their month's total are removed ("not given");
    returns what was removed per month, for its audit row."""
    andringar: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    per_id = {r.pk: r for r in rapporter}
    for namn, modell, nyckel, totalt in (
        ("avslut", AvslutadePerAnledning, "anledning__namn", lambda r: r.avslutade),
        ("nya_huvudman", NyaPerHuvudman, "huvudman__namn", lambda r: r.nya),
    ):
        gamla: dict[int, dict[str, int]] = defaultdict(dict)
        for rapport_id, etikett, antal in modell.objects.filter(rapport_id__in=per_id).values_list(
            "rapport_id", nyckel, "antal"
        ):
            gamla[rapport_id][etikett] = antal
        rensa = [pk for pk, rader in gamla.items() if sum(rader.values()) != totalt(per_id[pk])]
        if rensa:
            modell.objects.filter(rapport_id__in=rensa).delete()
            for pk in rensa:
                andringar[pk][namn] = [gamla[pk], {}]
    return andringar
