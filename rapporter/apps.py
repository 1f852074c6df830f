from django.apps import AppConfig


class RapporterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rapporter"
    verbose_name = "Rapporter"

    def ready(self) -> None:
        from rapporter.signaler import varm_efter_andring
        from registrering.signaler import arets_data_andrad

        arets_data_andrad.connect(varm_efter_andring, dispatch_uid="rapporter.varm_efter_andring")
