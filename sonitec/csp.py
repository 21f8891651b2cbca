"""The Content-Security-Policy header on every response (django-csp), with the few exceptions some paths need.

settings.CONTENT_SECURITY_POLICY is the strict policy (the public site's); settings.CSP_EXTRA_BY_PATH adds sources
for the paths that start with a given prefix, each with its reason in settings.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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
