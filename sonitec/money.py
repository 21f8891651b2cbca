"""Money as the agency writes it everywhere: currency symbol, thousands separators, pence only when there are any."""

from decimal import Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money_format(amount: Decimal | float | int | None, currency: str = "GBP") -> str:
    """`£85,000`, `€1,250.50`, `−£300`; an unknown currency is written before the figure (`CHF 1,000`); None is "—"."""
    if amount is None or amount == "":
        return "—"
    value = Decimal(str(amount))
    sign = "−" if value < 0 else ""
    value = abs(value)
    figure = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    symbol = SYMBOLS.get(currency or "")
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{currency} {figure}".strip()
