"""The job board's apply form. It checks the shape of the input; candidate_apply holds the rules."""

from django import forms
from django.core.exceptions import ValidationError

from sonitec.normalise import domain_from_url
from sonitec.public import HoneypotForm

from .services import CV_MAX_BYTES, cv_validate, normalise_phone


class ApplyForm(HoneypotForm):
    name = forms.CharField(max_length=200, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        max_length=32,
        required=False,
        label="Phone (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    linkedin_url = forms.URLField(max_length=200, required=False, label="LinkedIn profile (optional)")
    github_url = forms.URLField(max_length=200, required=False, label="GitHub profile (optional)")
    cv = forms.FileField(
        label="CV",
        help_text=f"PDF or Word (.docx), up to {CV_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            }
        ),
    )
    consent = forms.BooleanField(
        label="I agree that Sonitec may hold and process my details and CV to consider me for roles, "
        "as described in the privacy notice.",
        error_messages={"required": "Please agree to the processing of your data to apply."},
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalise_phone(value) if value.strip() else ""

    def clean_linkedin_url(self) -> str:
        return self._profile_url("linkedin_url", "linkedin.com")

    def clean_github_url(self) -> str:
        return self._profile_url("github_url", "github.com")

    def _profile_url(self, field: str, domain: str) -> str:
        value = self.cleaned_data[field]
        host = domain_from_url(value)
        if value and host != domain and not host.endswith(f".{domain}"):
            raise ValidationError(f"Enter a {domain} address.")
        return value

    def clean_cv(self):
        upload = self.cleaned_data["cv"]
        cv_validate(upload)
        return upload
