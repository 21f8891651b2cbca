"""`{{ amount|money:currency }}`: the one way templates write money (see sonitec.money)."""

from django import template

from ..money import money_format

register = template.Library()


@register.filter
def money(amount, currency: str = "GBP") -> str:
    return money_format(amount, currency)
