"""The public contact and intake forms. They check the shape of the input; the services hold the rules."""

from typing import Any

from django import forms

from roles.models import Pillar, Seniority
from sonitec.normalise import normalise_phone
from sonitec.public import HoneypotForm

from .models import CompanySize, Enquiry, Industry
from .recommendation import QUESTIONS
from .services import HEADCOUNT_MAX, MESSAGE_MAX_CHARS, NOTES_MAX_CHARS

CONSENT_LABEL = "I agree that Sonitec may store these details and contact me about my request."


def _clean_phone(value: str) -> str:
    return normalise_phone(value) if value.strip() else ""


class ContactForm(HoneypotForm):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    company = forms.CharField(
        max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    phone = forms.CharField(
        max_length=32,
        required=False,
        label="Phone (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    topic = forms.ChoiceField(choices=Enquiry.Topic.choices)
    message = forms.CharField(
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Up to {MESSAGE_MAX_CHARS:,} characters.",
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": "Please agree to be contacted as described in the privacy notice."},
    )

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


TIMELINE_CHOICES = [
    ("", "Choose…"),
    ("asap", "As soon as possible"),
    ("1-3 months", "In 1–3 months"),
    ("3-6 months", "In 3–6 months"),
    ("exploring", "Just exploring"),
]
BUDGET_CHOICES = [
    ("", "Prefer not to say"),
    ("under 250k", "Under £250k a year"),
    ("250k-1m", "£250k–£1m a year"),
    ("over 1m", "Over £1m a year"),
]


class IntakeForm(HoneypotForm):
    """The hiring-need intake. Pillar fields (need_<slug>, headcount_<slug>, seniority_<slug>) come from the
    database, so a pillar added in the admin appears on the form."""

    company_name = forms.CharField(
        max_length=200, label="Company name", widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    website = forms.URLField(max_length=200, required=False, help_text="e.g. https://example.com")
    industry = forms.ChoiceField(choices=Industry.choices, initial=Industry.OTHER)
    size = forms.ChoiceField(choices=[("", "Choose…"), *CompanySize.choices], required=False, label="Company size")
    location = forms.CharField(max_length=120, required=False)
    contact_name = forms.CharField(
        max_length=200, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        max_length=254, label="Your email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = forms.CharField(
        max_length=32,
        required=False,
        label="Your phone (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_job_title = forms.CharField(max_length=120, required=False, label="Your job title")
    timeline = forms.ChoiceField(choices=TIMELINE_CHOICES, required=False, label="When do you need people?")
    budget = forms.ChoiceField(choices=BUDGET_CHOICES, required=False, label="Hiring budget")
    needs_on_device = forms.BooleanField(
        required=False, label="Models must run on devices or in real time (robots, vehicles, factory lines, edge)"
    )
    regulated_sector = forms.BooleanField(
        required=False, label="We are in a regulated sector or under regulatory pressure"
    )
    security_clearance_needed = forms.BooleanField(required=False, label="Roles need security clearance")
    notes = forms.CharField(
        max_length=NOTES_MAX_CHARS,
        required=False,
        label="Anything else we should know?",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": "Please agree to be contacted as described in the privacy notice."},
    )

    def __init__(self, *args, pillars: list[Pillar], **kwargs):
        super().__init__(*args, **kwargs)
        self.pillars = pillars
        for question, spec in QUESTIONS.items():
            self.fields[question] = forms.ChoiceField(
                label=spec["label"], choices=spec["choices"], widget=forms.RadioSelect, required=False
            )
        for pillar in pillars:
            # Each pillar's three fields sit in a fieldset named after the pillar (intake.html), so these labels are
            # read with it: "ML Engineer, We need this role", "ML Engineer, How many".
            self.fields[f"need_{pillar.slug}"] = forms.BooleanField(required=False, label="We need this role")
            self.fields[f"headcount_{pillar.slug}"] = forms.IntegerField(
                min_value=1,
                max_value=HEADCOUNT_MAX,
                required=False,
                initial=1,
                label="How many",
            )
            self.fields[f"seniority_{pillar.slug}"] = forms.ChoiceField(
                choices=[("", "Choose…"), *Seniority.choices],
                required=False,
                label="Seniority",
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question] for question in QUESTIONS]

    def pillar_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "pillar": pillar,
                "need": self[f"need_{pillar.slug}"],
                "headcount": self[f"headcount_{pillar.slug}"],
                "seniority": self[f"seniority_{pillar.slug}"],
            }
            for pillar in self.pillars
        ]

    def clean_contact_phone(self) -> str:
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for pillar in self.pillars:
            if not cleaned.get(f"need_{pillar.slug}"):
                continue
            if not cleaned.get(f"headcount_{pillar.slug}"):
                self.add_error(f"headcount_{pillar.slug}", f"How many {pillar.name}s do you need?")
            if not cleaned.get(f"seniority_{pillar.slug}"):
                self.add_error(f"seniority_{pillar.slug}", f"Choose a seniority for the {pillar.name}.")
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned input in the shape intake_create takes."""
        data = self.cleaned_data
        return {
            **{
                name: data[name]
                for name in (
                    "company_name",
                    "website",
                    "industry",
                    "size",
                    "location",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "contact_job_title",
                    "timeline",
                    "budget",
                    "needs_on_device",
                    "regulated_sector",
                    "security_clearance_needed",
                    "notes",
                    "consent",
                )
            },
            "answers": {question: data.get(question) or "" for question in QUESTIONS},
            "pillar_needs": [
                {
                    "pillar": pillar,
                    "headcount": data[f"headcount_{pillar.slug}"],
                    "seniority": data[f"seniority_{pillar.slug}"],
                }
                for pillar in self.pillars
                if data.get(f"need_{pillar.slug}")
            ],
        }
