"""Fee, guarantee and rebate figures: the money rules in pipelines.fees."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pipelines import fees
from roles.models import FeeType, RebatePolicy
from tests import factories

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 3, 1)


def test_percent_of_salary_from_the_role():
    role = factories.RoleFactory(fee_percent=Decimal("22.50"), client__default_fee_percent=Decimal("18"))
    terms = fees.fee_terms_for_role(role)
    assert fees.fee_amount(terms=terms, agreed_salary=Decimal("101234.56")) == Decimal("22777.78")


def test_blank_role_terms_fall_back_to_the_client():
    role = factories.RoleFactory(
        fee_percent=None,
        guarantee_days=None,
        client__default_fee_percent=Decimal("18"),
        client__default_guarantee_days=60,
    )
    terms = fees.fee_terms_for_role(role)
    assert (terms.fee_percent, terms.guarantee_days) == (Decimal("18"), 60)
    assert fees.fee_amount(terms=terms, agreed_salary=Decimal("90000")) == Decimal("16200.00")


def test_no_guarantee_anywhere_means_zero_days():
    role = factories.RoleFactory(guarantee_days=None, client__default_guarantee_days=None)
    assert fees.fee_terms_for_role(role).guarantee_days == 0


def test_flat_fee_ignores_salary_and_keeps_the_roles_currency():
    role = factories.RoleFactory(fee_type=FeeType.FLAT, flat_fee=Decimal("12000"), currency="EUR")
    terms = fees.fee_terms_for_role(role)
    assert terms.currency == "EUR"
    assert fees.fee_amount(terms=terms, agreed_salary=None) == Decimal("12000.00")
    assert fees.fee_amount(terms=terms, agreed_salary=Decimal("250000")) == Decimal("12000.00")


def test_missing_terms_say_where_to_set_them():
    role = factories.RoleFactory(fee_percent=None, client__default_fee_percent=None)
    with pytest.raises(ValidationError, match="set a fee percent or a flat fee on the role"):
        fees.fee_terms_for_role(role)
    flat = factories.RoleFactory(fee_type=FeeType.FLAT, flat_fee=None)
    with pytest.raises(ValidationError, match="no flat fee"):
        fees.fee_terms_for_role(flat)


def test_a_percent_fee_needs_a_salary():
    terms = fees.fee_terms_for_role(factories.RoleFactory())
    with pytest.raises(ValidationError, match="salary"):
        fees.fee_amount(terms=terms, agreed_salary=None)


def test_guarantee_end_is_start_plus_days():
    assert fees.guarantee_end(start_date=START, guarantee_days=90) == datetime.date(2026, 5, 30)
    assert fees.guarantee_end(start_date=START, guarantee_days=0) == START


@pytest.mark.parametrize(
    ("policy", "ended_on", "guarantee_days", "expected"),
    [
        (RebatePolicy.FULL, START + datetime.timedelta(days=45), 90, "20000.00"),
        (RebatePolicy.PRO_RATA, START + datetime.timedelta(days=45), 90, "10000.00"),
        (RebatePolicy.PRO_RATA, START + datetime.timedelta(days=30), 90, "13333.33"),
        (RebatePolicy.PRO_RATA, START, 90, "20000.00"),  # never started
        (RebatePolicy.PRO_RATA, START - datetime.timedelta(days=3), 90, "20000.00"),  # pulled out before day one
        (RebatePolicy.PRO_RATA, START + datetime.timedelta(days=90), 90, "0.00"),  # last day of the guarantee
        (RebatePolicy.FULL, START + datetime.timedelta(days=90), 90, "20000.00"),
        (RebatePolicy.FULL, START + datetime.timedelta(days=91), 90, "0.00"),  # guarantee passed
        (RebatePolicy.FULL, START + datetime.timedelta(days=10), 0, "0.00"),  # no guarantee at all
    ],
)
def test_rebate(policy, ended_on, guarantee_days, expected):
    rebate = fees.rebate_amount(
        fee=Decimal("20000.00"),
        rebate_policy=policy,
        start_date=START,
        guarantee_days=guarantee_days,
        ended_on=ended_on,
    )
    assert rebate == Decimal(expected)
    assert isinstance(rebate, Decimal)
