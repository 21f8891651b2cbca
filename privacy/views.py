"""The self-service page a candidate reaches from the link in every email: no login, a signed link.

They see the consents held for them (with their state and expiry), withdraw any of them at once, keep their
details on file (answering a renewal request), or ask for a copy or erasure (a task for the data-protection
owner, due in one month).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from candidates.models import Consent
from candidates.selectors import candidate_from_self_service_token, consent_expires_at, consent_state
from sonitec.public import form_rate_limited

from .forms import SelfServiceForm
from .models import PrivacyRequestKind
from .services import consent_renew, privacy_notice_context, privacy_request_create, self_service_withdraw

DONE = {
    "withdraw": "Done: the consents you ticked are withdrawn, with immediate effect.",
    "renew": "Thank you: we will keep your details on file.",
    "copy": "We have your request for a copy of your data and will send it within one month.",
    "erasure": "We have your request to erase your data and will confirm within one month.",
}


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The public privacy notice: its periods are the settings the retention code reads."""
    return render(request, "public/privacy.html", privacy_notice_context())


@never_cache
@form_rate_limited("self_service")
def self_service(request: HttpRequest, token: str) -> HttpResponse:
    candidate = candidate_from_self_service_token(token=token)
    if candidate is None:
        return render(request, "privacy/self_service_invalid.html", status=404)
    form = SelfServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "withdraw":
                self_service_withdraw(candidate=candidate, purposes=form.cleaned_data["purposes"])
            elif action == "renew":
                consent_renew(candidate=candidate)
            else:
                privacy_request_create(candidate=candidate, kind=PrivacyRequestKind(action))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, DONE[action])
            return redirect("public:privacy_self_service", token=token)
    consents = [
        {
            "consent": consent,
            "state": consent_state(consent=consent),
            "expires_at": consent_expires_at(consent=consent),
        }
        for consent in Consent.objects.filter(candidate=candidate).select_related("candidate", "role")
    ]
    return render(
        request,
        "privacy/self_service.html",
        {"candidate": candidate, "consents": consents, "form": form},
        status=400 if form.errors else 200,
    )
