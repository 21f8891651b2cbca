from django.apps import AppConfig


class SonitecConfig(AppConfig):
    name = "sonitec"
    verbose_name = "Sonitec"

    def ready(self) -> None:
        # Imported here, as Django asks: the module's receivers name models, which exist only once apps are loaded.
        from sonitec.auth_cache import connect_signals

        connect_signals()
