"""Writes the demo data of `data.py` to the database.

The yearly figures are split by gender and month by the rules here: largest remainder over
seasonal weights, avslut moved later until no month ends below zero, and labels (huvudman,
avslutsanledning) dealt out by a seeded shuffle, so every run produces the same rows. Every row
is matched on its natural key, so `ladda(idag=…)` can run again without duplicates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from registrering import models as m
from registrering.demodata import data as demo
from registrering.kalender import manaden_har_slutat, manadens_sista

Status = m.Manadsrapport.Status


def fordela(total: int, vikter: Sequence[float]) -> list[int]:
    """Split `total` over `vikter` by largest remainder: the parts sum exactly to `total`."""
    summa = sum(vikter)
    if total == 0 or summa == 0:
        return [0] * len(vikter)
    exakta = [total * v / summa for v in vikter]
    delar = [int(x) for x in exakta]
    ordning = sorted(range(len(vikter)), key=lambda i: (-(exakta[i] - delar[i]), i))
    for i in ordning[: total - sum(delar)]:
        delar[i] += 1
    return delar


def _utan_negativt(ingaende: int, nya: list[int], avslutade: list[int]) -> list[int]:
    """Move avslut later until no month ends with fewer than zero participants."""
    avslutade = list(avslutade)
    while True:
        saldo = ingaende
        for i, (n, a) in enumerate(zip(nya, avslutade, strict=True)):
            saldo += n - a
            if saldo < 0:
                j = max(k for k in range(i + 1) if avslutade[k] > 0)
                avslutade[j] -= 1
                avslutade[i + 1 if i + 1 < len(avslutade) else -1] += 1
                break
        else:
            return avslutade


def _etiketter(antal: dict[str, int], per_manad: Sequence[int], seed: str) -> list[dict[str, int]]:
    """Deal out labelled counts (huvudman, avslutsanledning) to months with the given totals."""
    pott = [namn for namn, n in antal.items() for _ in range(n)]
    random.Random(seed).shuffle(pott)
    assert len(pott) == sum(per_manad), (seed, len(pott), sum(per_manad))
    result, start = [], 0
    for n in per_manad:
        manad: dict[str, int] = {}
        for namn in pott[start : start + n]:
            manad[namn] = manad.get(namn, 0) + 1
        result.append(manad)
        start += n
    return result


@dataclass
class _Manad:
    nya: tuple[int, int] = (0, 0)
    avslutade: tuple[int, int] = (0, 0)
    nya_huvudman: dict[str, int] | None = None
    avslut: dict[str, int] | None = None
    volym: int | None = None


def _flode_manader(
    namn: str,
    ar: int,
    ingaende: tuple[int, int],
    nya: tuple[int, int],
    avslutade: tuple[int, int],
    manader: int,
    nya_huvudman: dict[str, int],
    avslut: dict[str, int],
) -> list[_Manad]:
    """A year's flow of one insats split over its first `manader` months."""
    kon = []
    for g in range(2):
        n = fordela(nya[g], demo.NYA_VIKT[:manader])
        a = _utan_negativt(ingaende[g], n, fordela(avslutade[g], demo.AVSLUT_VIKT[:manader]))
        kon.append((n, a))
    totalt_nya = [kon[0][0][i] + kon[1][0][i] for i in range(manader)]
    totalt_avsl = [kon[0][1][i] + kon[1][1][i] for i in range(manader)]
    hm = _etiketter(nya_huvudman, totalt_nya, f"{namn}{ar}hm")
    an = _etiketter(avslut, totalt_avsl, f"{namn}{ar}av")
    return [
        _Manad(
            nya=(kon[0][0][i], kon[1][0][i]),
            avslutade=(kon[0][1][i], kon[1][1][i]),
            nya_huvudman=hm[i],
            avslut=an[i],
        )
        for i in range(manader)
    ]


def _huvudman_ingaende(ingaende: int, totalt: Sequence[int]) -> list[int]:
    """The ingående balance by huvudman: the year's distribution, scaled to the balance."""
    return fordela(ingaende, totalt)


def _allman_avslut(forsta: int, andra: int) -> dict[str, int]:
    result: dict[str, int] = {}
    for klass, antal in ((1, forsta), (2, andra)):
        namn = list(demo.ALLMAN_ANDEL[klass])
        for n, d in zip(namn, fordela(antal, list(demo.ALLMAN_ANDEL[klass].values())), strict=True):
            result[n] = d
    return result


def _volym_manader(enhet: str, total: int, manader: int) -> list[int]:
    if enhet == m.Insats.Volymenhet.UNIKA_INDIVIDER:
        # The count so far this year: many visitors early, fewer new ones later in the year.
        tillskott = fordela(total, demo.TILLSKOTT_VIKT[:manader])
        return [sum(tillskott[: i + 1]) for i in range(manader)]
    return fordela(total, demo.VOLYM_VIKT[enhet][:manader])


def _utgaende_2025(f: demo.Flode2025) -> tuple[int, int]:
    """2025's closing balance per gender, which is 2026's ingående."""
    return (
        f.ingaende[0] + f.nya[0] - f.avslutade[0] + f.justering[0],
        f.ingaende[1] + f.nya[1] - f.avslutade[1] + f.justering[1],
    )


def _arstotal(
    f: demo.Flode2025, faktor: float, *, forsta_aret: bool
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """(ingående, nya, avslutade) per gender of a year before 2025, ending in 2025's ingående."""
    nya = tuple(round(n * faktor) for n in f.nya)
    if not forsta_aret:
        return f.ingaende, nya, nya
    # The first year starts from nobody.
    avsl = tuple(round(n * 0.4) for n in nya)
    nya = tuple(max(n, i + a) for n, i, a in zip(nya, f.ingaende, avsl, strict=True))
    avsl = tuple(n - i for n, i in zip(nya, f.ingaende, strict=True))
    return (0, 0), nya, avsl


def _uppsattning(insats: str) -> str:
    """The set of avslutsanledningar the insats reports on."""
    return "ISA" if insats == demo.ISA_INSATS else "Allmän"


def _slutade_manader(ar: int, hogst: int, idag: dt.date) -> int:
    """How many of the year's first `hogst` months are over by `idag`: only those can exist."""
    return sum(manaden_har_slutat(ar, manad, idag) for manad in range(1, hogst + 1))


def _status_2025(_insats: str, _manad: int) -> str | None:
    return Status.REGISTRERAD


def _status_2026(insats: str, manad: int) -> str | None:
    if manad == demo.MANADER_2026:
        return demo.OKTOBER_2026[insats]
    return Status.REGISTRERAD if manad <= demo.REGISTRERADE_2026 else Status.GODKAND


class _Laddare:
    """Writes the demo data row by row on natural keys, so a second run changes nothing."""

    forbund: m.Forbund
    medlemmar: dict[str, m.Medlem]
    huvudman: dict[str, m.Huvudman]
    anvandare: dict[str, m.User]
    vu: m.User
    insatser: dict[str, m.Insats]
    anledningar: dict[tuple[str, str], m.Avslutsanledning]

    def __init__(self, idag: dt.date) -> None:
        self.idag = idag
        self.skapade_rapporter: list[m.Manadsrapport] = []

    def kor(self) -> m.Forbund:
        self._forbund()
        self._medlemmar()
        self._huvudman()
        self._anvandare()
        self._insatser()
        self._anledningar()
        self._ar_2025()
        self._ar_2026()
        self._arstotaler()
        self._enkater()
        self._kommentarer()
        self._ekonomi()
        self._arsbilaga()
        self._budgeterade_volymer()
        self._logga_skapade()
        return self.forbund

    def _forbund(self) -> None:
        self.forbund, _ = m.Forbund.objects.update_or_create(
            namn=demo.FORBUND_NAMN,
            defaults={
                "kortnamn": demo.FORBUND_KORTNAMN,
                "rapportdag": demo.RAPPORTDAG,
                "bakgrund_text": demo.BAKGRUND,
                "metod_text": demo.METOD,
            },
        )

    def _medlemmar(self) -> None:
        self.medlemmar = {}
        for ordning, (namn, typ, invanare) in enumerate(demo.MEDLEMMAR, start=1):
            medlem, _ = m.Medlem.objects.update_or_create(
                forbund=self.forbund, namn=namn, defaults={"typ": typ, "ordning": ordning}
            )
            self.medlemmar[namn] = medlem
            if invanare:
                m.Befolkning.objects.update_or_create(
                    medlem=medlem, ar=demo.BEFOLKNING_AR, defaults={"invanare": invanare}
                )

    def _huvudman(self) -> None:
        self.huvudman = {
            namn: m.Huvudman.objects.update_or_create(
                forbund=self.forbund, namn=namn, defaults={"ordning": i}
            )[0]
            for i, namn in enumerate(demo.HUVUDMAN, start=1)
        }

    def _anvandare(self) -> None:
        self.anvandare = {}
        for a in demo.ANVANDARE:
            user, created = m.User.objects.get_or_create(
                username=a.username,
                defaults={
                    "first_name": a.first_name,
                    "last_name": a.last_name,
                    "forbund": self.forbund,
                    "is_staff": a.is_staff,
                },
            )
            if created or not user.has_usable_password():
                user.set_password(demo.DEMO_LOSENORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=str(a.roll)))
            self.anvandare[a.username] = user
        self.vu = self.anvandare["verksamhetsutvecklare"]

    def _insatser(self) -> None:
        grupper = {
            namn: m.Insatsgrupp.objects.get_or_create(forbund=self.forbund, namn=namn)[0]
            for namn in demo.INSATSGRUPPER
        }
        malgrupper = {mg.kod: mg for mg in m.Malgrupp.objects.all()}
        self.insatser = {}
        for namn, data in demo.INSATSER.items():
            insats = self._insats(namn, data, grupper)
            insats.malgrupper.set([malgrupper[kod] for kod in data.malgrupper])
            self.insatser[namn] = insats
        for a in demo.ANVANDARE:
            for namn in a.ansvar:
                self.insatser[namn].insatsansvariga.add(self.anvandare[a.username])

    def _insats(
        self, namn: str, data: demo.DemoInsats, grupper: dict[str, m.Insatsgrupp]
    ) -> m.Insats:
        uppfoljning = m.Insats.Uppfoljning
        return m.Insats.objects.update_or_create(
            forbund=self.forbund,
            namn=namn,
            defaults={
                "inriktning": data.inriktning,
                "preciserad_inriktning": data.preciserad,
                "grupp": grupper[data.grupp] if data.grupp else None,
                "utforande_medlem": self.medlemmar[data.medlem] if data.medlem else None,
                "startdatum": data.start,
                "slutdatum": data.slut,
                "uppfoljning": uppfoljning.VOLYM if data.volymenhet else uppfoljning.DELTAGARFLODE,
                "volymenhet": data.volymenhet,
                "ordning": demo.VOLYM_ORDNING.get(namn, 0),
            },
        )[0]

    def _anledningar(self) -> None:
        self.anledningar = {}
        for uppsattning, rader in (("Allmän", demo.ALLMAN), ("ISA", demo.ISA)):
            for ordning, (namn, etikett, klass, kategori) in enumerate(rader, start=1):
                self.anledningar[(uppsattning, namn)] = m.Avslutsanledning.objects.update_or_create(
                    forbund=self.forbund,
                    uppsattning=uppsattning,
                    namn=namn,
                    defaults={
                        "rapportetikett": etikett,
                        "klass": klass,
                        "kategori": kategori,
                        "ordning": ordning,
                    },
                )[0]
        for namn, insats in self.insatser.items():
            if insats.ar_volyminsats:
                continue
            uppsattning = _uppsattning(namn)
            insats.avslutsanledningar.set(
                [a for (u, _n), a in self.anledningar.items() if u == uppsattning]
            )

    def _rapporter(
        self,
        insats: m.Insats,
        ar: int,
        manader: Sequence[_Manad],
        status: Callable[[str, int], str | None],
    ) -> None:
        """One report per month from January; a month whose status is None is left out."""
        for manad, data in enumerate(manader, start=1):
            if (s := status(insats.namn, manad)) is not None:
                self._rapport(insats, ar, manad, data, s)

    def _rapport(self, insats: m.Insats, ar: int, manad: int, data: _Manad, status: str) -> None:
        rapport, created = m.Manadsrapport.objects.update_or_create(
            insats=insats,
            ar=ar,
            manad=manad,
            defaults={
                "nya_kvinnor": data.nya[0],
                "nya_man": data.nya[1],
                "avslutade_kvinnor": data.avslutade[0],
                "avslutade_man": data.avslutade[1],
                "volym": data.volym,
                **self._rapportens_status(insats, ar, manad, status),
            },
        )
        if created:
            self.skapade_rapporter.append(rapport)
        uppsattning = _uppsattning(insats.namn)
        for namn, antal in (data.avslut or {}).items():
            m.AvslutadePerAnledning.objects.update_or_create(
                rapport=rapport,
                anledning=self.anledningar[(uppsattning, namn)],
                defaults={"antal": antal},
            )
        for namn, antal in (data.nya_huvudman or {}).items():
            m.NyaPerHuvudman.objects.update_or_create(
                rapport=rapport, huvudman=self.huvudman[namn], defaults={"antal": antal}
            )

    def _rapportens_status(
        self, insats: m.Insats, ar: int, manad: int, status: str
    ) -> dict[str, object]:
        """The status, and who sent in, approved and registered the report when it implies."""
        slut = manadens_sista(ar, manad)
        tid = dt.datetime.combine(slut + dt.timedelta(days=5), dt.time(10), tzinfo=dt.UTC)
        inskickad = status != Status.UTKAST
        godkand = status in (Status.GODKAND, Status.REGISTRERAD)
        registrerad = status == Status.REGISTRERAD
        return {
            "status": status,
            "returkommentar": demo.RETURKOMMENTAR if status == Status.RETURNERAD else "",
            "inskickad_av": self._ansvarig(insats) if inskickad else None,
            "inskickad_tid": tid if inskickad else None,
            "godkand_av": self.vu if godkand else None,
            "godkand_tid": tid + dt.timedelta(days=2) if godkand else None,
            "registrerad_av": self.vu if registrerad else None,
            "registrerad_datum": slut + dt.timedelta(days=15) if registrerad else None,
        }

    def _ansvarig(self, insats: m.Insats) -> m.User:
        for a in demo.ANVANDARE:
            if insats.namn in a.ansvar:
                return self.anvandare[a.username]
        return self.vu

    def _balans(self, insats: m.Insats, ar: int, kon: tuple[int, int], hm: Sequence[int]) -> None:
        balans, _ = m.IngaendeBalans.objects.update_or_create(
            insats=insats,
            ar=ar,
            defaults={
                "kvinnor": kon[0],
                "man": kon[1],
                "bekraftad_av": self.vu,
                "bekraftad_tid": dt.datetime(ar, 1, 15, 9, tzinfo=dt.UTC),
            },
        )
        for namn, antal in zip(demo.HUVUDMAN, hm, strict=True):
            if antal:
                m.IngaendeBalansHuvudman.objects.update_or_create(
                    balans=balans, huvudman=self.huvudman[namn], defaults={"antal": antal}
                )

    def _ar_2025(self) -> None:
        for namn, f in demo.FLODE_2025.items():
            self._flode_2025(namn, f)
        for namn, total in demo.VOLYM_2025.items():
            insats = self.insatser[namn]
            volymer = _volym_manader(insats.volymenhet, total, 12)
            self._rapporter(insats, 2025, [_Manad(volym=v) for v in volymer], _status_2025)

    def _flode_2025(self, namn: str, f: demo.Flode2025) -> None:
        insats = self.insatser[namn]
        hm_in = _huvudman_ingaende(sum(f.ingaende), f.huvudman)
        self._balans(insats, 2025, f.ingaende, hm_in)
        nya_hm = {h: t - i for h, t, i in zip(demo.HUVUDMAN, f.huvudman, hm_in, strict=True)}
        avslut = demo.ISA_2025 if namn == demo.ISA_INSATS else _allman_avslut(*f.forsta_andra)
        manader = _flode_manader(namn, 2025, f.ingaende, f.nya, f.avslutade, 12, nya_hm, avslut)
        self._rapporter(insats, 2025, manader, _status_2025)
        if f.justering != (0, 0):
            m.Justering.objects.get_or_create(
                insats=insats,
                ar=2025,
                manad=12,
                anledning=demo.JUSTERING_ANLEDNING,
                defaults={"kvinnor": f.justering[0], "man": f.justering[1], "skapad_av": self.vu},
            )

    def _ar_2026(self) -> None:
        sista = _slutade_manader(2026, demo.MANADER_2026, self.idag)
        for namn, (nya, avslutade) in demo.FLODE_2026.items():
            self._flode_2026(namn, nya, avslutade, sista)
        for namn, total in demo.VOLYM_2026.items():
            insats = self.insatser[namn]
            volymer = _volym_manader(insats.volymenhet, total, demo.MANADER_2026)
            self._rapporter(insats, 2026, [_Manad(volym=v) for v in volymer[:sista]], _status_2026)

    def _flode_2026(
        self, namn: str, nya: tuple[int, int], avslutade: tuple[int, int], sista: int
    ) -> None:
        insats = self.insatser[namn]
        f = demo.FLODE_2025[namn]
        ingaende = _utgaende_2025(f)
        hm_in = _huvudman_ingaende(sum(ingaende), f.huvudman)
        self._balans(insats, 2026, ingaende, hm_in)
        nya_hm = dict(zip(demo.HUVUDMAN, fordela(sum(nya), f.huvudman), strict=True))
        avslut = _allman_avslut(*fordela(sum(avslutade), f.forsta_andra))
        manader = _flode_manader(
            namn, 2026, ingaende, nya, avslutade, demo.MANADER_2026, nya_hm, avslut
        )
        self._rapporter(insats, 2026, manader[:sista], _status_2026)

    def _arstotaler(self) -> None:
        """Yearly totals 2020–2024 that end in 2025's ingående balans (Diagram 1 and 2)."""
        for namn, f in demo.FLODE_2025.items():
            insats = self.insatser[namn]
            for ar, faktor in demo.ARSFAKTOR.items():
                if insats.startdatum.year > ar:
                    continue
                ingaende, nya, avsl = _arstotal(f, faktor, forsta_aret=insats.startdatum.year == ar)
                m.Arstotal.objects.update_or_create(
                    insats=insats,
                    ar=ar,
                    defaults={
                        "deltagare_kvinnor": ingaende[0] + nya[0],
                        "deltagare_man": ingaende[1] + nya[1],
                        "nya_kvinnor": nya[0],
                        "nya_man": nya[1],
                        "avslutade_kvinnor": avsl[0],
                        "avslutade_man": avsl[1],
                        "kalla": demo.DEMO_KALLA,
                    },
                )

    def _enkater(self) -> None:
        fragor = [
            self._enkatfraga(ordning, text, malfraga, alternativ)
            for ordning, (text, malfraga, alternativ) in enumerate(demo.ENKATFRAGOR, start=1)
        ]
        for ar, (tillfallen, totaler) in demo.ENKATER.items():
            if dt.date(ar, 1, 1) <= self.idag:
                self._enkatsvar(tillfallen, totaler, fragor)

    def _enkatfraga(
        self, ordning: int, text: str, malfraga: bool, alternativ: Sequence[tuple[str, bool]]
    ) -> list[m.Svarsalternativ]:
        """The question and its answer options, in order."""
        fraga, _ = m.Enkatfraga.objects.update_or_create(
            forbund=self.forbund, text=text, defaults={"ordning": ordning, "malfraga": malfraga}
        )
        return [
            m.Svarsalternativ.objects.update_or_create(
                fraga=fraga, text=a, defaults={"ordning": i, "positivt": positivt}
            )[0]
            for i, (a, positivt) in enumerate(alternativ, start=1)
        ]

    def _enkatsvar(
        self,
        tillfallen: Sequence[tuple[str, dt.date, int]],
        totaler: Sequence[Sequence[int]],
        fragor: Sequence[Sequence[m.Svarsalternativ]],
    ) -> None:
        """A year's occasions up to `idag`, with each question's totals dealt out over all
        the year's occasions in proportion to their answers."""
        insats = self.insatser[demo.ENKATINSATS]
        storlek = [n for _namn, _datum, n in tillfallen]
        for alternativ, total in zip(fragor, totaler, strict=True):
            per_alt = [fordela(t, storlek) for t in total]
            for t_index, (namn, datum, _n) in enumerate(tillfallen):
                if datum > self.idag:
                    continue
                tillfalle, _ = m.Enkattillfalle.objects.update_or_create(
                    forbund=self.forbund, namn=namn, datum=datum, defaults={"insats": insats}
                )
                for a, fordelning in zip(alternativ, per_alt, strict=True):
                    m.Enkatsvar.objects.update_or_create(
                        tillfalle=tillfalle, alternativ=a, defaults={"antal": fordelning[t_index]}
                    )

    def _kommentarer(self) -> None:
        for avsnitt, text in demo.KOMMENTARER_2025.items():
            m.Kommentar.objects.update_or_create(
                forbund=self.forbund, ar=2025, avsnitt=avsnitt, defaults={"text": text}
            )

    def _ekonomi(self) -> None:
        for ar, tilldelning in demo.TILLDELNING.items():
            m.Verksamhetsplan.objects.update_or_create(
                forbund=self.forbund,
                ar=ar,
                defaults={
                    "tilldelning": tilldelning,
                    "enkatmal_procent": demo.ENKATMAL_PROCENT,
                    "kapitaltak_procent": demo.KAPITALTAK_PROCENT,
                    "eget_kapital_ingaende": demo.EGET_KAPITAL_1_1[ar],
                },
            )
        manader = _slutade_manader(2026, demo.UTFALL_MANADER, self.idag)
        for ordning, (namn, kod, budget) in enumerate(demo.KOSTNADSPOSTER_2026, start=1):
            post, _ = m.Kostnadspost.objects.update_or_create(
                forbund=self.forbund,
                ar=2026,
                namn=namn,
                defaults={"kod": kod, "budget": budget, "ordning": ordning},
            )
            self._utfall(post, fordela(budget, demo.UTFALL_VIKT)[:manader])

    def _utfall(self, post: m.Kostnadspost, per_manad: Sequence[int]) -> None:
        """The booked months; a post booked per quarter books each complete quarter."""
        if post.namn in demo.KVARTALSPOSTER:
            for kvartal in range(1, len(per_manad) // 3 + 1):
                m.Utfall.objects.update_or_create(
                    post=post,
                    kvartal=kvartal,
                    defaults={"belopp": sum(per_manad[(kvartal - 1) * 3 : kvartal * 3])},
                )
            return
        for manad, belopp in enumerate(per_manad, start=1):
            m.Utfall.objects.update_or_create(post=post, manad=manad, defaults={"belopp": belopp})

    def _arsbilaga(self) -> None:
        m.Arsbilaga.objects.update_or_create(
            forbund=self.forbund,
            ar=2025,
            defaults={"sammanstallningsdatum": demo.SAMMANSTALLNINGSDATUM_2025},
        )

    def _budgeterade_volymer(self) -> None:
        for namn, volym in demo.BUDGET_2026.items():
            m.BudgeteradVolym.objects.update_or_create(
                insats=self.insatser[namn], ar=2026, defaults={"volym": volym}
            )

    def _logga_skapade(self) -> None:
        if not self.skapade_rapporter:
            return
        ct = ContentType.objects.get_for_model(m.Manadsrapport)
        m.AuditEntry.objects.bulk_create(
            m.AuditEntry(
                forbund=self.forbund,
                user=None,
                action=m.AuditEntry.Action.IMPORTERAD,
                content_type=ct,
                object_id=str(r.pk),
                object_repr=str(r)[:300],
                kommentar="Demodata inläst",
            )
            for r in self.skapade_rapporter
        )


def ladda(*, idag: dt.date | None = None) -> m.Forbund:
    """Load (or refresh) the demo förbund. Months after `idag` are not created."""
    with transaction.atomic():
        return _Laddare(idag or timezone.localdate()).kor()


def demo_anvandare() -> Iterable[tuple[str, str]]:
    """(username, role) of the demo users, for printing."""
    return [(a.username, str(a.roll)) for a in demo.ANVANDARE]
