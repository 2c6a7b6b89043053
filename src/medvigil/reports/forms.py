from django import forms

from medvigil.audit.models import Signature


class SignForm(forms.Form):
    meaning = forms.ChoiceField(choices=Signature.Meaning.choices)
    reason = forms.CharField(max_length=500, required=False)
    password = forms.CharField(widget=forms.PasswordInput, label="Your password (signature)")
    otp_code = forms.CharField(required=False, label="Authenticator code")
    acknowledge_blocking = forms.BooleanField(
        required=False,
        label="I have read the blocking issues this report lists and sign it with them open",
    )
