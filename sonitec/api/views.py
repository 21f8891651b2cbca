"""Base views: partner viewsets (scoped, throttled per key) and staff viewsets (model permissions)."""

import builtins

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets

from .authentication import PartnerKeyAuthentication, StaffSessionAuthentication
from .compiled import PageQuery
from .filters import QueryFilterBackend
from .idempotency import idempotent
from .permissions import PartnerScope, StaffModelPermissions, request_partner


class PartnerViewSet(viewsets.GenericViewSet):
    """A partner-only viewset; subclasses set `required_scopes = {action: scope}` and filter by `self.partner`."""

    authentication_classes: list[type] = [PartnerKeyAuthentication]
    permission_classes = [PartnerScope]

    @property
    def partner(self):
        return request_partner(self.request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A partner is not a user: keep it out of Django's request.user, which model history reads as the editor.
        request._request.user = AnonymousUser()


class RowListMixin(generics.GenericAPIView):
    """A list built from plain rows instead of model instances and field-by-field serialisation.

    `list_source(owner)` gives the unfiltered records of the list's owner (`list_owner()`: the calling partner, or
    None on staff lists), `list_values` their columns as `values()`, and `list_rows` turns a page of those rows
    into the same dicts the serializer would write (tests compare the two field by field); the serializer still
    documents the schema and serves the detail endpoint. A page with no filter asked for runs SQL compiled once
    per shape of page (sonitec/api/compiled.py); a filtered one goes through the filter backend as usual.
    """

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.list_page_source())
        return self.get_paginated_response(self.list_rows(page))

    def list_page_source(self) -> QuerySet | PageQuery:
        """What the paginator pages: the filtered queryset's rows, or with no filter asked for, the compiled list."""
        if any(self._filters_asked(backend()) for backend in self.filter_backends):
            queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None).select_related(None)
            return self.list_values(queryset)
        return PageQuery(
            type(self),
            lambda owner: self.list_values(self.list_source(owner)),
            model=self.queryset.model,
            owner=self.list_owner(),
        )

    def _filters_asked(self, backend) -> bool:
        return not isinstance(backend, QueryFilterBackend) or backend.asked(self.request, self.queryset, self)

    def list_owner(self) -> Model | None:
        """Whose records the list shows: the calling partner on partner lists, nobody in particular on staff ones."""
        return getattr(self, "partner", None)

    def list_source(self, owner: Model | None) -> QuerySet:
        """The owner's records, unfiltered; the owner is used only by its primary key (see PageQuery)."""
        raise NotImplementedError

    def list_values(self, queryset: QuerySet) -> QuerySet:
        """The columns of one row, as `queryset.values(...)` (with the fields the cursor orders by)."""
        raise NotImplementedError

    def list_rows(self, page: builtins.list[dict]) -> builtins.list[dict]:
        """The page's rows as the serializer would write them; related lists in one query each."""
        raise NotImplementedError


class IdempotentCreateMixin:
    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs))


class StaffModelViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Full CRUD for staff tools, checked per model with Django permissions; never open to partner keys."""

    # The partner scheme first: a request with no credentials gets 401 and a Bearer challenge.
    authentication_classes: list[type] = [PartnerKeyAuthentication, StaffSessionAuthentication]
    permission_classes = [StaffModelPermissions]
    cursor_ordering = ("-id",)


def staff_schema(tag: str):
    return extend_schema_view(
        **{
            action: extend_schema(tags=[f"staff: {tag}"])
            for action in ("list", "retrieve", "create", "update", "partial_update", "destroy")
        }
    )


__all__ = ["PartnerViewSet", "StaffModelViewSet", "IdempotentCreateMixin", "mixins", "staff_schema"]
