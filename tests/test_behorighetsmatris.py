"""Behörighetsmatrisen: every persona × every address of the product, with the expected answer of
every cell written down as data.

Columns (DOMAIN.md, "Who does what"; the tables' headers abbreviate them): anonym (anon),
verksamhetsutvecklare (vu), förbundschef (chef), insatsansvarig (ansv), styrelse (styr),
utomstående (utom: a verksamhetsutvecklare of another förbund), a superuser (supr), and the
roles of issue 14 that are tied to no förbund: the systemadministratör (sys: manages förbund and
users, sees no förbund's figures), a samordnare of a group that contains our förbund (samo) and
a samordnare of another group, of the other förbund alone (asam). Rows: every page of the
browser (finsam/urls.py, registrering/urls.py, rapporter/urls.py) and, for every model
registered in the admin (read from `admin.site._registry`, so that a new model is covered, or
fails until its row is written), its list, add, change, delete and history pages for an object
of our förbund (A) and of the other förbund (B), the writing POSTs, import/export and a few
pages of the admin itself.

A cell is the HTTP status, or where a 302 leads:
  L   302 to the login page, /logga-in/?next=<the address>
  AL  302 to the admin's login page (also for a logged-in user without admin access)
  OK  302 where a done write leads (the month page, the list, ...): the database changed
  INGET 302 where a write would lead, with nothing written (an admin action on rows the user
      cannot see)
  IF  302 back to the same admin's import form: a confirming step without a preview of this
      session's own (registrering.importlagring), with nothing written
  IX  302 to /admin/ with "finns inte": the admin's answer to an id the user may not see, the
      same answer as for an id that does not exist (checked below)
  "/…" 302 to exactly that address
Every POST that does not end in OK must leave the database as it was (every row of every model
of registrering and of auth's groups). A 200 page for someone of one förbund must not name the
other förbund or its insatser, the insatsansvarig's pages must not name the insats they are
not responsible for, a samordnare's pages no förbund outside their group and the
systemadministratör's no förbund's data (FREMMANDE).

The data is built once for the module in a transaction that is rolled back at the end; each
test runs in a savepoint of its own, so an allowed write is undone before the next cell. Each
persona has one logged-in client for the whole module.

The matrix is in two modules that share the world and the checking of a cell
(tests/behorighetsmatris.py): this one has the pages that were there before issue 14 and the
admin; tests/test_behorighetsmatris_system.py has issue 14's pages (import and export, the
förbund's users, invitations, the checklist, the installation's and the groups' pages, the joint
report). `test_varje_adress_har_en_rad` here asks for a row in either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from import_export.admin import ImportExportMixin

from registrering import importuppgifter
from tests import behorighetsmatris
from tests.behorighetsmatris import (
    AL,
    EGNA,
    IF,
    INGET,
    IX,
    LANK,
    OK,
    PERSONER,
    L,
    Ruta,
    Sida,
    Svar,
    Varld,
    fyll_i,
    kontrollera,
    kontrollera_sida,
    namngivna,
    rutor,
    sida,
    sidrutor,
)
from tests.test_behorighetsmatris_system import SIDOR as SYSTEMSIDOR

#: The world and a savepoint per cell, from the shared module.
varld = behorighetsmatris.varld
db = behorighetsmatris.db

# === 1. The browser's pages =====================================================================

REG, MAL, MINA = "/registrering/", "/mal/", "/registrering/mina-insatser/"
SYS, SAM = "/system/", "/samverkan/"  # the systemadministratör's and the samordnare's start
# Last month's utfall, and the latest complete year's bilaga (2025: 2026 is not over).
UTF, R25 = "/mal/2025/utfall/m10/", "/rapporter/2025/"
E26 = "/effekter/2026/"  # this year's (IDAG)
MANAD = "/registrering/insats/{insats}/2025/{manad}/"
BALANS = "/registrering/insats/{insats}/2026/ingaende-balans/"
BEKRAFTAD = "/registrering/insats/{egen}/2025/ingaende-balans/"


MANADSDATA = {
    "version": "",
    "nya_kvinnor": "2",
    "nya_man": "0",
    "avslutade_kvinnor": "0",
    "avslutade_man": "0",
    "kommentar": "",
    "spara": "1",
}
ATGARDSDATA = {
    "godkann": {},
    "returnera": {"retur-kommentar": "Stämmer nya män?"},
    "las-upp": {"upplasning-anledning": "Fel antal nya"},
    "registrerad": {"registrerad-datum": "2026-11-20"},
}
ATGARDSMANAD = {"godkann": 10, "returnera": 10, "las-upp": 11, "registrerad": 11}


def insatsens_sidor(vems: str, svar: dict[str, tuple[Svar, ...]]) -> list[Sida]:
    """The month page, its four workflow POSTs, the justering and the ingående balans of one
    insats. "atgard" is the answer to the kansli's POSTs (workflow and justering), "atgard GET"
    to a GET of their addresses."""
    manad = MANAD.format(insats="{" + vems + "}", manad=10)
    september = MANAD.format(insats="{" + vems + "}", manad=9)
    balans = BALANS.format(insats="{" + vems + "}")
    rader = [
        sida("GET", manad, *svar["manad"]),
        sida("POST", september, *svar["spara"], data=MANADSDATA, klar=september),
    ]
    for atgard in ATGARDSDATA:
        manadens = MANAD.format(insats="{" + vems + "}", manad=ATGARDSMANAD[atgard])
        rader.append(
            sida(
                "POST",
                f"{manadens}{atgard}/",
                *svar["atgard"],
                data=ATGARDSDATA[atgard],
                klar=manadens,
            )
        )
        rader.append(sida("GET", f"{manadens}{atgard}/", *svar["atgard GET"]))
    justering = MANAD.format(insats="{" + vems + "}", manad=10)
    rader += [
        sida(
            "POST",
            f"{justering}justering/",
            *svar["atgard"],
            data={
                "justering-kvinnor": "1",
                "justering-man": "0",
                "justering-anledning": "Inventering",
            },
            klar=justering,
        ),
        sida("GET", f"{justering}justering/", *svar["atgard GET"]),
        sida("GET", balans, *svar["balans"]),
        sida("POST", balans, *svar["balans POST"], data={"kvinnor": "0", "man": "0"}, klar=balans),
    ]
    return rader


#: The account's own two-factor page, where turning it off leads.
TV = "/konton/tvasteg/"

#: The bilaga's PDF: DOMAIN.md gives the verksamhetsutvecklare "the bilaga" (they compile it and
#: check the PDF before the förbundschef sends it) and the styrelse reads it; the förbundschef's
#: own step, publishing, is not a page yet.
PDF = 200
#: The Indikatorer report of the current collection year.
IND = "/enkater/indikatorer/2027/"

# fmt: off
SIDOR: list[Sida] = [
    #   metod   adress                         anon vu   chef ansv styr utom supr sys  samo asam
    sida("GET", "/",                           L,   REG, REG, MINA, MAL, REG, REG, SYS, SAM, SAM),
    sida("POST", "/",                          L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/logga-in/",                  200, "/", "/", "/", "/", "/", "/", "/", "/", "/"),
    sida("GET", "/logga-ut/",                  405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The Indikatorer report (enkater.indikatorvyer): read by the kansli and the styrelse (each
    # their own förbund's); the national export and the import of earlier years are the kansli's.
    # IDAG (23/11 2026) is in insamlingsår 2027. An empty import POST is the form with its error.
    sida("GET", "/enkater/indikatorer/",       L,   IND, IND, 403, IND, IND, IND, 403, 403, 403),
    sida("GET", "/enkater/indikatorer/2024/",  L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/indikatorer/2024/", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/indikatorer/2024/pdf/",
                                               L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("GET", "/enkater/indikatorer/2024/diagram/999999.svg",
                                               L,   404, 404, 403, 404, 404, 404, 403, 403, 403),
    sida("GET", "/enkater/indikatorer/2024/export.csv",
                                               L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("GET", "/enkater/indikatorer/importera/",
                                               L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/indikatorer/importera/",
                                               L,   400, 400, 403, 403, 400, 400, 403, 403, 403),
    # Key figures and the transition model (effekter.nyckeltal_vyer, effekter.forflyttning_vyer):
    # the kansli writes, the styrelse reads, each their own förbund's. 2025 has no key figures
    # in this world: "Hämta nyckeltal" writes them, and a matrix cannot be saved before (400).
    sida("GET", "/effekter/2025/nyckeltal/",   L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/effekter/2025/nyckeltal/",  L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         data={"del": "hamta"}, klar="/effekter/2025/nyckeltal/"),
    sida("GET", "/effekter/2025/forflyttningar/",
                                               L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/effekter/2025/forflyttningar/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/effekter/2025/forflyttningar/diagram/9.svg",
                                               L,   404, 404, 403, 404, 404, 404, 403, 403, 403),
    sida("GET", "/effekter/2025/forflyttningar/{egen}/",
                                               L,   200, 200, 403, 403, 404, 200, 403, 403, 403),
    sida("POST", "/effekter/2025/forflyttningar/{egen}/",
                                               L,   400, 400, 403, 403, 404, 400, 403, 403, 403,
         data={"forsorjningsstod-arbete": "3"}),
    sida("GET", "/effekter/2025/forflyttningar/{deras}/",
                                               L,   404, 404, 403, 403, 200, 404, 403, 403, 403),
    # Lifting a lockout (registrering.kontovyer): the kansli, for the accounts of its förbund.
    sida("GET", "/konton/",                    L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/konton/",                   405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/konton/sparrade/",           L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/konton/sparrade/",          405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/konton/sparrade/{vart_konto}/hav/",
                                               L,   OK,  OK,  403, 403, 404, OK,  403, 403, 403,
         klar="/konton/sparrade/"),
    sida("GET", "/konton/sparrade/{vart_konto}/hav/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/konton/sparrade/{deras_konto}/hav/",
                                               L,   404, 404, 403, 403, OK,  404, 403, 403, 403,
         klar="/konton/sparrade/"),
    # Two-factor login (registrering.tvastegsvyer). No role requires it here (settings_test), so
    # nobody has a step left: the code page leads on to the start page. The insatsansvarig and the
    # utomstående have a device (set up after their login), the others none.
    sida("GET", "/konton/tvasteg/",            L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", "/konton/tvasteg/",           405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/konton/tvasteg/verifiera/",  L,   "/", "/", "/", "/", "/", "/", "/", "/", "/"),
    sida("POST", "/konton/tvasteg/verifiera/", L,   "/", "/", "/", "/", "/", "/", "/", "/", "/",
         data={"kod": "123456"}),
    sida("GET", "/konton/tvasteg/aktivera/",   L,   200, 200, TV,  200, TV,  200, 200, 200, 200),
    sida("POST", "/konton/tvasteg/aktivera/",  L,   200, 200, TV,  200, TV,  200, 200, 200, 200,
         data={"kod": "12"}),
    sida("POST", "/konton/tvasteg/ta-bort/",
         L,   INGET, INGET, OK,  INGET, OK,  INGET, INGET, INGET, INGET,
         klar=TV),
    sida("GET", "/konton/tvasteg/ta-bort/",    405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/konton/tvasteg/forbundet/",  L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/konton/tvasteg/forbundet/", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/konton/tvasteg/forbundet/{vart_konto}/aterstall/",
                                               L,   OK,  OK,  403, 403, 404, OK,  403, 403, 403,
         klar="/konton/tvasteg/forbundet/"),
    sida("GET", "/konton/tvasteg/forbundet/{vart_konto}/aterstall/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/konton/tvasteg/forbundet/{deras_konto}/aterstall/",
                                               L,   404, 404, 403, 403, OK,  404, 403, 403, 403,
         klar="/konton/tvasteg/forbundet/"),
    # The user's own reminders by e-mail: for the roles that get any (insatsansvarig, vu).
    sida("GET", "/konton/paminnelser/",        L,   200, 403, 200, 403, 200, 403, 403, 403, 403),
    sida("POST", "/konton/paminnelser/",       L,   OK,  403, OK,  403, OK,  403, 403, 403, 403,
         klar="/konton/paminnelser/"),
    # The public answer page of a survey round (enkater.svar_vyer): anyone, logged in or not;
    # an empty form is shown again with its message and nothing is counted.
    sida("GET", f"/e/{LANK}/",                 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", f"/e/{LANK}/",                200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("GET", f"/e/{LANK}/tack/",            200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", f"/e/{LANK}/tack/",           405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/e/finns-inte/",              404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # Survey management (enkater.hantering): the kansli manages rounds and questions in its
    # förbund; the styrelse and an insatsansvarig see the list (the insatsansvarig only their
    # own insatser's rounds). Empty POSTs are the form again with its errors. Reopening an open
    # round writes nothing (INGET). runda_var has no insats; the insatsansvarig's is runda_egen.
    sida("GET", "/enkater/",                   L,   200, 200, 200, 200, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/",                  405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/tillfalle/ny/",      L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/tillfalle/ny/",     L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("GET", "/enkater/tillfalle/{runda_var}/",
                                               L,   200, 200, 403, 403, 404, 200, 404, 404, 404),
    sida("POST", "/enkater/tillfalle/{runda_var}/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/tillfalle/{runda_deras}/",
                                               L,   404, 404, 404, 404, 200, 200, 404, 404, 404),
    sida("POST", "/enkater/tillfalle/{runda_var}/papper/",
                                               L,   200, 200, 403, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_var}/papper/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/enkater/tillfalle/{runda_var}/stang/",
                                               L,   OK,  OK,  403, 403, 404, OK,  404, 404, 404,
         klar="/enkater/tillfalle/{runda_var}/"),
    sida("GET", "/enkater/tillfalle/{runda_var}/stang/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("POST", "/enkater/tillfalle/{runda_var}/oppna/",
         L,   INGET, INGET, 403, 403, 404, INGET, 404, 404, 404,
         klar="/enkater/tillfalle/{runda_var}/"),
    sida("GET", "/enkater/tillfalle/{runda_var}/oppna/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The QR code and the poster: also the insatsansvarig, for their own insats's rounds.
    sida("GET", "/enkater/tillfalle/{runda_egen}/qr.svg",
                                               L,   200, 200, 200, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_egen}/qr.png",
                                               L,   200, 200, 200, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_egen}/affisch/",
                                               L,   200, 200, 200, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_egen}/affisch/pdf/",
                                               L,   200, 200, 200, 403, 404, 200, 404, 404, 404),
    sida("POST", "/enkater/tillfalle/{runda_egen}/affisch/",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/tillfalle/{runda_annan}/qr.svg",
                                               L,   200, 200, 403, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_annan}/affisch/",
                                               L,   200, 200, 403, 403, 404, 200, 404, 404, 404),
    sida("GET", "/enkater/tillfalle/{runda_deras}/affisch/",
                                               L,   404, 404, 404, 404, 200, 200, 404, 404, 404),
    sida("GET", "/enkater/fragor/",            L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/fragor/",           405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/fragor/ny/",         L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/fragor/ny/",        L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("GET", "/enkater/fragor/{fraga_var}/",
                                               L,   200, 200, 403, 403, 404, 200, 403, 403, 403),
    sida("POST", "/enkater/fragor/{fraga_var}/",
                                               L,   200, 200, 403, 403, 404, 200, 403, 403, 403),
    # The superuser's förbund is ours (the first): another förbund's question is not found.
    sida("GET", "/enkater/fragor/{fraga_deras}/",
                                               L,   404, 404, 403, 403, 200, 404, 403, 403, 403),
    # The load balancer's health endpoints: public, no data of any förbund.
    sida("GET", "/healthz",                    200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", "/healthz",                   405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/readyz",                     200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    sida("POST", "/readyz",                    405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/registrering/",              L,   200, 200, 200, 403, 200, 200, 403, 403, 403),
    sida("POST", "/registrering/",             L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/registrering/2025/",         L,   200, 200, 200, 403, 200, 200, 403, 403, 403),
    sida("GET", "/registrering/mina-insatser/",
                                               L,   403, 403, 200, 403, 403, 403, 403, 403, 403),
    sida("POST", "/registrering/mina-insatser/",
                                               L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The insatsansvarig's year view of an earlier year: their own insatser only.
    sida("GET", "/registrering/mina-insatser/2025/",
                                               L,   403, 403, 200, 403, 403, 403, 403, 403, 403),
    # The goal page and the bilaga: the kansli and the styrelse, each in their own förbund.
    sida("GET", "/mal/",                       L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/mal/",                      405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/mal/2025/",                  L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("GET", "/mal/2025/utfall/",           L,   UTF, UTF, 403, 403, UTF, UTF, 403, 403, 403),
    sida("GET", "/mal/2025/utfall/m10/",       L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/mal/2025/utfall/m10/",      L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         data={"post_{post}": "125 000"}, klar=UTF),
    sida("GET", "/rapporter/",                 L,   R25, R25, 403, R25, R25, R25, 403, 403, 403),
    sida("GET", "/rapporter/2025/",            L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/",           405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/rapporter/2025/pdf/",        L,   PDF, 200, 403, 200, PDF, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/pdf/",       405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A chart by the hash of what it shows (our förbund's first chart of 2025). Another förbund
    # gets the chart only if one of its own shows exactly that (here both are empty); with other
    # figures it is 404 (tests/rapporter/test_views.py).
    sida("GET", "/rapporter/2025/diagram/{diagram}.svg",
                                               L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("GET", "/rapporter/2025/underlag/",   L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/underlag/",  405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The underlag to Uppföljning Finsam as an Excel file: the kansli's, like its page.
    sida("GET", "/rapporter/2025/underlag.xlsx",
                                               L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/underlag.xlsx",
                                               405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/rapporter/2025/texter/",     L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/texter/",    L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         data={"bakgrund_text": "Ny bakgrund.", "metod_text": "Ny metod.",
               "sammanstallningsdatum": "2026-01-20"},
         klar="/rapporter/2025/"),
    sida("GET", "/rapporter/2025/kommentar/volym/",
                                               L,   200, 200, 403, 403, 200, 200, 403, 403, 403),
    sida("POST", "/rapporter/2025/kommentar/volym/",
                                               L,   OK,  OK,  403, 403, OK,  OK,  403, 403, 403,
         data={"text": "Volymerna ökade."}, klar="/rapporter/2025/#volym"),
    # Resultat och effekter (effekter.views): read by those who read the reports, each their own
    # förbund's (the utomstående sees the other förbund's page).
    sida("GET", "/effekter/",                  L,   E26, E26, 403, E26, E26, E26, 403, 403, 403),
    sida("GET", "/effekter/2025/",             L,   200, 200, 403, 200, 200, 200, 403, 403, 403),
    sida("POST", "/effekter/2025/",            405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Survey results (enkater.resultat_vyer): the kansli and the styrelse see the förbund's, an
    # insatsansvarig only their own insatser's rounds; a chart of a question without figures
    # (here one that does not exist) is 404 for everyone who may see results.
    sida("GET", "/enkater/resultat/",          L,   200, 200, 200, 200, 200, 200, 403, 403, 403),
    sida("POST", "/enkater/resultat/",         405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    sida("GET", "/enkater/resultat/diagram/999999/alla.svg",
                                               L,   404, 404, 404, 404, 404, 404, 403, 403, 403),
    # A confirmed balance (1/1 2025 of the insatsansvarig's insats): read-only to the
    # insatsansvarig, corrected with a reason by the kansli.
    sida("GET", BEKRAFTAD,                     L,   200, 200, 200, 200, 404, 200, 404, 404, 404),
    sida("POST", BEKRAFTAD,                    L,   OK,  OK,  403, 403, 404, OK,  404, 404, 404,
         data={"kvinnor": "2", "man": "0", "anledning": "Inventering"}, klar=BEKRAFTAD),
    # The insatsansvarig's own insats (our förbund).
    *insatsens_sidor("egen", {
        #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
        "manad":          (L,    200,  200,  200,  200,  404,  200,  404,  404,  404),
        "spara":          (L,    OK,   OK,   OK,   403,  404,  OK,   404,  404,  404),
        "atgard":         (L,    OK,   OK,   403,  403,  404,  OK,   404,  404,  404),
        "atgard GET":     (L,    405,  405,  405,  405,  405,  405,  405,  405,  405),
        "balans":         (L,    200,  200,  200,  200,  404,  200,  404,  404,  404),
        "balans POST":    (L,    OK,   OK,   OK,   403,  404,  OK,   404,  404,  404),
    }),
    # Another insats of our förbund: not the insatsansvarig's.
    *insatsens_sidor("annan", {
        "manad":          (L,    200,  200,  403,  200,  404,  200,  404,  404,  404),
        "spara":          (L,    OK,   OK,   403,  403,  404,  OK,   404,  404,  404),
        "atgard":         (L,    OK,   OK,   403,  403,  404,  OK,   404,  404,  404),
        "atgard GET":     (L,    405,  405,  405,  405,  405,  405,  405,  405,  405),
        "balans":         (L,    200,  200,  403,  200,  404,  200,  404,  404,  404),
        "balans POST":    (L,    OK,   OK,   403,  403,  404,  OK,   404,  404,  404),
    }),
    # An insats of the other förbund (the utomstående's own).
    *insatsens_sidor("deras", {
        "manad":          (L,    404,  404,  404,  404,  200,  200,  404,  404,  404),
        "spara":          (L,    404,  404,  404,  404,  OK,   OK,   404,  404,  404),
        "atgard":         (L,    404,  404,  404,  404,  OK,   OK,   404,  404,  404),
        "atgard GET":     (L,    405,  405,  405,  405,  405,  405,  405,  405,  405),
        "balans":         (L,    404,  404,  404,  404,  200,  200,  404,  404,  404),
        "balans POST":    (L,    404,  404,  404,  404,  OK,   OK,   404,  404,  404),
    }),
]
# fmt: on


@pytest.mark.parametrize("ruta", sidrutor(SIDOR))
def test_sida(db, varld, ruta):
    kontrollera_sida(varld, ruta)


@pytest.mark.parametrize("persona", [p for p in PERSONER if p != "anonym"])
def test_logga_ut(db, varld, persona):
    """Logging out ends the session and leads to the login page (a client of its own, so that
    the persona's client stays logged in)."""
    klient = Client()
    klient.force_login(varld.anvandare[persona])
    response = klient.post("/logga-ut/")
    assert (response.status_code, response["Location"]) == (302, "/logga-in/")
    assert klient.get("/registrering/").status_code == 302


def test_varje_adress_har_en_rad(db, varld):
    """A new page of the product fails here until its row is written in SIDOR (or, for issue
    14's, in tests/test_behorighetsmatris_system.py)."""
    tackta = {
        resolve(fyll_i(varld, s.adress).split("?")[0]).view_name for s in (*SIDOR, *SYSTEMSIDOR)
    }
    tackta.add("logout")  # test_logga_ut
    assert set(namngivna(get_resolver().url_patterns)) - tackta == set()


# === 2. The admin =============================================================================

# A table per kind of model (its "profil"); every model registered in the admin has one below.
# Rows: the list, the add form, the change form, the delete page and the history of an object of
# our förbund (A) and of the other förbund (B), and the POSTs that write: add and change with an
# empty form (200 = the form again with its errors: the door is open, nothing is written),
# delete, and the list's "delete selected" action on A's object.


@dataclass(frozen=True)
class Vy:
    metod: str
    namn: str  # the admin's url name: changelist, add, change, delete, history, ...
    objekt: str | None = None  # "A" or "B"
    data: dict[str, Any] = field(default_factory=dict)
    nyckel: str = ""  # which of the förbund's objects, when not the model's own (ett_av_varje)


VYER = {
    "lista": Vy("GET", "changelist"),
    "ny": Vy("GET", "add"),
    "ändra A": Vy("GET", "change", "A"),
    "ändra B": Vy("GET", "change", "B"),
    "ta bort A": Vy("GET", "delete", "A"),
    "ta bort B": Vy("GET", "delete", "B"),
    "historik A": Vy("GET", "history", "A"),
    "historik B": Vy("GET", "history", "B"),
    "POST ny": Vy("POST", "add"),
    "POST ändra A": Vy("POST", "change", "A"),
    "POST ta bort A": Vy("POST", "delete", "A", {"post": "yes"}),
    "POST åtgärd A": Vy("POST", "changelist", "A", {"action": "delete_selected", "post": "yes"}),
}
IMPORTVYER = {
    "import": Vy("GET", "import"),
    "POST import": Vy("POST", "process_import"),
    "importstatus": Vy("GET", "importjobb"),  # a queued import of the verksamhetsutvecklare's
    "export": Vy("GET", "export"),
}
#: The month's workflow as actions in the admin's list, on our October (sent in) and November
#: (approved) of the insatsansvarig's insats.
MANADSVYER = {
    "POST godkänn A": Vy("POST", "changelist", "A", {"action": "godkann"}, "inskickad"),
    "POST returnera A": Vy(
        "POST",
        "changelist",
        "A",
        {"action": "returnera", "bekrafta": "1", "motivering": "Stämmer nya män?"},
        "inskickad",
    ),
    "POST lås upp A": Vy(
        "POST",
        "changelist",
        "A",
        {"action": "las_upp", "bekrafta": "1", "motivering": "Fel antal nya"},
        "godkand",
    ),
    "POST registrerad A": Vy(
        "POST", "changelist", "A", {"action": "markera_registrerade"}, "godkand"
    ),
}
LOSENORDSVYER = {
    "lösenord A": Vy("GET", "password_change", "A"),
    "lösenord B": Vy("GET", "password_change", "B"),
    "POST lösenord A": Vy("POST", "password_change", "A"),
}

# fmt: off
#: The admin is the kansli's (vu, chef, a superuser): the styrelse, with is_staff set like the
#: kansli's, and the insatsansvarig are sent to the admin's login (AL) on every row below, and
#: its login page refuses them (permissions.kan_oppna_admin).
#:
#: The förbund's data: the kansli writes, each in their förbund.
#: A 200 on "POST ny"/"POST ändra A" is the form again with its errors (the door is open);
#: "POST åtgärd A" is "delete selected" in the list, which finds nothing of ours in the
#: utomstående's list (INGET).
FORBUNDETS_DATA = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":             (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":        (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ta bort B":      (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "historik B":     (AL,   404,  404,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ändra A":   (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "POST ta bort A": (AL,   OK,   OK,   AL,   AL,   IX,   OK,   AL,   AL,   AL),
    "POST åtgärd A":  (AL,   OK,   OK,   AL,   AL,   INGET, OK,   AL,   AL,   AL),
}
#: Written and deleted only through a service (registrering.admin.bas.GenomTjanst), one at a
#: time: the list offers no "delete selected" (200: the list again).
GENOM_TJANST = {
    **FORBUNDETS_DATA,
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: Justeringar: the förbund's data through a service.
JUSTERINGAR = {
    **GENOM_TJANST,
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":        (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: The months: the förbund's data, and the workflow's actions for the kansli only (the
#: utomstående's list has them, but our month is not in it).
MANADSRAPPORTER = {
    **GENOM_TJANST,
    #                      anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    # The workflow's actions are offered, "delete selected" is not: back to the list, unchanged.
    "POST åtgärd A":      (AL,   INGET, INGET, AL,   AL,   INGET, INGET, AL,   AL,   AL),
    "POST godkänn A":     (AL,   OK,   OK,   AL,   AL,   INGET, OK,   AL,   AL,   AL),
    "POST returnera A":   (AL,   OK,   OK,   AL,   AL,   INGET, OK,   AL,   AL,   AL),
    "POST lås upp A":     (AL,   OK,   OK,   AL,   AL,   INGET, OK,   AL,   AL,   AL),
    "POST registrerad A": (AL,   OK,   OK,   AL,   AL,   INGET, OK,   AL,   AL,   AL),
}
#: The year's bilaga: saved, never deleted, by anyone (no "delete selected" either). Its year
#: is shown read-only on its page, not a field: the kansli's empty post is a valid save that
#: changes nothing (the superuser's lacks the förbund).
ARSBILAGOR = {
    **FORBUNDETS_DATA,
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "POST ändra A":   (AL,   INGET, INGET, AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: An enkät (question set): saved through its service, never deleted (its rounds keep their
#: answers), by anyone; no "delete selected" either.
ENKATER = {
    **GENOM_TJANST,
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: A year's key figures (outcomes and effects): saved through their service, never deleted
#: (a year keeps the figures it was computed with), by anyone; no "delete selected" either.
NYCKELTAL = {
    **GENOM_TJANST,
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
}
#: A breakdown (avslutade per anledning, nya per huvudman, ingående balans per huvudman): read
#: here, written and deleted only in its parent's form, by anyone.
FORDELNINGAR = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":             (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":        (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "historik B":     (AL,   404,  404,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ändra A":   (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: The förbund itself: the kansli edits its texts, only a superuser adds or deletes one (and
#: not ours, whose users protect it: 200 is the page that says so).
FORBUNDEN = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":             (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":        (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "historik B":     (AL,   404,  404,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ändra A":   (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: Users: the kansli sees its förbund's users, only a superuser manages them.
ANVANDARE = {
    #                   anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":           (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":              (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ändra A":         (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":         (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":       (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ta bort B":       (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "historik A":      (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "historik B":      (AL,   404,  404,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":         (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ändra A":    (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ta bort A":  (AL,   403,  403,  AL,   AL,   403,  OK,   AL,   AL,   AL),
    "POST åtgärd A":   (AL,   200,  200,  AL,   AL,   200,  OK,   AL,   AL,   AL),
    "lösenord A":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "lösenord B":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST lösenord A": (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
}
#: The national målgrupper, shared by every förbund (A and B are the same rows): read-only for
#: everyone.
NATIONELLA = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":             (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ändra B":        (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "historik B":     (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ändra A":   (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: The audit log: read-only for everyone, each förbund its own rows.
ANDRINGSLOGGEN = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "ny":             (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ändra A":        (AL,   200,  200,  AL,   AL,   IX,   200,  AL,   AL,   AL),
    "ändra B":        (AL,   IX,   IX,   AL,   AL,   200,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "historik A":     (AL,   200,  200,  AL,   AL,   404,  200,  AL,   AL,   AL),
    "historik B":     (AL,   404,  404,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ändra A":   (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  403,  AL,   AL,   AL),
    "POST åtgärd A":  (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
#: Django's groups (the roles and their permissions), shared: a superuser's only.
GRUPPER = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "lista":          (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ny":             (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ändra A":        (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ändra B":        (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ta bort A":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "ta bort B":      (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "historik A":     (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "historik B":     (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ny":        (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ändra A":   (AL,   403,  403,  AL,   AL,   403,  200,  AL,   AL,   AL),
    "POST ta bort A": (AL,   403,  403,  AL,   AL,   403,  OK,   AL,   AL,   AL),
    "POST åtgärd A":  (AL,   403,  403,  AL,   AL,   403,  OK,   AL,   AL,   AL),
}
#: Import (with its preview; "POST import" is the confirming step that writes, here with an
#: empty form and so no preview of the session's own: back to the import form) and export, on
#: every admin that has them: the kansli only. The status page of a queued import
#: (registrering.importuppgifter) is the uploader's only: 404 for everyone else.
IMPORT_EXPORT = {
    #                  anon  vu    chef  ansv  styr  utom  supr  sys   samo  asam
    "import":         (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
    "POST import":    (AL,   IF,   IF,   AL,   AL,   IF,   IF,   AL,   AL,   AL),
    "importstatus":   (AL,   200,  404,  AL,   AL,   404,  404,  AL,   AL,   AL),
    "export":         (AL,   200,  200,  AL,   AL,   200,  200,  AL,   AL,   AL),
}
# fmt: on

PROFIL: dict[str, dict[str, tuple[Svar, ...]]] = {
    "auth.group": GRUPPER,
    "registrering.forbund": FORBUNDEN,
    "registrering.user": ANVANDARE,
    "registrering.malgrupp": NATIONELLA,
    "registrering.auditentry": ANDRINGSLOGGEN,
    "registrering.medlem": GENOM_TJANST,
    "registrering.befolkning": GENOM_TJANST,
    "registrering.huvudman": GENOM_TJANST,
    "registrering.insatsgrupp": FORBUNDETS_DATA,
    "registrering.insats": GENOM_TJANST,
    "registrering.avslutsanledning": GENOM_TJANST,
    "registrering.manadsrapport": MANADSRAPPORTER,
    "registrering.avslutadeperanledning": FORDELNINGAR,
    "registrering.nyaperhuvudman": FORDELNINGAR,
    "registrering.ingaendebalans": GENOM_TJANST,
    "registrering.ingaendebalanshuvudman": FORDELNINGAR,
    "registrering.justering": JUSTERINGAR,
    "registrering.arstotal": GENOM_TJANST,
    "registrering.budgeteradvolym": GENOM_TJANST,
    "registrering.enkat": ENKATER,
    "registrering.enkatfraga": FORBUNDETS_DATA,
    "registrering.svarsalternativ": FORBUNDETS_DATA,
    "registrering.enkattillfalle": FORBUNDETS_DATA,
    "registrering.enkatsvar": GENOM_TJANST,
    "registrering.kommentar": GENOM_TJANST,
    "registrering.arsbilaga": ARSBILAGOR,
    "registrering.verksamhetsplan": GENOM_TJANST,
    "registrering.kostnadspost": GENOM_TJANST,
    "registrering.utfall": GENOM_TJANST,
    "registrering.utfallsmal": GENOM_TJANST,
    "registrering.effektnyckeltal": NYCKELTAL,
    "registrering.ersattningsnyckeltal": NYCKELTAL,
    "registrering.inkomstnyckeltal": NYCKELTAL,
    "registrering.forflyttning": GENOM_TJANST,
    "registrering.skickadpaminnelse": ANDRINGSLOGGEN,  # the reminders' log: read-only too
    "registrering.medfinansiering": GENOM_TJANST,
}


def _admin_rader() -> Iterator[tuple[str, str, Vy, tuple[Svar, ...]]]:
    """(model, row, view, answers) for every model of the admin's registry."""
    for model, model_admin in admin.site._registry.items():
        etikett = model._meta.label_lower
        profil = PROFIL.get(etikett)
        if profil is None:
            yield etikett, "saknar rad i PROFIL", Vy("GET", "changelist"), ()
            continue
        vyer = dict(VYER)
        if etikett == "registrering.manadsrapport":
            vyer |= MANADSVYER
        if isinstance(model_admin, ImportExportMixin):
            vyer |= IMPORTVYER
            profil = {**profil, **IMPORT_EXPORT}
        app, namn = etikett.split(".")
        if any(
            getattr(u, "name", "") == f"{app}_{namn}_password_change"
            for u in model_admin.get_urls()
        ):
            vyer |= LOSENORDSVYER
        for rad, vy in vyer.items():
            yield etikett, rad, vy, profil.get(rad, ())


def _admin_rutor() -> list[Any]:
    result = []
    for etikett, namn, vy, svar in _admin_rader():
        if len(svar) != len(PERSONER):
            saknas = Ruta("-", 0, (etikett, vy))
            result.append(pytest.param(saknas, id=f"admin|{etikett}|{namn}|saknas"))
            continue
        result += rutor("admin", f"{etikett}|{namn}", svar, (etikett, vy))
    return result


#: The full names of the förbund, which the admin of a model that chooses another förbund
#: (FORBUNDSVAL) shows as its choices: they are not checked there (FREMMANDE still catches any
#: other förbund's data, e.g. "Annanstans insats").
FORBUNDSNAMN = tuple(
    f"Samordningsförbundet {namn}" for namn in ("Testbygden", "Annanstans", "Tredjeby", "Fjärran")
)
#: Co-financing: any other förbund of the installation may co-finance (the finansiär's choices),
#: and a row names its co-financier.
FORBUNDSVAL = {"registrering.medfinansiering"}


def _objekt(varld: Varld, etikett: str, vilket: str, nyckel: str = "") -> Any:
    return varld.objekt[vilket][nyckel or etikett.split(".")[1]]


@pytest.mark.parametrize("ruta", _admin_rutor())
def test_admin(db, varld, ruta):
    etikett, vy = ruta.rad
    assert ruta.persona != "-", f"{etikett}: skriv modellens svar i PROFIL (och IMPORT_EXPORT)"
    app, modell = etikett.split(".")
    lista = reverse(f"admin:{app}_{modell}_changelist")
    data = dict(vy.data)
    if vy.namn == "importjobb":
        jobb_id = "a" * 32
        importuppgifter.jobb_skapa(
            jobb_id, user=varld.anvandare["verksamhetsutvecklare"], modell=etikett, filnamn="x.csv"
        )
        adress = reverse(f"admin:{app}_{modell}_{vy.namn}", args=[jobb_id])
    elif vy.objekt is None:
        adress = reverse(f"admin:{app}_{modell}_{vy.namn}")
    elif vy.namn == "changelist":
        adress = lista
        data["_selected_action"] = [_objekt(varld, etikett, vy.objekt, vy.nyckel).pk]
        data["index"] = "0"
    else:
        pk = _objekt(varld, etikett, vy.objekt).pk
        adress = reverse(f"admin:{app}_{modell}_{vy.namn}", args=[pk])
    tillatna = FORBUNDSNAMN if etikett in FORBUNDSVAL else ()
    response = kontrollera(varld, ruta, vy.metod, adress, data, lista, tillatna)
    if vy.namn == "changelist" and vy.metod == "GET" and response.status_code == 200:
        # The list shows exactly the rows of the persona's förbund (a superuser's: all).
        synliga = {o.pk for o in response.context["cl"].result_list}
        vart, deras = (_objekt(varld, etikett, x) for x in "AB")
        if vart == deras:  # shared by every förbund: the national lists, the groups
            assert vart.pk in synliga
        else:
            ser_vart = ruta.persona in EGNA or ruta.persona == "superuser"
            ser_deras = ruta.persona in ("utomstaende", "superuser")
            assert (vart.pk in synliga, deras.pk in synliga) == (ser_vart, ser_deras)


# fmt: off
ADMINSIDOR: dict[str, tuple[Svar, ...]] = {
    #                                       anon vu   chef ansv styr utom supr sys  samo asam
    # The login page: a logged-in user without the admin is refused in the product's 403 page
    # (not asked to log in as someone else); the kansli is sent on to the admin's start page
    # (IX here: a 302 to /admin/).
    "/admin/login/":                       (200, IX,  IX,  403, 403, IX,  IX,  403, 403, 403),
    "/admin/":                             (AL,  200, 200, AL,  AL,  200, 200, AL,  AL,  AL),
    "/admin/registrering/":                (AL,  200, 200, AL,  AL,  200, 200, AL,  AL,  AL),
    # The auth app has only the groups, a superuser's: for the others it does not exist.
    "/admin/auth/":                        (AL,  404, 404, AL,  AL,  404, 200, AL,  AL,  AL),
    "/admin/password_change/":             (AL,  200, 200, AL,  AL,  200, 200, AL,  AL,  AL),
    "/admin/jsi18n/":                      (AL,  200, 200, AL,  AL,  200, 200, AL,  AL,  AL),
    # The insats field of a month: each förbund's own insatser only.
    "/admin/autocomplete/?app_label=registrering&model_name=manadsrapport&field_name=insats":
                                           (AL,  200, 200, AL,  AL,  200, 200, AL,  AL,  AL),
}
# fmt: on


@pytest.mark.parametrize(
    "ruta",
    [r for adress, svar in ADMINSIDOR.items() for r in rutor("adminsida", adress, svar, adress)],
)
def test_adminsida(db, varld, ruta):
    kontrollera(varld, ruta, "GET", ruta.rad, {}, "")


def test_annat_forbunds_id_besvaras_som_ett_id_som_inte_finns(db, varld):
    """IX above is no leak: the admin answers another förbund's object exactly as an id that
    does not exist."""
    klient = varld.klienter["verksamhetsutvecklare"]
    deras = klient.get(
        reverse("admin:registrering_insats_change", args=[varld.insatser["deras"].pk])
    )
    ingen = klient.get(reverse("admin:registrering_insats_change", args=[999_999]))
    assert deras.status_code == ingen.status_code == 302
    assert deras["Location"] == ingen["Location"] == reverse("admin:index")
    meddelanden = [
        re.sub(r"\d+", "N", str(m)) for m in klient.get(reverse("admin:index")).context["messages"]
    ]
    assert len(set(meddelanden)) == 1, meddelanden
