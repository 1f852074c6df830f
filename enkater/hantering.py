"""The verksamhetsutvecklare's survey pages: the förbund's enkäter and rounds, a new round,
closing and reopening, a round's public link and QR code, paper counts, and the questions.

The kansli (verksamhetsutvecklare, förbundschef) manages; the styrelse sees the rounds; an
insatsansvarig sees their own insatser's rounds and prints their QR code and poster
(`enkater.affisch`). Every write goes through a service of `registrering.services`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enkater.hantering_formular import FragaForm, PappersvarForm, TillfalleForm
from enkater.qr import publik_lank
from enkater.selectors import inlamnade_per_tillfalle
from registrering import permissions, regler, services
from registrering.forms import service_fel_pa_falt
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkattillfalle,
    Forbund,
    Respondentgrupp,
    Svarsalternativ,
)
from registrering.permissions import Roll

#: The survey pages: every role of the förbund (each sees its own part).
ser_enkater = permissions.forbund_kravs(
    permissions.kan_se_forbund, "Enkäterna är för förbundets kansli, styrelse och insatser."
)


@dataclass(frozen=True)
class Tillfallesrad:
    """A round as a row of the list."""

    tillfalle: Enkattillfalle
    lank: str
    status: str
    oppen: bool
    kan_skriva_ut: bool
    inlamnade: int | None = None


def tillfallets_status(tillfalle: Enkattillfalle, idag: dt.date) -> tuple[str, bool]:
    """The round's state in words, and whether its link takes answers today
    (`regler.enkat_tar_emot`, the rule the answer page asks)."""
    if tillfalle.stangd:
        return "Stängd", False
    fel = regler.enkat_tar_emot(tillfalle, idag)
    if fel:
        return fel[0].text, False
    return "Öppen", True


@require_GET
@ser_enkater
def hantering(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The förbund's enkäter and their rounds: for the kansli with what it manages, for the
    styrelse to read, for an insatsansvarig only their own insatser's rounds."""
    user = request.user
    hanterar = permissions.kan_administrera(user, forbund)
    tillfallen = Enkattillfalle.objects.filter(forbund=forbund).select_related("enkat", "insats")
    if not permissions.kan_se_rapporter(user, forbund):
        # An insatsansvarig: their own insatser's rounds (a training's round has no insats).
        tillfallen = tillfallen.filter(insats__in=permissions.insatser_for_user(user, forbund))
    idag = timezone.localdate()
    ansvarig = Roll.INSATSANSVARIG in permissions.roller(user)
    lista = list(tillfallen.order_by("-datum", "namn"))
    # The kansli manages the counts; anyone else sees a round's forms as the results do, not
    # below the minimum n nor where the year's total would give them away.
    inlamnade = (
        {t.pk: t.antal_svar for t in lista}
        if hanterar
        else inlamnade_per_tillfalle(
            forbund=forbund,
            tillfallen=lista,
            omfang=permissions.enkatresultat_insatser(user, forbund),
        )
    )
    rader: dict[int | None, list[Tillfallesrad]] = {}
    for t in lista:
        status, oppen = tillfallets_status(t, idag)
        rader.setdefault(t.enkat_id, []).append(
            Tillfallesrad(
                tillfalle=t,
                lank=publik_lank(t),
                status=status,
                oppen=oppen,
                kan_skriva_ut=hanterar or ansvarig,
                inlamnade=inlamnade[t.pk],
            )
        )
    enkater = Enkat.objects.filter(forbund=forbund).annotate(
        antal_fragor=Count("fragor", filter=Q(fragor__aktiv=True))
    )
    grupper: list[tuple[Enkat | None, list[Tillfallesrad]]] = [
        (e, rader.get(e.pk, [])) for e in enkater if hanterar or e.pk in rader
    ]
    if None in rader:
        grupper.append((None, rader[None]))
    return render(
        request,
        "enkater/hantering.html",
        {
            "grupper": grupper,
            "hanterar": hanterar,
            "ser_indikatorer": permissions.kan_se_rapporter(user, forbund),
            "min_n": settings.FINSAM_ENKAT_MIN_N,
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def tillfalle_ny(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """A new round: the service gives a round on the link its random key."""
    form = TillfalleForm(request.POST or None, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tillfalle = services.enkattillfalle_skapa(
                user=permissions.inloggad(request),
                forbund=forbund,
                enkat=data["enkat"],
                respondentgrupp=data["respondentgrupp"],
                insats=data["insats"],
                namn=data["namn"],
                datum=data["datum"],
                slutdatum=data["slutdatum"],
                kalla=data["kalla"],
            )
        except ValidationError as error:
            service_fel_pa_falt(form, error)
        else:
            messages.success(request, f"Enkättillfället ”{tillfalle.namn}” är skapat.")
            return redirect("enkater:tillfalle", pk=tillfalle.pk)
    return render(request, "enkater/hantering_ny.html", {"form": form})


def _fragor_for(tillfalle: Enkattillfalle) -> list[Enkatfraga]:
    """The questions the round asks: its enkät's active ones for its group (or for everyone)."""
    if tillfalle.enkat_id is None:
        return []
    return list(
        Enkatfraga.objects.filter(enkat_id=tillfalle.enkat_id, aktiv=True)
        .filter(Q(respondentgrupp=tillfalle.respondentgrupp) | Q(respondentgrupp=""))
        .prefetch_related(
            Prefetch("alternativ", queryset=Svarsalternativ.objects.order_by("ordning", "pk"))
        )
        .order_by("ordning", "pk")
    )


def _tillfallessida(
    request: HttpRequest, tillfalle: Enkattillfalle, form: PappersvarForm, status: int = 200
) -> HttpResponse:
    text, oppen = tillfallets_status(tillfalle, timezone.localdate())
    return render(
        request,
        "enkater/hantering_tillfalle.html",
        {
            "tillfalle": tillfalle,
            "lank": publik_lank(tillfalle),
            "status": text,
            "oppen": oppen,
            "form": form,
        },
        status=status,
    )


@require_GET
@login_required
def tillfalle(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: its public link and QR code, closing and reopening, and the paper counts."""
    t = permissions.enkattillfalle_for_user(request.user, pk)
    return _tillfallessida(request, t, PappersvarForm(fragor=_fragor_for(t)))


@require_POST
@login_required
def pappersvar(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the counts of a bundle of paper forms; on an error nothing is saved and the form
    comes back with the messages at their fields."""
    t = permissions.enkattillfalle_for_user(request.user, pk)
    form = PappersvarForm(request.POST, fragor=_fragor_for(t))
    if form.is_valid():
        try:
            services.enkat_pappersvar(
                user=permissions.inloggad(request),
                tillfalle=t,
                antal_formular=form.cleaned_data["antal_formular"],
                antal=form.antal(),
            )
        except ValidationError as error:
            _pappersfel(form, error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['antal_formular']} pappersformulär har lagts till.",
            )
            return redirect("enkater:tillfalle", pk=t.pk)
    return _tillfallessida(request, t, form)


def _pappersfel(form: PappersvarForm, error: ValidationError) -> None:
    """A service's errors on the paper form: an option's on its field (`alternativ_<pk>`), a
    question's on its first option, the number of forms on its own."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    falt: dict[str, str | None] = {}
    for fraga in form.fragor:
        alternativ = list(fraga.alternativ.all())
        for a in alternativ:
            falt[f"alternativ_{a.pk}"] = form.faltnamn(a)
        if alternativ:
            falt[f"fraga_{fraga.pk}"] = form.faltnamn(alternativ[0])
    service_fel_pa_falt(form, error, falt)


@require_POST
@login_required
def stang(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the round: the link takes no more answers."""
    return _stang_eller_oppna(request, pk, stang=True)


@require_POST
@login_required
def oppna(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed round."""
    return _stang_eller_oppna(request, pk, stang=False)


def _stang_eller_oppna(request: HttpRequest, pk: int, *, stang: bool) -> HttpResponse:
    t = permissions.enkattillfalle_for_user(request.user, pk)
    tjanst = services.enkattillfalle_stang if stang else services.enkattillfalle_oppna
    try:
        tjanst(user=permissions.inloggad(request), tillfalle=t)
    except ValidationError as error:
        for meddelande in error.messages:
            messages.error(request, meddelande)
    else:
        messages.success(
            request,
            f"Enkättillfället är {'stängt' if stang else 'öppnat igen'}.",
        )
    return redirect("enkater:tillfalle", pk=t.pk)


# --- Questions ---------------------------------------------------------------------------------


@require_GET
@permissions.administrerar
def fragor(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The questions per enkät and respondent group, with indicator and scale."""
    enkater = Enkat.objects.filter(forbund=forbund).prefetch_related(
        Prefetch(
            "fragor",
            queryset=Enkatfraga.objects.filter(aktiv=True)
            .annotate(antal_svar=Count("alternativ__svar"))
            .prefetch_related(
                Prefetch("alternativ", queryset=Svarsalternativ.objects.order_by("ordning"))
            )
            .order_by("respondentgrupp", "indikator", "ordning", "pk"),
        )
    )
    gruppnamn = dict(Respondentgrupp.choices)
    sektioner = []
    for enkat in enkater:
        per_grupp: dict[str, list[Enkatfraga]] = {}
        for fraga in enkat.fragor.all():
            per_grupp.setdefault(fraga.respondentgrupp, []).append(fraga)
        sektioner.append(
            (
                enkat,
                [
                    (gruppnamn.get(grupp, "Alla som svarar"), lista)
                    for grupp, lista in per_grupp.items()
                ],
            )
        )
    return render(request, "enkater/hantering_fragor.html", {"sektioner": sektioner})


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def fraga_ny(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """A förbund's own question."""
    return _fragesida(request, forbund, None)


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def fraga_andra(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    """Change a question; one with answers gets a new version and keeps its answers."""
    fraga = get_object_or_404(
        Enkatfraga.objects.select_related("enkat").prefetch_related(
            Prefetch("alternativ", queryset=Svarsalternativ.objects.order_by("ordning"))
        ),
        pk=pk,
        forbund=forbund,
    )
    return _fragesida(request, forbund, fraga)


def _fragesida(request: HttpRequest, forbund: Forbund, fraga: Enkatfraga | None) -> HttpResponse:
    form = FragaForm(request.POST or None, forbund=forbund, fraga=fraga)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sparad = services.enkatfraga_spara(
                user=permissions.inloggad(request),
                fraga=fraga,
                enkat=data["enkat"],  # a new version's is its question's (a disabled field)
                text=data["text"],
                respondentgrupp=data["respondentgrupp"],
                indikator=data["indikator"],
                alternativ=form.alternativ(),
                malfraga=data["malfraga"],
            )
        except ValidationError as error:
            service_fel_pa_falt(form, error, {"alternativ": "alternativ_1"})
        else:
            ny_version = fraga is not None and sparad.pk != fraga.pk
            messages.success(
                request,
                f"Frågan är sparad som version {sparad.version}; svaren på den förra "
                "versionen finns kvar."
                if ny_version
                else "Frågan är sparad.",
            )
            return redirect(f"{reverse('enkater:fragor')}#fraga-{sparad.pk}")
    har_svar = fraga is not None and fraga.alternativ.filter(svar__antal__gt=0).exists()
    return render(
        request,
        "enkater/hantering_fraga.html",
        {"form": form, "fraga": fraga, "har_svar": har_svar},
    )
