"""Rules about clients and their contacts: finding the existing record before creating another."""

from itertools import combinations

from django.db.models.functions import Lower

from sonitec.merging import SCAN_GROUP_MAX, combined, ordered_pair, pairs_record, pairs_sharing
from sonitec.normalise import FREE_MAIL_DOMAINS, company_key

from .models import Client, ClientDuplicate, Contact, ContactDuplicate
from .selectors import client_duplicates, contact_duplicates


def client_match(*, domain: str = "", name: str = "") -> Client | None:
    """The existing client with this website domain, else with this name (case-insensitively), else None."""
    domain = domain.lower().removeprefix("www.")
    if domain and domain not in FREE_MAIL_DOMAINS:
        client = Client.objects.filter(domain=domain).order_by("pk").first()
        if client is not None:
            return client
    name = name.strip()
    if name:
        return Client.objects.filter(name__iexact=name).order_by("pk").first()
    return None


def contact_find_or_create(*, client: Client, name: str, email: str, phone: str = "", job_title: str = "") -> Contact:
    contact = Contact.objects.filter(client=client, email__iexact=email).order_by("pk").first() if email else None
    if contact is None:
        contact = Contact.objects.create(
            client=client,
            name=name,
            email=email,
            phone=phone,
            job_title=job_title,
            is_primary=not client.contacts.filter(is_primary=True).exists(),
        )
    return contact


# --- Duplicates: the "Possible duplicates" lists (the rules are in selectors) ------------------------------------


def client_duplicates_scan() -> int:
    """Store every pair of clients with the same website domain or the same name (ignoring case and "Ltd", "Inc"
    …); returns how many pairs are new. Clients number in thousands, so names are compared in Python.
    """
    found: dict[tuple[int, int], list] = {}
    pairs_sharing(Client.objects.all(), "domain", ("same website domain", 90), found)
    by_name: dict[str, list[int]] = {}
    for pk, name in Client.objects.order_by("pk").values_list("pk", "name"):
        if key := company_key(name):
            by_name.setdefault(key, []).append(pk)
    for members in by_name.values():
        if len(members) <= SCAN_GROUP_MAX:
            for pair in combinations(members, 2):
                found.setdefault(pair, []).append(("same name", 80))
    return pairs_record(ClientDuplicate, {pair: combined(evidence) for pair, evidence in found.items()})


def contact_duplicates_scan() -> int:
    """Store every pair of contacts with the same email (any letter case) or phone; returns how many are new."""
    found: dict[tuple[int, int], list] = {}
    pairs_sharing(Contact.objects.annotate(email_ci=Lower("email")), "email_ci", ("same email address", 100), found)
    pairs_sharing(Contact.objects.all(), "phone", ("same phone number", 85), found)
    return pairs_record(ContactDuplicate, {pair: combined(evidence) for pair, evidence in found.items()})


def client_duplicates_refresh(*, client: Client) -> int:
    """Store the likely duplicates of one client (similar names included) in the "Possible duplicates" list."""
    return pairs_record(
        ClientDuplicate,
        {ordered_pair(client.pk, s.record.pk): (s.reasons, s.confidence) for s in client_duplicates(data=client)},
    )


def contact_duplicates_refresh(*, contact: Contact) -> int:
    """Store the likely duplicates of one contact in the "Possible duplicates" list."""
    return pairs_record(
        ContactDuplicate,
        {ordered_pair(contact.pk, s.record.pk): (s.reasons, s.confidence) for s in contact_duplicates(data=contact)},
    )
