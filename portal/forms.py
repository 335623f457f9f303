from django import forms

from portal.roster import EXPIRING_WINDOWS, STATUS_CHOICES


class RosterFilterForm(forms.Form):
    """The roster's filters and sort order (GET parameters; bad values fall back to none)."""

    status = forms.ChoiceField(choices=[("", "Any status"), *STATUS_CHOICES], required=False)
    expiring = forms.TypedChoiceField(
        label="Cycle ends",
        choices=[("", "Any time")]
        + [(str(days), f"Within {days} days") for days in EXPIRING_WINDOWS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("name", "Name"),
            ("cycle_end", "Cycle end"),
            ("status", "Status"),
            ("earned", "Earned hours"),
        ],
        required=False,
    )
