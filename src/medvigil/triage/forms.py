"""Forms of the triage pages; every write still goes through the services' own checks."""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.core import scoring
from medvigil.core.scoring import rubric
from medvigil.triage.models import Assessment, Justification, Status
from medvigil.triage.scoring import EXPLOIT_MATURITY

TEXT = {"rows": 3}


def choices(values: Any, blank: str | None = None) -> list[tuple[str, str]]:
    listed = [(str(value), str(value).replace("-", " ").replace("_", " ")) for value in values]
    return ([("", blank)] if blank is not None else []) + listed


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    justification = forms.ChoiceField(
        choices=[("", "— (only for not affected)"), *Justification.choices], required=False
    )
    impact_statement = forms.CharField(
        widget=forms.Textarea(attrs=TEXT), required=False, help_text="Required for not affected"
    )
    action_statement = forms.CharField(
        widget=forms.Textarea(attrs=TEXT), required=False, help_text="Required for affected"
    )
    fixed_in_version = forms.CharField(required=False, max_length=100)
    note = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False, max_length=10_000)


class ApprovalForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, max_length=500)
    otp_code = forms.CharField(label="Authenticator code", required=False, max_length=20)


class DismissForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=2000)


class ScoresForm(forms.Form):
    exploit_maturity = forms.ChoiceField(choices=choices(EXPLOIT_MATURITY))
    ssvc_exploitation = forms.ChoiceField(
        label="SSVC exploitation",
        choices=choices(scoring.Exploitation, "from KEV and exploit maturity"),
        required=False,
    )
    ssvc_automatable = forms.TypedChoiceField(
        label="SSVC automatable",
        choices=[("", "not assessed"), ("yes", "yes"), ("no", "no")],
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    ssvc_technical_impact = forms.ChoiceField(
        label="SSVC technical impact",
        choices=choices(scoring.TechnicalImpact, "not assessed"),
        required=False,
    )
    ssvc_mission_prevalence = forms.ChoiceField(
        label="SSVC mission prevalence",
        choices=choices(scoring.MissionPrevalence, "not assessed"),
        required=False,
        help_text="How central the affected function is to the device's clinical use",
    )
    harm_severity = forms.ChoiceField(
        choices=[("", "not assessed")]
        + [(harm.value, f"{harm.value}: {harm.description}") for harm in scoring.HarmSeverity],
        required=False,
    )
    harm_rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)
    patients_exposed = forms.IntegerField(
        min_value=0, required=False, help_text="Installed base by default"
    )
    control_status = forms.ChoiceField(
        choices=[("", "not determined"), *Assessment.ControlStatus.choices],
        required=False,
        label="FDA postmarket determination",
    )
    control_rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)


class RubricForm(forms.Form):
    """One field per rubric question and per impact category, named by its key."""

    rubric_rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = choices(rubric.Answer)
        ratings = choices(rubric.Rating)
        for question in rubric.QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=f"{question.key} ({question.metric}): {question.text}",
                choices=answers,
                initial="unknown",
            )
        self.fields[rubric.PHI_SCALE_KEY] = forms.ChoiceField(
            label="XCPM: Health information of 500 or more patients exposed?",
            choices=answers,
            initial="unknown",
        )
        labels = {category.key: category.label for category in rubric.CATEGORIES}
        names = {"C": "Confidentiality", "I": "Integrity", "A": "Availability"}
        for key in rubric.IMPACT_KEYS:
            self.fields[key] = forms.ChoiceField(
                label=f"{key}: {names[key[1]]} of {labels[key[2]].lower()}",
                choices=ratings,
                initial="unknown",
            )

    def answers(self) -> dict[str, str]:
        keys = [*rubric.QUESTION_KEYS, rubric.PHI_SCALE_KEY, *rubric.IMPACT_KEYS]
        return {key: self.cleaned_data[key] for key in keys}


class PlanForm(forms.Form):
    fix_in_version = forms.CharField(required=False, max_length=100)
    compensating_controls = forms.CharField(
        widget=forms.Textarea(attrs=TEXT), required=False, help_text="What customers can do now"
    )
    customer_communication = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)
    communicated_at = forms.DateTimeField(required=False, help_text="YYYY-MM-DD HH:MM (UTC)")
    remediated_at = forms.DateTimeField(required=False, help_text="YYYY-MM-DD HH:MM (UTC)")


class EnvironmentForm(forms.Form):
    cvss3_metrics = forms.CharField(
        required=False,
        max_length=200,
        label="CVSS 3.1 environmental",
        help_text="e.g. MAV:A/CR:H/IR:H/AR:H",
    )
    cvss4_metrics = forms.CharField(
        required=False,
        max_length=200,
        label="CVSS 4.0 environmental",
        help_text="e.g. MAV:A/MSI:S/MSA:S",
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)
