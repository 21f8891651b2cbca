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


def test_terms_carry_everything_a_placement_is_charged_on():
    role = factories.RoleFactory(
        fee_percent=Decimal("22.50"),
        guarantee_days=30,
        currency="USD",
        rebate_policy=RebatePolicy.FULL,
        client__default_fee_percent=Decimal("18"),
        client__default_guarantee_days=60,
    )
    assert fees.fee_terms_for_role(role) == fees.FeeTerms(
        fee_type=FeeType.PERCENT,
        currency="USD",
        fee_percent=Decimal("22.50"),
        flat_fee=None,
        guarantee_days=30,  # the role's own guarantee wins over the client's default
        rebate_policy=RebatePolicy.FULL,
    )
    flat = factories.RoleFactory(fee_type=FeeType.FLAT, flat_fee=Decimal("9000"), guarantee_days=None, currency="EUR")
    assert fees.fee_terms_for_role(flat) == fees.FeeTerms(
        fee_type=FeeType.FLAT,
        currency="EUR",
        fee_percent=None,
        flat_fee=Decimal("9000"),
        guarantee_days=90,  # the client's default
        rebate_policy=RebatePolicy.PRO_RATA,
    )


def test_missing_terms_are_refused_with_a_code_and_where_to_set_them():
    role = factories.RoleFactory(
        title="Data Lead", fee_percent=None, client__name="Acme Robotics", client__default_fee_percent=None
    )
    with pytest.raises(ValidationError) as error:
        fees.fee_terms_for_role(role)
    assert error.value.code == "no_fee_terms"
    assert error.value.messages == [
        "No fee terms for “Data Lead”: set a fee percent or a flat fee on the role, or a default fee percent on "
        "the client “Acme Robotics”."
    ]
    flat = factories.RoleFactory(title="Edge AI Lead", fee_type=FeeType.FLAT, flat_fee=None)
    with pytest.raises(ValidationError) as error:
        fees.fee_terms_for_role(flat)
    assert error.value.code == "no_fee_terms"
    assert error.value.messages == [
        "The role “Edge AI Lead” has a flat fee type but no flat fee: set the flat fee on the role's fee terms "
        "(or switch it to a percent fee)."
    ]


@pytest.mark.parametrize(
    ("salary", "code", "message"),
    [
        (None, "required", "A percent fee needs the agreed first-year salary."),
        (Decimal("0"), "salary_invalid", "The agreed salary must be more than zero."),
        (Decimal("-50000"), "salary_invalid", "The agreed salary must be more than zero."),
    ],
)
def test_a_percent_fee_refuses_a_missing_or_non_positive_salary_on_the_salary_field(salary, code, message):
    terms = fees.fee_terms_for_role(factories.RoleFactory())
    with pytest.raises(ValidationError) as error:
        fees.fee_amount(terms=terms, agreed_salary=salary)
    assert error.value.message_dict == {"agreed_salary": [message]}
    assert [e.code for e in error.value.error_dict["agreed_salary"]] == [code]


def test_any_salary_above_zero_is_charged():
    terms = fees.fee_terms_for_role(factories.RoleFactory(fee_percent=Decimal("20")))
    assert fees.fee_amount(terms=terms, agreed_salary=Decimal("0.05")) == Decimal("0.01")


# Agencies invoice to the penny and round half-up: a fee or rebate of exactly half a cent rounds up, never to the
# even cent (Decimal's default, "banker's rounding").
@pytest.mark.parametrize(
    ("percent", "salary", "expected"),
    [
        ("22.5", "100001", "22500.23"),  # 22,500.225
        ("20", "100000.025", "20000.01"),  # 20,000.005
        ("20", "100000.075", "20000.02"),  # 20,000.015: half-even would give the same, half-down would not
        ("15", "33333.33", "5000.00"),  # 4,999.9995
    ],
)
def test_a_percent_fee_rounds_half_a_cent_up(percent, salary, expected):
    terms = fees.fee_terms_for_role(factories.RoleFactory(fee_percent=Decimal(percent)))
    assert fees.fee_amount(terms=terms, agreed_salary=Decimal(salary)) == Decimal(expected)


def test_a_flat_fee_rounds_half_a_cent_up():
    terms = fees.fee_terms_for_role(factories.RoleFactory(fee_type=FeeType.FLAT, flat_fee=Decimal("12000.005")))
    assert fees.fee_amount(terms=terms, agreed_salary=None) == Decimal("12000.01")


@pytest.mark.parametrize(
    ("policy", "fee", "days_worked", "guarantee_days", "expected"),
    [
        (RebatePolicy.PRO_RATA, "100.01", 1, 2, "50.01"),  # 50.005: half of the fee, rounded half-up
        (RebatePolicy.PRO_RATA, "100.03", 1, 2, "50.02"),  # 50.015
        (RebatePolicy.FULL, "100.005", 10, 90, "100.01"),
        (RebatePolicy.PRO_RATA, "100.005", 0, 90, "100.01"),  # never started: the whole fee
    ],
)
def test_a_rebate_rounds_half_a_cent_up(policy, fee, days_worked, guarantee_days, expected):
    rebate = fees.rebate_amount(
        fee=Decimal(fee),
        rebate_policy=policy,
        start_date=START,
        guarantee_days=guarantee_days,
        ended_on=START + datetime.timedelta(days=days_worked),
    )
    assert rebate == Decimal(expected)


@pytest.mark.parametrize(
    ("policy", "days_worked", "guarantee_days", "expected"),
    [
        # No guarantee: nothing is owed, even for a person who never started.
        (RebatePolicy.FULL, 0, 0, "0.00"),
        (RebatePolicy.PRO_RATA, 0, 0, "0.00"),
        (RebatePolicy.PRO_RATA, -5, 0, "0.00"),
        # A one-day guarantee: the whole fee back if they never started, nothing once the day is worked.
        (RebatePolicy.PRO_RATA, 0, 1, "20000.00"),
        (RebatePolicy.PRO_RATA, 1, 1, "0.00"),
        (RebatePolicy.FULL, 1, 1, "20000.00"),
        (RebatePolicy.FULL, 2, 1, "0.00"),
        # One day worked of a 90-day guarantee: 89 of 90 days unworked.
        (RebatePolicy.PRO_RATA, 1, 90, "19777.78"),
        (RebatePolicy.FULL, 1, 90, "20000.00"),
        # The last day of the guarantee still counts as inside it.
        (RebatePolicy.PRO_RATA, 89, 90, "222.22"),
    ],
)
def test_rebate_at_the_edges_of_the_guarantee(policy, days_worked, guarantee_days, expected):
    rebate = fees.rebate_amount(
        fee=Decimal("20000.00"),
        rebate_policy=policy,
        start_date=START,
        guarantee_days=guarantee_days,
        ended_on=START + datetime.timedelta(days=days_worked),
    )
    assert rebate == Decimal(expected)
