"""The self-service page's one form: which of the four things the person asks for."""

from django import forms

from candidates.models import ConsentPurpose

ACTIONS = [
    ("withdraw", "Withdraw the consents I ticked"),
    ("renew", "Keep my details on file"),
    ("copy", "Send me a copy of my data"),
    ("erasure", "Erase my data"),
]


class SelfServiceForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS)
    purposes = forms.MultipleChoiceField(
        choices=ConsentPurpose.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "withdraw" and not data.get("purposes"):
            raise forms.ValidationError("Tick the consents you want to withdraw.")
        return data
