"""The staff API's "duplicates" and "merge" actions, shared by every model that has duplicate rules and a merge
service (candidates, clients, contacts): the viewset names its finder, its merge service and how a suggestion is
shown.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response


class MergeSerializer(serializers.Serializer):
    duplicate_id = serializers.IntegerField(help_text="The record merged into this one and then removed.")
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["kept", "duplicate"]),
        required=False,
        help_text='Per field, which value survives: {"name": "duplicate"}. Fields left out keep this record\'s '
        "value, or take the duplicate's where this record's is empty.",
    )


class RecordDuplicateSuggestionSerializer(serializers.Serializer):
    """A likely duplicate: `record` is the record on file, with the reasons and the confidence."""

    id = serializers.IntegerField(source="record.pk")
    name = serializers.CharField(source="record.name")
    reasons = serializers.ListField(child=serializers.CharField())
    confidence = serializers.IntegerField(help_text="0–100: how sure the duplicate rules are.")


def merge_schema(
    tag: str,
    *,
    model_label: str,
    record_serializer: type[serializers.Serializer],
    suggestion_serializer: type[serializers.Serializer] = RecordDuplicateSuggestionSerializer,
):
    """The OpenAPI description of the two actions, under the viewset's tag."""
    return extend_schema_view(
        duplicates=extend_schema(
            tags=[f"staff: {tag}"],
            responses={200: suggestion_serializer(many=True)},
            description=f"{model_label} that may be the same, surest first, each with its reasons and a confidence. "
            'Pairs a recruiter dismissed as "not a duplicate" are left out.',
        ),
        merge=extend_schema(
            tags=[f"staff: {tag}"],
            request=MergeSerializer,
            responses={200: record_serializer},
            description="Merge another record into this one, in one transaction: every relation of the duplicate "
            "moves here, then the duplicate is removed. Needs the permissions to change and to delete.",
        ),
    )


class DuplicatesMergeMixin:
    """GET …/{id}/duplicates/ and POST …/{id}/merge/ {"duplicate_id": …, "choices": {…}} for a staff viewset.

    Merging needs the permissions to change and to delete the model, as it removes the duplicate.
    """

    # Set as staticmethod(...) on the viewset.
    duplicates_finder: Callable[..., list[Any]]  # (data=record) -> suggestions, surest first
    merge_service: Callable[..., Model]  # (kept=, duplicate=, choices=, by=) -> the kept record
    suggestion_serializer_class: ClassVar[type[serializers.Serializer]] = RecordDuplicateSuggestionSerializer

    @action(detail=True, methods=["get"])
    def duplicates(self, request, pk=None):
        record = self.get_object()  # type: ignore[attr-defined]
        suggestions = self.duplicates_finder(data=record)
        return Response(self.suggestion_serializer_class(suggestions, many=True).data)

    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        model = self.queryset.model  # type: ignore[attr-defined]
        meta = model._meta
        if not (
            request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
            and request.user.has_perm(f"{meta.app_label}.delete_{meta.model_name}")
        ):
            raise PermissionDenied
        kept = self.get_object()  # type: ignore[attr-defined]
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = get_object_or_404(model, pk=serializer.validated_data["duplicate_id"])
        merged = self.merge_service(
            kept=kept, duplicate=duplicate, choices=serializer.validated_data.get("choices"), by=request.user
        )
        serializer_class = self.get_serializer_class()  # type: ignore[attr-defined]
        return Response(serializer_class(merged, context={"request": request}).data)
