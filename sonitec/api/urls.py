"""The versioned API: /api/v1/… plus the OpenAPI schema and its interactive docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView


@csrf_exempt  # it changes nothing, and a CSRF page would be HTML
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error shape, not with an HTML page."""
    body = {"error": {"status": 404, "code": "not_found", "message": "No such endpoint or object."}}
    return JsonResponse(body, status=404)


v1 = [
    path("", include("roles.api.urls")),
    path("", include("candidates.api.urls")),
    path("", include("pipelines.api.urls")),
    path("", include("clients.api.urls")),
    path("", include("partners.api.urls")),
    path("", include("matching.api.urls")),
    path("", include("privacy.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", authentication_classes=[], permission_classes=[]),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", authentication_classes=[], permission_classes=[]),
        name="api-redoc",
    ),
    re_path(r"^.*$", not_found),
]
