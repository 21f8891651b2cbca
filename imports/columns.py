"""Turning one spreadsheet cell into a field value, or a clear message saying why it cannot be one."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from sonitec.normalise import normalise_email, normalise_phone

Converter = Callable[[str], Any]


def text(max_length: int) -> Converter:
    def convert(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(f"is longer than {max_length} characters")
        return value

    return convert


EMAIL_VALIDATOR = EmailValidator()
URL_VALIDATOR = URLValidator()


def email(value: str) -> str:
    value = normalise_email(value)
    if value:
        try:
            EMAIL_VALIDATOR(value)
        except ValidationError as error:
            raise ValidationError(f"“{value}” is not a valid email address") from error
    return value


def phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as error:
        raise ValidationError(f"“{value}” is not a valid phone number (e.g. +44 7700 900123)") from error


def url(value: str) -> str:
    if not value:
        return ""
    if "//" not in value:
        value = f"https://{value}"
    try:
        URL_VALIDATOR(value)
    except ValidationError as error:
        raise ValidationError(f"“{value}” is not a valid web address") from error
    return value


def choice(choices: Iterable[tuple[str, str]]) -> Converter:
    """A value of the field's choices, given as the stored value or the label shown, in any letter case."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value

    def convert(value: str) -> str:
        if not value:
            return ""
        try:
            return lookup[value.lower()]
        except KeyError:
            allowed = ", ".join(sorted({v for v in lookup.values()}))
            raise ValidationError(f"“{value}” is not one of: {allowed}") from None

    return convert


def decimal(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "").replace("£", "").replace("$", "").replace("€", ""))
    except InvalidOperation:
        raise ValidationError(f"“{value}” is not a number") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"“{value}” must be a number of 0 or more")
    return number


def whole_number(value: str) -> int | None:
    if not value:
        return None
    try:
        number = int(Decimal(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"“{value}” is not a whole number") from None
    if number < 0 or number > 32767:
        raise ValidationError(f"“{value}” must be between 0 and 32767")
    return number


def date(value: str) -> datetime.date | None:
    if not value:
        return None
    value = value[:10]
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"“{value}” is not a date (use YYYY-MM-DD)") from None


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("", "0", "no", "n", "false", "f"):
        return False
    if lowered in ("1", "yes", "y", "true", "t"):
        return True
    raise ValidationError(f"“{value}” is not yes or no")


def named(lookup: Mapping[str, Any], what: str) -> Converter:
    """One object found by its name or slug (lookup keys are lower-cased names and slugs)."""

    def convert(value: str) -> Any:
        if not value:
            return None
        try:
            return lookup[value.lower()]
        except KeyError:
            raise ValidationError(f"unknown {what} “{value}”") from None

    return convert


def named_list(lookup: Mapping[str, Any], what: str) -> Converter:
    """Several objects by name or slug, separated by commas or semicolons; all unknown ones named in one message."""

    def convert(value: str) -> list[Any]:
        names = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        unknown = [name for name in names if name.lower() not in lookup]
        if unknown:
            raise ValidationError(f"unknown {what}: {', '.join(unknown)}")
        found = []
        for name in names:
            item = lookup[name.lower()]
            if item not in found:
                found.append(item)
        return found

    return convert
