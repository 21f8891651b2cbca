from clients.merging import client_merge, contact_merge
from clients.models import Client, Contact
from clients.selectors import client_duplicates, contact_duplicates
from sonitec.api.filters import UpdatedSinceFilterSet
from sonitec.api.merging import DuplicatesMergeMixin, merge_schema
from sonitec.api.views import StaffModelViewSet, staff_schema

from .serializers import (
    StaffClientSerializer,
    StaffContactSerializer,
)


class StaffClientFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Client
        fields = ["status", "industry", "account_owner", "updated_since"]


@staff_schema("clients")
@merge_schema("clients", model_label="Clients", record_serializer=StaffClientSerializer)
class StaffClientViewSet(DuplicatesMergeMixin, StaffModelViewSet):
    queryset = Client.objects.all()
    serializer_class = StaffClientSerializer
    filterset_class = StaffClientFilter
    duplicates_finder = staticmethod(client_duplicates)
    merge_service = staticmethod(client_merge)


class StaffContactFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Contact
        fields = ["client", "is_primary", "updated_since"]


@staff_schema("contacts")
@merge_schema("contacts", model_label="Contacts", record_serializer=StaffContactSerializer)
class StaffContactViewSet(DuplicatesMergeMixin, StaffModelViewSet):
    queryset = Contact.objects.select_related("client")
    serializer_class = StaffContactSerializer
    filterset_class = StaffContactFilter
    duplicates_finder = staticmethod(contact_duplicates)
    merge_service = staticmethod(contact_merge)
