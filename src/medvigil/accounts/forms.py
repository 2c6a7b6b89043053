from __future__ import annotations

from django import forms

from medvigil.accounts.models import ApiToken, Organisation, Team
from medvigil.platform.roles import Role


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices)
    lifetime_days = forms.IntegerField(min_value=1, max_value=365, initial=90)


class AccessForm(forms.Form):
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)


class InviteForm(AccessForm):
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    printed_name = forms.CharField(max_length=200, required=False, help_text="Name on signatures")

    field_order = ["username", "email", "printed_name", "roles", "teams", "organisation"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "contact_email"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "description"]
