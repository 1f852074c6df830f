"""The monthly work in the browser: start pages, the månadsöversikt, the month form, the
workflow (send in, return, approve, unlock, registered). The year start is `balansvyer`'s.

Each view checks permission, validates, calls a service and responds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registrering import (
    granskning,
    manadsliggare,
    manadssida,
    permissions,
    regler,
    selectors,
    services,
)
from registrering.audit import historik
from registrering.checklista import checklista
from registrering.forms import (
    JusteringForm,
    LasUppForm,
    ManadForm,
    OversiktFilterForm,
    RegistreradForm,
    ReturneraForm,
    service_fel_pa_falt,
)
from registrering.kalender import (
    MANADER,
    datum_svenskt,
    manaden_har_slutat,
    sista_rapportdag,
)
from registrering.ledger import Kon
from registrering.models import (
    Avslutsanledning,
    Huvudman,
    IngaendeBalans,
    Insats,
    Justering,
    Manadsrapport,
    User,
)
from registrering.permissions import Roll
from registrering.services._stod import MED_FORDELNINGAR


def idag() -> dt.date:
    return timezone.localdate()


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    roller = permissions.roller(request.user)
    if request.user.is_superuser or roller & permissions.ADMINISTRERANDE:
        return redirect("registrering:oversikt")
    if Roll.INSATSANSVARIG in roller:
        return redirect("registrering:mina_insatser")
    if Roll.STYRELSE in roller:
        return redirect("rapporter:mal")
    if Roll.SAMORDNARE in roller:
        return redirect("samverkan:index")
    if permissions.kan_hantera_forbund(request.user):
        # The systemadministratör (no förbund's figures): the installation's förbund.
        return redirect("system:index")
    raise PermissionDenied("Ditt konto har ingen roll. Kontakta förbundets verksamhetsutvecklare.")


@login_required
@require_GET
def mina_insatser(request: HttpRequest, ar: int | None = None) -> HttpResponse:
    """The insatsansvarig's year: the months that wait for them first, then every month of
    each of their insatser with its state and a link."""
    user = permissions.inloggad(request)
    forbund = permissions.forbund_for_user(user)
    if Roll.INSATSANSVARIG not in permissions.roller(user):
        raise PermissionDenied("Sidan är för insatsansvariga.")
    dag = idag()
    data = selectors.mina_insatser(user=user, forbund=forbund, ar=ar or dag.year, idag=dag)
    return render(
        request,
        "registrering/mina_insatser.html",
        {"data": data, "forbund": forbund, "innevarande_ar": dag.year},
    )


@login_required
@require_GET
def oversikt(request: HttpRequest, ar: int | None = None) -> HttpResponse:
    forbund = permissions.forbund_for_user(request.user)
    if not permissions.kan_se_forbund(request.user, forbund):
        raise PermissionDenied
    roller = permissions.roller(request.user)
    if Roll.STYRELSE in roller and not (request.user.is_superuser or roller - {Roll.STYRELSE}):
        raise PermissionDenied("Styrelsen följer arbetet på målsidan och i rapporterna.")
    dag = idag()
    ar = ar or dag.year
    grupper = list(forbund.insatsgrupper.order_by("namn"))
    filter_form = OversiktFilterForm(request.GET or None, grupper=grupper)
    grupp, inriktning = None, ""
    if filter_form.is_valid():
        grupp = filter_form.cleaned_data["grupp"]
        inriktning = filter_form.cleaned_data["inriktning"]
    user = permissions.inloggad(request)
    kansli = permissions.kan_administrera(user, forbund)
    # The kansli sees every insats: the grid, the data quality and Kom igång share one read.
    arets = list(selectors.insatser_i_oversikt(user, forbund, ar)) if kansli else None
    data = selectors.manadsoversikt(
        user=user,
        forbund=forbund,
        ar=ar,
        idag=dag,
        grupp=grupp,
        inriktning=inriktning,
        grupper=grupper,
        arets_insatser=arets,
    )
    kvalitet = (
        selectors.datakvalitet(
            forbund=forbund, ar=ar, med_forra_december=True, idag=dag, arets_insatser=arets
        )
        if kansli
        else None
    )
    # The kansli is pointed to "Kom igång" while the year lacks something essential.
    kom_igang = (
        checklista(forbund=forbund, ar=ar, arets_insatser=arets, bara_vasentliga=True)
        if kansli
        else None
    )
    return render(
        request,
        "registrering/oversikt.html",
        {
            "data": data,
            "forbund": forbund,
            "filter_form": filter_form,
            "kvalitet": kvalitet,
            "kom_igang": kom_igang,
            "foregaende_ar": ar - 1,
            "nasta_ar": ar + 1,
            "rapportdag": forbund.rapportdag,
            "status_text": selectors.STATUS_TEXT,
        },
    )


def _formularets_rader(insats: Insats) -> None:
    """The avslutsanledningar of the insats and the huvudmän of its förbund, in the form's
    order, prefetched on the insats and its förbund: the form and the rules of the save
    (`services.manad_fel`) read them from there, once."""
    prefetch_related_objects(
        [insats],
        Prefetch(
            "avslutsanledningar",
            queryset=Avslutsanledning.objects.order_by("uppsattning", "ordning", "namn"),
        ),
    )
    prefetch_related_objects(
        [insats.forbund], Prefetch("huvudman", queryset=Huvudman.objects.order_by("ordning"))
    )


def _manad_kontext(
    request: HttpRequest, insats: Insats, ar: int, manad: int
) -> tuple[Manadsrapport | None, dict[str, Any]]:
    _formularets_rader(insats)
    rapport = (
        Manadsrapport.objects.filter(insats=insats, ar=ar, manad=manad)
        .select_related("inskickad_av", "godkand_av", "registrerad_av")
        .prefetch_related(*MED_FORDELNINGAR)
        .first()
    )
    dag = idag()
    kan_rapportera = permissions.kan_rapportera(request.user, insats)
    kan_godkanna = permissions.kan_godkanna(request.user, insats.forbund)
    status = rapport.status if rapport else selectors.SAKNAS
    stangd = regler.manad_redigerbar(
        insats=insats,
        ar=ar,
        manad=manad,
        status=rapport.status if rapport else None,
        idag=dag,
        kan_godkanna=kan_godkanna,
    )
    kontext = {
        "insats": insats,
        "ar": ar,
        "manad": manad,
        "manad_namn": MANADER[manad],
        "rapport": rapport,
        "status": status,
        "status_text": selectors.STATUS_TEXT[status],
        "anledningar": list(insats.avslutsanledningar.all()),
        "huvudman": list(insats.forbund.huvudman.all()),
        "kan_rapportera": kan_rapportera,
        "kan_godkanna": kan_godkanna,
        "redigerbar": kan_rapportera and not stangd,
        "historik": historik(rapport, Manadsrapport),
        "start": manadsliggare.pagaende_vid_manadens_start(insats_id=insats.pk, ar=ar, manad=manad)
        if not insats.ar_volyminsats
        else Kon(),
        "balans_bekraftad": manad != 1
        or insats.ar_volyminsats
        or IngaendeBalans.objects.filter(insats=insats, ar=ar).exists(),
        "sista_dag": sista_rapportdag(ar, manad, insats.forbund.rapportdag),
        "har_slutat": manaden_har_slutat(ar, manad, dag),
        "justeringar": list(
            Justering.objects.filter(insats=insats, ar=ar, manad=manad).select_related("skapad_av")
        )
        if not insats.ar_volyminsats
        else [],
        "justering_form": JusteringForm(prefix="justering", initial={"kvinnor": 0, "man": 0}),
        "returnera_form": ReturneraForm(prefix="retur"),
        "las_upp_form": LasUppForm(prefix="upplasning"),
        "registrerad_form": RegistreradForm(prefix="registrerad", initial={"datum": dag}),
        **granskning.sparat_formular(request, rapport),
        "tillbaka": reverse("registrering:oversikt_ar", args=[ar])
        if kan_godkanna
        else reverse("registrering:mina_insatser"),
    }
    return rapport, kontext


def _spara_manad(
    request: HttpRequest, insats: Insats, ar: int, manad: int, form: ManadForm
) -> Manadsrapport | None:
    """Save the valid form through the service, or put every error on the form: the fields'
    own and the rules' for the rest, in one round. The saved month, or None."""
    user = permissions.inloggad(request)
    skicka_in = "skicka_in" in request.POST
    if not form.is_valid():
        fel = services.manadsrapport_fel(
            user=user,
            insats=insats,
            ar=ar,
            manad=manad,
            uppgifter=form.uppgifter(),
            skicka_in=skicka_in,
            idag=idag(),
        )
        if fel:
            form.add_service_errors(regler.som_fel(fel))
        return None
    try:
        return services.manadsrapport_spara(
            user=user,
            insats=insats,
            ar=ar,
            manad=manad,
            # A post without the version it was opened with cannot show that nobody saved in
            # between: it counts as opened before the month existed.
            version=form.cleaned_data["version"] or 0,
            idag=idag(),
            skicka_in=skicka_in,
            **form.service_kwargs(),
        )
    except services.SamtidigAndring:
        raise
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def manad(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    insats = permissions.insats_for_user(request.user, pk)
    if request.method == "POST":
        return _manad_post(request, insats, ar, manad)
    rapport, kontext = _manad_kontext(request, insats, ar, manad)
    form = ManadForm(initial=manadssida.initial(rapport), **_formularets_kwargs(insats))
    if kontext["redigerbar"] and rapport is not None:
        form.visa_brister(
            services.manad_brister(
                insats=insats, uppgifter=services.Manadsuppgifter.fran_rapport(rapport)
            )
        )
    kontext["form"] = form
    manadssida.visa_slut(kontext, form, rapport)
    return render(request, "registrering/manad.html", kontext)


def _formularets_kwargs(insats: Insats) -> dict[str, Any]:
    _formularets_rader(insats)
    return {
        "insats": insats,
        "anledningar": list(insats.avslutsanledningar.all()),
        "huvudman": list(insats.forbund.huvudman.all()),
    }


def _manad_post(request: HttpRequest, insats: Insats, ar: int, manad: int) -> HttpResponse:
    """Save the month and go back to it; the page itself is read only when the save was
    refused (after the refusal, as nothing was written)."""
    if not permissions.kan_rapportera(request.user, insats):
        raise PermissionDenied("Du kan inte rapportera den här insatsen.")
    form_kwargs = _formularets_kwargs(insats)
    form = ManadForm(request.POST, **form_kwargs)
    samtidig = None
    try:
        ny = _spara_manad(request, insats, ar, manad, form)
    except services.SamtidigAndring as exc:
        samtidig = {"andringar": beskriv_andringar_dict(exc.andringar), "rapport": exc.rapport}
        data = request.POST.copy()
        data["version"] = str(exc.rapport.version)
        form = ManadForm(data, **form_kwargs)
        form.is_valid()
    else:
        if ny is not None:
            messages.success(request, manadssida.sparad_text(insats, ar, manad, ny, form))
            return redirect("registrering:manad", pk=insats.pk, ar=ar, manad=manad)
    rapport, kontext = _manad_kontext(request, insats, ar, manad)
    if samtidig is not None:
        kontext["samtidig"] = samtidig
    kontext["form"] = form
    manadssida.visa_slut(kontext, form, rapport)
    return render(
        request, "registrering/manad.html", kontext, status=400 if samtidig is None else 409
    )


def beskriv_andringar_dict(andringar: dict[str, list[Any]]) -> list[dict[str, Any]]:
    from registrering.audit import beskriv

    return beskriv(andringar, Manadsrapport)


def _rapport_for(request: HttpRequest, pk: int, ar: int, manad: int) -> Manadsrapport:
    insats = permissions.insats_for_user(request.user, pk)
    if not permissions.kan_godkanna(request.user, insats.forbund):
        raise PermissionDenied("Bara verksamhetsutvecklare och förbundschef kan granska.")
    rapport = Manadsrapport.objects.filter(insats=insats, ar=ar, manad=manad).first()
    if rapport is None:
        raise Http404("Månaden är inte rapporterad.")
    return rapport


def _utfor(
    request: HttpRequest,
    rapport: Manadsrapport,
    steg: Callable[[User], Manadsrapport],
    klart: str,
) -> HttpResponse:
    """One step of the workflow through its service, then back to the month."""
    try:
        steg(permissions.inloggad(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = f"{rapport.insats.namn}, {MANADER[rapport.manad]} {rapport.ar}"
        messages.success(request, f"{text} {klart}")
    return redirect("registrering:manad", pk=rapport.insats_id, ar=rapport.ar, manad=rapport.manad)


def _visa_med_fel(
    request: HttpRequest, pk: int, ar: int, manad: int, **formular: Any
) -> HttpResponse:
    insats = permissions.insats_for_user(request.user, pk)
    rapport, kontext = _manad_kontext(request, insats, ar, manad)
    kontext.update(formular)
    kontext["form"] = ManadForm(
        initial=manadssida.initial(rapport),
        insats=insats,
        anledningar=kontext["anledningar"],
        huvudman=kontext["huvudman"],
    )
    manadssida.visa_slut(kontext, kontext["form"], rapport)
    return render(request, "registrering/manad.html", kontext, status=400)


@login_required
@require_POST
def godkann(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    rapport = _rapport_for(request, pk, ar, manad)
    namn = f"{rapport.insats.namn}, {MANADER[rapport.manad]} {rapport.ar}"
    try:
        services.manadsrapport_godkann(user=permissions.inloggad(request), rapport=rapport)
    except ValidationError as exc:
        messages.error(request, f"{namn} kan inte godkännas än: {' '.join(exc.messages)}")
    else:
        messages.success(
            request,
            format_html(
                "{} är godkänd och låst. {}", namn, granskning.nasta_text(request, rapport)
            ),
        )
    return redirect("registrering:manad", pk=rapport.insats_id, ar=rapport.ar, manad=rapport.manad)


@login_required
@require_POST
def returnera(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    rapport = _rapport_for(request, pk, ar, manad)
    form = ReturneraForm(request.POST, prefix="retur")
    if not form.is_valid():
        return granskning.tillbaka_med_fel(request, rapport, "retur")
    return _utfor(
        request,
        rapport,
        lambda user: services.manadsrapport_returnera(
            user=user, rapport=rapport, kommentar=form.cleaned_data["kommentar"]
        ),
        "är returnerad till den insatsansvariga.",
    )


@login_required
@require_POST
def las_upp(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    rapport = _rapport_for(request, pk, ar, manad)
    form = LasUppForm(request.POST, prefix="upplasning")
    if not form.is_valid():
        return granskning.tillbaka_med_fel(request, rapport, "upplasning")
    return _utfor(
        request,
        rapport,
        lambda user: services.manadsrapport_las_upp(
            user=user, rapport=rapport, anledning=form.cleaned_data["anledning"]
        ),
        "är upplåst och kan rättas.",
    )


@login_required
@require_POST
def registrerad(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    rapport = _rapport_for(request, pk, ar, manad)
    form = RegistreradForm(request.POST, prefix="registrerad")
    if not form.is_valid():
        return granskning.tillbaka_med_fel(request, rapport, "registrerad")
    datum = form.cleaned_data["datum"]
    return _utfor(
        request,
        rapport,
        lambda user: services.manadsrapport_markera_registrerad(
            user=user, rapport=rapport, datum=datum
        ),
        f"är markerad som registrerad i Uppföljning Finsam {datum_svenskt(datum)}.",
    )


@login_required
@require_POST
def justering(request: HttpRequest, pk: int, ar: int, manad: int) -> HttpResponse:
    """A headcount that disagrees with the flow, recorded as a visible justering of the month."""
    insats = permissions.insats_for_user(request.user, pk)
    if not permissions.kan_administrera(request.user, insats.forbund):
        raise PermissionDenied("Justeringar görs av verksamhetsutvecklaren eller förbundschefen.")
    if insats.ar_volyminsats:
        raise Http404("En volyminsats har inga pågående deltagare att justera.")
    form = JusteringForm(request.POST, prefix="justering")
    if form.is_valid():
        try:
            services.justering_skapa(
                user=permissions.inloggad(request),
                insats=insats,
                ar=ar,
                manad=manad,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            service_fel_pa_falt(form, exc, {"manad": None})
        else:
            messages.success(
                request, f"Justeringen av {insats.namn}, {MANADER[manad]} {ar} är sparad."
            )
            return redirect("registrering:manad", pk=pk, ar=ar, manad=manad)
    return _visa_med_fel(request, pk, ar, manad, justering_form=form)
