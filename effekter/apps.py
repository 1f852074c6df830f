from django.apps import AppConfig


class EffekterConfig(AppConfig):
    """Outcomes and socio-economic effects' read side: what the insatser led to and what it was
    worth. The computation is the pure module `effekter.modell`; its default key figures are in
    `effekter.nyckeltal`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "effekter"
    verbose_name = "Resultat och effekter"
