from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from candidates.models import Candidate
from roles.models import Role
from sonitec.api.permissions import StaffModelPermissions
from sonitec.api.ranked import ranked_page_links, ranked_page_params
from sonitec.api.views import StaffModelViewSet

from ..models import MatchRankingLog, RankingChannel
from ..services import match_add_to_pipeline, matches_page_show
from .serializers import MatchAddedSerializer, MatchAddSerializer, MatchPageSerializer


class RoleMatchesPermission(StaffModelPermissions):
    """Reading matches needs to view roles; adding one also needs to add submissions."""

    perms_map = {
        **StaffModelPermissions.perms_map,
        "POST": ["%(app_label)s.view_%(model_name)s", "pipelines.add_submission"],
    }


class RoleMatchesView(generics.GenericAPIView):
    """A role's matches, best first, each with its score, reasons and gaps. Every list shown is logged."""

    authentication_classes = StaffModelViewSet.authentication_classes
    permission_classes = [RoleMatchesPermission]
    queryset = Role.objects.select_related("client", "pillar")
    serializer_class = MatchPageSerializer
    pagination_class = None

    @extend_schema(
        tags=["staff: matching"],
        parameters=[
            OpenApiParameter("page", int, description="Page number (1–400)."),
            OpenApiParameter("page_size", int, description="1–100, default 25."),
        ],
        responses=MatchPageSerializer,
    )
    def get(self, request, pk: int):
        role = self.get_object()
        number, size = ranked_page_params(request)
        page = matches_page_show(role=role, number=number, size=size, by=request.user, channel=RankingChannel.API)
        body = {
            "ranking_log_id": page.ranking.pk,
            **ranked_page_links(request, number=number, has_next=page.has_next),
            "results": [
                {
                    "position": page.first_position + offset,
                    "score": match.score,
                    "candidate": match.candidate,
                    "reasons": match.reasons,
                    "gaps": match.gaps,
                    "points": {name: round(value, 2) for name, value in match.points.items()},
                }
                for offset, match in enumerate(page.shown)
            ],
        }
        return Response(MatchPageSerializer(body).data)

    @extend_schema(
        tags=["staff: matching"],
        request=MatchAddSerializer,
        responses={201: MatchAddedSerializer},
        description="Add a matched candidate to the role's pipeline at 'sourced' (logged with the list it came from).",
    )
    def post(self, request, pk: int):
        role = self.get_object()
        serializer = MatchAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = get_object_or_404(Candidate, pk=serializer.validated_data["candidate_id"])
        ranking_id = serializer.validated_data.get("ranking_log_id")
        ranking = get_object_or_404(MatchRankingLog, pk=ranking_id) if ranking_id else None
        submission = match_add_to_pipeline(role=role, candidate=candidate, by=request.user, ranking=ranking)
        return Response(
            MatchAddedSerializer({"submission_id": submission.pk, "stage": submission.stage}).data,
            status=status.HTTP_201_CREATED,
        )
