from django.apps import AppConfig


class EnkaterConfig(AppConfig):
    """Surveys' read side and pages: managing rounds, the public answer page, results and the
    Indikatorer report. The models, rules and services are in `registrering`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "enkater"
    verbose_name = "Enkäter"
