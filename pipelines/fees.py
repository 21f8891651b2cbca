"""Fee, guarantee and rebate calculations: the one place the agency's money rules live.

Pure functions over Decimal (never float), so the placement service, the demo data and the tests all get
the same figures.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from roles.models import FeeType, RebatePolicy, Role

CENT = Decimal("0.01")


def to_cent(amount: Decimal) -> Decimal:
    """Money rounds half-up to the cent, as the agency invoices: 0.005 becomes 0.01, never the banker's 0.00."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class FeeTerms:
    """The terms a placement is charged on, after falling back from the role to the client's defaults."""

    fee_type: str
    currency: str
    fee_percent: Decimal | None
    flat_fee: Decimal | None
    guarantee_days: int
    rebate_policy: str


def fee_terms_for_role(role: Role) -> FeeTerms:
    """The role's fee terms; blank fields fall back to the client's defaults. Raise if no fee can be charged."""
    guarantee_days = role.guarantee_days
    if guarantee_days is None:
        guarantee_days = role.client.default_guarantee_days or 0
    if role.fee_type == FeeType.FLAT:
        if role.flat_fee is None:
            raise ValidationError(
                f"The role “{role.title}” has a flat fee type but no flat fee: set the flat fee on the role's "
                "fee terms (or switch it to a percent fee).",
                code="no_fee_terms",
            )
        return FeeTerms(FeeType.FLAT, role.currency, None, role.flat_fee, guarantee_days, role.rebate_policy)
    percent = role.fee_percent if role.fee_percent is not None else role.client.default_fee_percent
    if percent is None:
        raise ValidationError(
            f"No fee terms for “{role.title}”: set a fee percent or a flat fee on the role, or a default fee "
            f"percent on the client “{role.client}”.",
            code="no_fee_terms",
        )
    return FeeTerms(FeeType.PERCENT, role.currency, percent, None, guarantee_days, role.rebate_policy)


def fee_amount(*, terms: FeeTerms, agreed_salary: Decimal | None) -> Decimal:
    """Percent × agreed first-year salary, or the flat fee; rounded half-up to the cent."""
    if terms.fee_type == FeeType.FLAT:
        assert terms.flat_fee is not None  # fee_terms_for_role refuses a flat fee type without an amount
        return to_cent(terms.flat_fee)
    if agreed_salary is None:
        raise ValidationError(
            {"agreed_salary": ValidationError("A percent fee needs the agreed first-year salary.", code="required")}
        )
    if agreed_salary <= 0:
        raise ValidationError(
            {"agreed_salary": ValidationError("The agreed salary must be more than zero.", code="salary_invalid")}
        )
    assert terms.fee_percent is not None  # fee_terms_for_role falls back to the client or refuses
    return to_cent(Decimal(agreed_salary) * Decimal(terms.fee_percent) / 100)


def guarantee_end(*, start_date: datetime.date, guarantee_days: int) -> datetime.date:
    return start_date + datetime.timedelta(days=guarantee_days)


def rebate_amount(
    *, fee: Decimal, rebate_policy: str, start_date: datetime.date, guarantee_days: int, ended_on: datetime.date
) -> Decimal:
    """What the agency owes back when a placement ends on `ended_on`.

    Nothing once the guarantee has passed (or when there is none). Inside it: the whole fee under a full
    rebate; under pro-rata, the share of the guarantee period the person did not work. A person who never
    started (ended on or before the start date) earns a full rebate either way.
    """
    days_worked = max((ended_on - start_date).days, 0)  # ending before the start date is never starting
    if guarantee_days <= 0 or days_worked > guarantee_days:
        return Decimal("0.00")
    if rebate_policy == RebatePolicy.FULL:
        return to_cent(fee)
    unworked = Decimal(guarantee_days - days_worked) / Decimal(guarantee_days)
    return to_cent(Decimal(fee) * unworked)
