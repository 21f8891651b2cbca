"""Clients and contacts: the duplicate warning, the merge page and the "Possible duplicates" lists
(sonitec/admin_merge.py)."""

from typing import Any

from django.contrib import admin

from sonitec.admin_merge import DuplicatePairAdmin, DuplicatesAdminMixin, Suggestion

from ..merging import client_merge, client_merge_fields, contact_merge, contact_merge_fields
from ..models import Client, ClientDuplicate, Contact, ContactDuplicate
from ..selectors import client_duplicates, contact_duplicates
from ..services import client_duplicates_refresh, contact_duplicates_refresh


def find_client_duplicates(data: Any, exclude_id: int | None) -> list[Suggestion]:
    return [(s.record, s.reasons, s.confidence) for s in client_duplicates(data=data, exclude_id=exclude_id)]


def find_contact_duplicates(data: Any, exclude_id: int | None) -> list[Suggestion]:
    return [(s.record, s.reasons, s.confidence) for s in contact_duplicates(data=data, exclude_id=exclude_id)]


def refresh_client_duplicates(client: Client) -> int:
    return client_duplicates_refresh(client=client)


def refresh_contact_duplicates(contact: Contact) -> int:
    return contact_duplicates_refresh(contact=contact)


class ClientDuplicatesMixin(DuplicatesAdminMixin):
    duplicate_finder = find_client_duplicates
    duplicates_refresh = refresh_client_duplicates
    merge_service = client_merge
    merge_fields = client_merge_fields


class ContactDuplicatesMixin(DuplicatesAdminMixin):
    duplicate_finder = find_contact_duplicates
    duplicates_refresh = refresh_contact_duplicates
    merge_service = contact_merge
    merge_fields = contact_merge_fields


@admin.register(ClientDuplicate)
class ClientDuplicateAdmin(DuplicatePairAdmin):
    pass


@admin.register(ContactDuplicate)
class ContactDuplicateAdmin(DuplicatePairAdmin):
    list_select_related = ["first__client", "second__client"]  # a contact is shown with its client
