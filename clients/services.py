"""Rules about clients and their contacts: finding the existing record before creating another."""

from sonitec.normalise import FREE_MAIL_DOMAINS

from .models import Client, Contact


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
