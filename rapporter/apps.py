from django.apps import AppConfig


class RapporterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rapporter"
    verbose_name = "Rapporter"
