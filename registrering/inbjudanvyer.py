"""The invitation's page (/konton/inbjudan/<uidb64>/<token>/): the invited person chooses a
password and is logged in. Django's PasswordResetConfirmView does the token's part (it moves the
token from the address into the session before the form is shown, so it never leaks in a
Referer); the password is set by the service `inbjudan_acceptera`, which writes the audit row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy

from registrering import inbjudan
from registrering.models import User
from registrering.services.anvandare import inbjudan_acceptera

LOSENORDSBACKEND = "django.contrib.auth.backends.ModelBackend"


class ValjLosenordForm(SetPasswordForm):
    """Django's form with the password validators, in our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Välj lösenord"
        self.fields["new_password2"].label = "Skriv lösenordet igen"
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = "Lösenorden är inte likadana."

    def save(self, commit: bool = True) -> Any:  # the service sets it (and audits)
        return self.user


class Inbjudan(PasswordResetConfirmView):
    template_name = "registration/inbjudan.html"
    form_class = ValjLosenordForm
    success_url = reverse_lazy("start")
    title = "Välj lösenord"

    def get_user(self, uidb64: str) -> Any:
        konto = super().get_user(uidb64)
        # A switched-off account's link is dead, like a used one.
        return konto if isinstance(konto, User) and konto.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        konto: User = form.user
        inbjudan_acceptera(konto=konto, losenord=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if LOSENORDSBACKEND in settings.AUTHENTICATION_BACKENDS:
            login(self.request, konto, LOSENORDSBACKEND)
            messages.success(self.request, "Ditt lösenord är valt. Välkommen!")
            return HttpResponseRedirect(self.get_success_url())
        messages.success(self.request, "Ditt lösenord är valt. Logga in.")
        return redirect("login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dagar"] = inbjudan.giltig_dagar()
        context["konto"] = self.user if self.validlink else None
        return context
