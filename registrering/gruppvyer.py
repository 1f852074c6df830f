"""The systemadministratör's pages for groups of förbund (issue 14, point 4), under
/system/grupper/: create a group, change its names, förbund and samordnare, and create a
samordnare's account. The pages show no figures: the joint report is `samverkan`'s."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from registrering.models import Forbund, Forbundsgrupp, User
from registrering.permissions import Roll, inloggad, systemadministrator_kravs
from registrering.services.samverkan import (
    forbundsgrupp_spara,
    samordnare_bjud_in,
    samordnare_satt,
)


def _samordnarkonton() -> QuerySet[User]:
    return User.objects.filter(groups__name=Roll.SAMORDNARE, forbund__isnull=True).order_by(
        "first_name", "last_name", "username"
    )


class GruppForm(forms.Form):
    """The fields only: the rules are `samverkansregler`'s, asked by the services."""

    namn = forms.CharField(label="Namn", max_length=200, required=False)
    kortnamn = forms.CharField(
        label="Kortnamn",
        max_length=40,
        required=False,
        help_text="Används i adressen: små bokstäver a–z, siffror och bindestreck, "
        "t.ex. ”jonkopings-lan”.",
    )
    forbund = forms.ModelMultipleChoiceField(
        label="Förbund",
        queryset=Forbund.objects.order_by("namn"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ett förbund kan vara med i flera grupper.",
    )
    samordnare = forms.ModelMultipleChoiceField(
        label="Samordnare",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Konton med rollen samordnare. De ser gruppens sammanställda, godkända "
        "siffror men inget enskilt förbunds ej godkända.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        falt = self.fields["samordnare"]
        assert isinstance(falt, forms.ModelMultipleChoiceField)
        falt.queryset = _samordnarkonton()


class SamordnareForm(forms.Form):
    fornamn = forms.CharField(label="Förnamn", max_length=150, required=False)
    efternamn = forms.CharField(label="Efternamn", max_length=150, required=False)
    epost = forms.CharField(
        label="E-post",
        max_length=254,
        required=False,
        help_text="Blir också kontots användarnamn.",
    )


def _spara_grupp(request: HttpRequest, grupp: Forbundsgrupp | None, form: GruppForm) -> bool:
    """Save through the services; their rules' messages go to the form's fields."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        sparad = forbundsgrupp_spara(
            user=inloggad(request),
            grupp=grupp,
            namn=data["namn"],
            kortnamn=data["kortnamn"],
            forbund=data["forbund"],
        )
        samordnare_satt(user=inloggad(request), grupp=sparad, samordnare=data["samordnare"])
    except ValidationError as fel:
        form.add_error(None, fel)
        return False
    messages.success(request, f"Gruppen {sparad.namn} är sparad.")
    return True


@systemadministrator_kravs
@require_http_methods(["GET", "POST"])
def grupper(request: HttpRequest) -> HttpResponse:
    """Every group, and a form for a new one."""
    form = GruppForm(request.POST or None)
    if request.method == "POST" and _spara_grupp(request, None, form):
        return redirect("grupper:lista")
    lista = Forbundsgrupp.objects.prefetch_related("forbund", "samordnare").order_by("namn")
    return render(
        request,
        "registrering/grupper.html",
        {"grupper": lista, "form": form},
        status=400 if form.errors else 200,
    )


@systemadministrator_kravs
@require_http_methods(["GET", "POST"])
def grupp(request: HttpRequest, pk: int) -> HttpResponse:
    """One group: its names, förbund and samordnare, and a new samordnare's account."""
    post = get_object_or_404(Forbundsgrupp, pk=pk)
    initial = {
        "namn": post.namn,
        "kortnamn": post.kortnamn,
        "forbund": list(post.forbund.all()),
        "samordnare": list(post.samordnare.all()),
    }
    form = GruppForm(request.POST or None, initial=initial)
    if request.method == "POST" and _spara_grupp(request, post, form):
        return redirect("grupper:grupp", pk=post.pk)
    return render(
        request,
        "registrering/grupp.html",
        {"grupp": post, "form": form, "samordnarform": SamordnareForm(prefix="ny")},
        status=400 if form.errors else 200,
    )


@systemadministrator_kravs
@require_POST
def samordnare_ny(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a new samordnare for the group by e-mail."""
    post = get_object_or_404(Forbundsgrupp, pk=pk)
    samordnarform = SamordnareForm(request.POST, prefix="ny")
    if samordnarform.is_valid():
        try:
            konto = samordnare_bjud_in(
                user=inloggad(request),
                grupp=post,
                fornamn=samordnarform.cleaned_data["fornamn"],
                efternamn=samordnarform.cleaned_data["efternamn"],
                epost=samordnarform.cleaned_data["epost"],
            )
        except ValidationError as fel:
            samordnarform.add_error(None, fel)
        else:
            messages.success(
                request,
                f"{konto.get_full_name()} är inbjuden som samordnare för {post.namn}: "
                f"en inbjudan har skickats till {konto.email}.",
            )
            return redirect("grupper:grupp", pk=post.pk)
    form = GruppForm(
        initial={
            "namn": post.namn,
            "kortnamn": post.kortnamn,
            "forbund": list(post.forbund.all()),
            "samordnare": list(post.samordnare.all()),
        }
    )
    return render(
        request,
        "registrering/grupp.html",
        {"grupp": post, "form": form, "samordnarform": samordnarform},
        status=400,
    )


app_name = "grupper"

urlpatterns = [
    path("", grupper, name="lista"),
    path("<int:pk>/", grupp, name="grupp"),
    path("<int:pk>/samordnare/", samordnare_ny, name="samordnare_ny"),
]
