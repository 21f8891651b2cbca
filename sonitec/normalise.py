"""Pure helpers that put contact details in one comparable form. No database, no domain imports.

"One person, one record" depends on comparing like with like: an email in any letter case, a phone typed with
spaces or a leading 0, a LinkedIn address with or without 'www.' or a trailing slash.
"""

import re
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

# Providers known to deliver "first.last+tag@gmail.com" to "firstlast@gmail.com": dots are ignored in the local
# part, and a "+tag" is a label on the same mailbox.
DOTS_IGNORED_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
PLUS_TAG_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "icloud.com",
        "me.com",
        "protonmail.com",
        "proton.me",
        "fastmail.com",
    }
)
# One mailbox with two domain names.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def normalise_email(email: str) -> str:
    """The address as stored and compared: trimmed and lower-cased."""
    return email.strip().lower()


def email_identity(email: str) -> str:
    """The mailbox an address reaches: 'Jane.Doe+jobs@GoogleMail.com' → 'janedoe@gmail.com'.

    Used only to spot duplicates; the address the person gave is what is stored and written to.
    """
    email = normalise_email(email)
    if "@" not in email:
        return email
    local, _, domain = email.rpartition("@")
    domain = DOMAIN_ALIASES.get(domain, domain)
    if domain in PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


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


E164 = re.compile(r"\+[1-9]\d{6,14}")


def phone_key(phone: str) -> str:
    """The E.164 form when the number parses, else '' (an unparseable number matches nothing)."""
    if E164.fullmatch(phone):
        return phone  # already normalised: parsing is the slow part of a large import
    try:
        return normalise_phone(phone)
    except ValidationError:
        return ""


def domain_from_url(url: str) -> str:
    """The host of a website address, lower-cased and without 'www.': 'https://www.Acme.ai/x' → 'acme.ai'."""
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


PROFILE_SITES = {"linkedin.com": 2, "github.com": 1}  # how many path segments name the person


def profile_key(url: str) -> str:
    """A LinkedIn or GitHub profile address in one form: 'https://uk.linkedin.com/in/Jane-Doe/?trk=x' →
    'linkedin.com/in/jane-doe', 'http://www.github.com/JaneDoe' → 'github.com/janedoe'. Other sites: ''.
    """
    url = url.strip()
    if not url:
        return ""
    host = domain_from_url(url)
    site = next((name for name in PROFILE_SITES if host == name or host.endswith(f".{name}")), None)
    if site is None:
        return ""
    path = urlsplit(url if "//" in url else f"//{url}").path
    segments = [segment for segment in path.lower().split("/") if segment]
    wanted = PROFILE_SITES[site]
    if len(segments) < wanted:
        return ""
    return "/".join([site, *segments[:wanted]])


def company_key(name: str) -> str:
    """A company or place name for comparison: lower case, single spaces, common suffixes dropped."""
    words = name.lower().replace(",", " ").replace(".", " ").split()
    while words and words[-1] in {"ltd", "limited", "inc", "llc", "plc", "gmbh", "sa", "bv", "co"}:
        words.pop()
    return " ".join(words)


def _trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(first: str, second: str) -> float:
    """Share of trigrams two strings have in common (0–1), computed as PostgreSQL's pg_trgm does."""
    a, b = _trigrams(first), _trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def clean_display_name(name: str) -> str:
    """A person's name made safe to show and to put in an email header: control characters (CR/LF, tabs) and
    invisible format characters (bidi overrides such as U+202E, zero-width spaces and joiners) are removed,
    runs of spaces collapse to one."""
    kept = "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in name)
    kept = "".join(char for char in kept if unicodedata.category(char) != "Cf")
    return " ".join(kept.split())
