"""The job board's apply form and the candidate search form. They check the shape of the input; the services and
selectors hold the rules."""

from django import forms
from django.core.exceptions import ValidationError

from clients.models import Client
from roles.models import Clearance, Currency, Pillar, RemotePolicy, Role, Seniority, Skill
from sonitec.normalise import domain_from_url
from sonitec.public import HoneypotForm

from .models import CandidateStatus, RightToWork, SkillLevel
from .selectors import CandidateSearch
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


class CommaJoinedValues(forms.Widget):
    """Slugs as one comma-separated value; a repeated parameter (`skills=a&skills=b`, as a multiple choice list
    sends them) is joined the same way, so every form of the query means the same search."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return ",".join(value for value in data.getlist(name) if value)
        return super().value_from_datadict(data, files, name)


class CommaSeparatedInput(CommaJoinedValues, forms.TextInput):
    pass


class CandidateSearchForm(forms.Form):
    """The search's text and filters, as query parameters: the "Find candidates" page and the staff API.

    Checks the shape of the input and turns slugs into objects; candidates.selectors holds the search itself.
    """

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        help_text='Words, "a phrase", -exclude, or. Names may be misspelt; part of an email works.',
    )
    pillar = forms.CharField(required=False, help_text="Pillar slug, primary or other pillar.")
    skills = forms.CharField(
        required=False, widget=CommaSeparatedInput, help_text="Skill slugs, comma separated: all required."
    )
    skills_any = forms.CharField(
        required=False, widget=CommaSeparatedInput, help_text="Skill slugs, comma separated: any one of them."
    )
    skill_level = forms.ChoiceField(
        required=False, choices=[("", "any level"), *SkillLevel.choices], help_text="Minimum level for the skills."
    )
    skill_years = forms.DecimalField(
        required=False, min_value=0, max_value=60, decimal_places=1, help_text="Minimum years for the skills."
    )
    seniority = forms.ChoiceField(required=False, choices=[("", "any"), *Seniority.choices])
    available_by = forms.DateField(
        required=False, help_text="Available on or before this date (YYYY-MM-DD), by date or notice period."
    )
    max_salary = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
    max_day_rate = forms.DecimalField(required=False, min_value=0, max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(
        required=False, choices=Currency.choices, help_text="Currency of max_salary / max_day_rate (default GBP)."
    )
    location = forms.CharField(required=False, max_length=120)
    remote = forms.ChoiceField(required=False, choices=[("", "any"), *RemotePolicy.choices])
    right_to_work = forms.ChoiceField(required=False, choices=[("", "any"), *RightToWork.choices])
    clearance = forms.ChoiceField(
        required=False, choices=[("", "any"), *Clearance.choices], help_text="At least this security clearance."
    )
    status = forms.ChoiceField(required=False, choices=[("", "any but do not contact"), *CandidateStatus.choices])
    not_in_role = forms.IntegerField(required=False, min_value=1, help_text="Role id: leave out its pipeline.")
    not_off_limits_for = forms.IntegerField(
        required=False, min_value=1, help_text="Client id: leave out people off-limits for this client."
    )
    include_do_not_contact = forms.BooleanField(required=False)

    def _slugs(self, name: str) -> list[Skill]:
        raw = [slug.strip() for slug in (self.cleaned_data.get(name) or "").split(",") if slug.strip()]
        if not raw:
            return []
        if len(raw) > 20:
            raise ValidationError("At most 20 skills.")
        found = {skill.slug: skill for skill in Skill.objects.filter(slug__in=raw)}
        unknown = [slug for slug in raw if slug not in found]
        if unknown:
            raise ValidationError(f"Unknown skill: {', '.join(unknown)}. Use the slugs from the skills list.")
        return [found[slug] for slug in dict.fromkeys(raw)]

    def clean_skills(self) -> list[Skill]:
        return self._slugs("skills")

    def clean_skills_any(self) -> list[Skill]:
        return self._slugs("skills_any")

    def clean_pillar(self) -> Pillar | None:
        slug = (self.cleaned_data.get("pillar") or "").strip()
        if not slug:
            return None
        pillar = Pillar.objects.filter(slug=slug).first()
        if pillar is None:
            raise ValidationError(f"Unknown pillar: {slug}.")
        return pillar

    def clean_not_in_role(self) -> int | None:
        role_id = self.cleaned_data.get("not_in_role")
        if role_id is not None and not Role.objects.filter(pk=role_id).exists():
            raise ValidationError("No role with this id.")
        return role_id

    def clean_not_off_limits_for(self) -> int | None:
        client_id = self.cleaned_data.get("not_off_limits_for")
        if client_id is not None and not Client.objects.filter(pk=client_id).exists():
            raise ValidationError("No client with this id.")
        return client_id

    def to_params(self) -> CandidateSearch:
        data = self.cleaned_data
        return CandidateSearch(
            q=data.get("q") or "",
            pillar=data.get("pillar"),
            skills=tuple(data.get("skills") or ()),
            skills_any=tuple(data.get("skills_any") or ()),
            skill_level=data.get("skill_level") or "",
            skill_years=data.get("skill_years"),
            seniority=data.get("seniority") or "",
            available_by=data.get("available_by"),
            max_salary=data.get("max_salary"),
            max_day_rate=data.get("max_day_rate"),
            currency=data.get("currency") or Currency.GBP,
            location=(data.get("location") or "").strip(),
            remote=data.get("remote") or "",
            right_to_work=data.get("right_to_work") or "",
            clearance=data.get("clearance") or "",
            status=data.get("status") or "",
            not_in_role_id=data.get("not_in_role"),
            not_off_limits_for_id=data.get("not_off_limits_for"),
            include_do_not_contact=bool(data.get("include_do_not_contact")),
        )
