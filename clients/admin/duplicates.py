"""Clients and contacts: the duplicate warning, the merge page and the "Possible duplicates" lists."""

from typing import Any

from django.contrib import admin

from sonitec.admin_merge import DuplicateCheckForm, DuplicatePairAdmin, MergeAdminMixin, Suggestion
from sonitec.merging import duplicate_pair_dismiss

from ..merging import client_merge, client_merge_fields, contact_merge, contact_merge_fields
from ..models import Client, ClientDuplicate, Contact, ContactDuplicate
from ..selectors import client_duplicates, contact_duplicates
from ..services import client_duplicates_refresh, contact_duplicates_refresh


def find_client_duplicates(data: dict[str, Any], exclude_id: int | None) -> list[Suggestion]:
    return [(s.record, s.reasons, s.confidence) for s in client_duplicates(data=data, exclude_id=exclude_id)]


def find_contact_duplicates(data: dict[str, Any], exclude_id: int | None) -> list[Suggestion]:
    return [(s.record, s.reasons, s.confidence) for s in contact_duplicates(data=data, exclude_id=exclude_id)]


class ClientAdminForm(DuplicateCheckForm):
    duplicate_finder = find_client_duplicates

    class Meta:
        model = Client
        fields = "__all__"


class ContactAdminForm(DuplicateCheckForm):
    duplicate_finder = find_contact_duplicates

    class Meta:
        model = Contact
        fields = "__all__"


class ClientDuplicatesMixin(MergeAdminMixin):
    form = ClientAdminForm
    merge_service = client_merge
    merge_fields = client_merge_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        # What the recruiter chose to save anyway still goes on the "Possible duplicates" list.
        client_duplicates_refresh(client=obj)


class ContactDuplicatesMixin(MergeAdminMixin):
    form = ContactAdminForm
    merge_service = contact_merge
    merge_fields = contact_merge_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        contact_duplicates_refresh(contact=obj)


@admin.register(ClientDuplicate)
class ClientDuplicateAdmin(DuplicatePairAdmin):
    dismiss_service = duplicate_pair_dismiss


@admin.register(ContactDuplicate)
class ContactDuplicateAdmin(DuplicatePairAdmin):
    dismiss_service = duplicate_pair_dismiss
    list_select_related = ["first__client", "second__client"]  # a contact is shown with its client
