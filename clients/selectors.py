"""Reads about clients and contacts: which records may be the same company or person."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Model, Q
from django.db.models.functions import Lower

from sonitec.models import DuplicateStatus
from sonitec.normalise import company_key, domain_from_url, normalise_email, phone_key, trigram_similarity

from .models import Client, ClientDuplicate, Contact, ContactDuplicate

NAME_SIMILARITY_MIN = 0.6
SUGGESTION_LIMIT = 10


@dataclass
class Suggestion:
    record: Model
    reasons: list[str] = field(default_factory=list)
    confidence: int = 0

    def add(self, reason: str, confidence: int) -> None:
        self.reasons.append(reason)
        # Independent evidence: 1 − Π(1 − c).
        self.confidence = round(100 - (100 - self.confidence) * (100 - confidence) / 100)


def _dismissed(pair_model: type[ClientDuplicate] | type[ContactDuplicate], record_id: int | None) -> set[int]:
    if record_id is None:
        return set()
    pairs = pair_model.objects.filter(
        Q(first_id=record_id) | Q(second_id=record_id), status=DuplicateStatus.NOT_DUPLICATE
    ).values_list("first_id", "second_id")
    return {other for pair in pairs for other in pair if other != record_id}


def _get(data: Mapping[str, Any] | Model, name: str) -> str:
    value = getattr(data, name, "") if isinstance(data, Model) else data.get(name)
    return str(value or "")


def client_duplicates(*, data: Mapping[str, Any] | Client, exclude_id: int | None = None) -> list[Suggestion]:
    """Clients that may be the company described: same website domain, or a similar name."""
    if exclude_id is None and isinstance(data, Client):
        exclude_id = data.pk
    queryset = Client.objects.exclude(pk__in=_dismissed(ClientDuplicate, exclude_id))
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    found: dict[int, Suggestion] = {}
    if domain := domain_from_url(_get(data, "website")):
        for client in queryset.filter(domain=domain)[:SUGGESTION_LIMIT]:
            found.setdefault(client.pk, Suggestion(client)).add("same website domain", 90)
    name = _get(data, "name").strip()
    if name:
        candidates: Any
        if connection.vendor == "postgresql":
            candidates = queryset.filter(name__trigram_similar=name).annotate(s=TrigramSimilarity("name", name))
            candidates = candidates.order_by("-s", "id")[:SUGGESTION_LIMIT]
        else:
            candidates = queryset.only("id", "name")  # clients are counted in thousands at most
        for client in candidates:
            if company_key(client.name) == company_key(name):
                found.setdefault(client.pk, Suggestion(client)).add("same name", 80)
                continue
            similarity = trigram_similarity(client.name, name)
            if similarity >= NAME_SIMILARITY_MIN:
                found.setdefault(client.pk, Suggestion(client)).add(f"similar name ({similarity:.0%})", 60)
    return sorted(found.values(), key=lambda s: (-s.confidence, s.record.pk))[:SUGGESTION_LIMIT]


def contact_duplicates(*, data: Mapping[str, Any] | Contact, exclude_id: int | None = None) -> list[Suggestion]:
    """Contacts that may be the person described: the same email (any case) or the same phone."""
    if exclude_id is None and isinstance(data, Contact):
        exclude_id = data.pk
    queryset = Contact.objects.exclude(pk__in=_dismissed(ContactDuplicate, exclude_id))
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    email, phone = normalise_email(_get(data, "email")), phone_key(_get(data, "phone"))
    match = Q(pk__in=[])
    if email:
        match |= Q(email_lower=email)
    if phone:
        match |= Q(phone=phone)
    found: dict[int, Suggestion] = {}
    rows = queryset.annotate(email_lower=Lower("email")).filter(match).select_related("client")[:SUGGESTION_LIMIT]
    for contact in rows:
        suggestion = found.setdefault(contact.pk, Suggestion(contact))
        if email and contact.email.lower() == email:
            suggestion.add("same email address", 100)
        if phone and contact.phone == phone:
            suggestion.add("same phone number", 85)
    return sorted(found.values(), key=lambda s: (-s.confidence, s.record.pk))
