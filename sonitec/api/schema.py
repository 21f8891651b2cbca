"""Schema pieces shared by the API apps: every operation documents the error responses it may give."""

import json

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from .errors import ErrorSerializer

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional. Retrying a POST with the same key and body returns the first response and creates "
    "nothing new; the same key with a different body gets 422.",
)

ERROR_DESCRIPTIONS = {
    "400": "Invalid input, filter or cursor; 'fields' names each invalid field.",
    "401": "Missing, malformed, unknown, revoked or expired credentials.",
    "403": "Authenticated, but without the scope or permission this endpoint needs.",
    "404": "Not found or not visible to you (or, on lists, an invalid cursor).",
    "409": "Conflicts with existing data.",
    "422": "Idempotency-Key reused with a different request.",
    "429": "Too many requests; wait the number of seconds in the Retry-After header.",
}


class ApiAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429", "400", "404"]  # lists answer 404 to a cursor that is not theirs
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        if self.method == "POST":
            codes.append("422")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters


def tidy_schema(result, generator, request, public):
    """Postprocessing hook, for generated clients and schema linters (Spectral's spectral:oas ruleset): declare
    every tag the operations use, and drop request components nothing refers to (a read-only nested serializer
    still gets a request variant when requests and responses are split). A schema fetched over HTTP names the
    address it was fetched from as its server, so the docs' "Try it out" calls this very server; one generated
    offline (`manage.py spectacular`) keeps PUBLIC_BASE_URL."""
    if request is not None:
        result["servers"] = [{"url": request.build_absolute_uri("/").rstrip("/"), "description": "This installation"}]
    used = {tag for path in result.get("paths", {}).values() for op in path.values() for tag in op.get("tags", [])}
    declared = {tag["name"] for tag in result.get("tags", [])}
    result["tags"] = [*result.get("tags", []), *({"name": tag} for tag in sorted(used - declared))]
    schemas = result.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps(result, default=str)  # lazy translations are strings too
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return result
        for name in unused:
            del schemas[name]
