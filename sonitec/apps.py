from django.apps import AppConfig


class SonitecConfig(AppConfig):
    name = "sonitec"
    verbose_name = "Sonitec"
