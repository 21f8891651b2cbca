"""The Content-Security-Policy header on every response (django-csp), with the few exceptions some paths need.

settings.CONTENT_SECURITY_POLICY is the strict policy (the public site's); settings.CSP_EXTRA_BY_PATH adds sources
for the paths that start with a given prefix, each with its reason in settings.

django-csp builds the header from the settings on every response, a twentieth of the work of a partner's list page.
A response without a nonce or a view's own policy gets the same header as any other on paths with the same
extras, so the first one's headers are kept and reused until a setting changes.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view sets on its response to have a policy of its own (django-csp's decorators).
_VIEW_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_POLICY_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "CSP_EXTRA_BY_PATH"}
# The headers per kind of path: which extra prefixes it starts with, and whether it is excluded from the policy.
_built: dict[tuple[tuple[str, ...], bool, bool], dict[str, str]] = {}


@receiver(setting_changed)
def _forget_built_headers(*, setting: str, **_signal) -> None:
    if setting in _POLICY_SETTINGS:
        _built.clear()


def _excluded(path: str, setting: str) -> bool:
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return path.startswith(tuple(prefixes))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        for prefix, extra in settings.CSP_EXTRA_BY_PATH.items():
            if request.path_info.startswith(prefix):
                update = dict(parts.update or {})
                for directive, sources in extra.items():
                    update[directive] = [*update.get(directive, []), *sources]
                parts.update = update
        return parts

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _VIEW_POLICY)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or (settings.DEBUG and response.status_code in (404, 500))  # django-csp leaves Django's debug pages be
        ):
            return super().process_response(request, response)
        path = request.path_info
        kind = (
            tuple(prefix for prefix in settings.CSP_EXTRA_BY_PATH if path.startswith(prefix)),
            _excluded(path, "CONTENT_SECURITY_POLICY"),
            _excluded(path, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        )
        headers = _built.get(kind)
        if headers is None:
            response = super().process_response(request, response)
            _built[kind] = {name: response[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in response}
            return response
        for name, value in headers.items():
            response[name] = value
        # As django-csp does: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
