"""Pure helpers that put contact details into one canonical form, so the same person or company compares equal."""

import unicodedata
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_PHONE_REGION = "GB"
# Addresses at these providers say nothing about the company, so they are never used to match a client.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
    }
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_phone(phone: str, *, region: str = DEFAULT_PHONE_REGION) -> str:
    """Return the number in E.164 form ('+447700900123'), or raise ValidationError if it is not a phone number."""
    phone = phone.strip()
    if not phone:
        return ""
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError("Enter a valid phone number, e.g. +44 7700 900123.", code="invalid_phone") from error
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError("Enter a valid phone number, e.g. +44 7700 900123.", code="invalid_phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def domain_from_url(url: str) -> str:
    """The host of a website address, lower-cased and without 'www.': 'https://www.Acme.ai/x' → 'acme.ai'."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def clean_display_name(name: str) -> str:
    """A person's name made safe to show and to put in an email header: control characters (CR/LF, tabs) and
    invisible format characters (bidi overrides such as U+202E, zero-width spaces and joiners) are removed,
    runs of spaces collapse to one."""
    kept = "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in name)
    kept = "".join(char for char in kept if unicodedata.category(char) != "Cf")
    return " ".join(kept.split())
