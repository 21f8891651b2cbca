from clients.models import Client, Contact
from sonitec.api.filters import UpdatedSinceFilterSet
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
class StaffClientViewSet(StaffModelViewSet):
    queryset = Client.objects.all()
    serializer_class = StaffClientSerializer
    filterset_class = StaffClientFilter


class StaffContactFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Contact
        fields = ["client", "is_primary", "updated_since"]


@staff_schema("contacts")
class StaffContactViewSet(StaffModelViewSet):
    queryset = Contact.objects.select_related("client")
    serializer_class = StaffContactSerializer
    filterset_class = StaffContactFilter
