"""Admin forms: dataset and response uploads, and a campaign from a preset."""

from __future__ import annotations

from django import forms

from evalplatform.campaigns.importers import DIALOGUE_FORMATS
from evalplatform.campaigns.models import Dataset, System
from evalplatform.campaigns.presets import preset_choices

FORMAT_LABELS = {
    "jsonl": "evalplatform JSONL (one dialogue per line)",
    "csv": "evalplatform CSV (one turn per row)",
    "ed": "EmpatheticDialogues CSV",
}


class DatasetUploadForm(forms.Form):
    dataset_name = forms.CharField(
        max_length=200, help_text="A new name, or an existing dataset to add dialogues to."
    )
    fmt = forms.ChoiceField(
        label="Format", choices=[(key, FORMAT_LABELS[key]) for key in DIALOGUE_FORMATS]
    )
    subset = forms.CharField(
        max_length=100,
        required=False,
        help_text="Subset for dialogues that name none (e.g. OS, EDOS, ED).",
    )
    file = forms.FileField()


class ResponsesUploadForm(forms.Form):
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.all())
    file = forms.FileField(help_text='JSONL: {"dialogue_id": ..., "response": ..., "label": ...}')
    replace = forms.BooleanField(required=False, help_text="Overwrite existing responses.")


class LabelResponsesForm(forms.Form):
    checkpoint = forms.CharField(
        max_length=500,
        help_text="A checkpoint directory on the generation machines that has a classifier/ "
        "folder (a classification head with its id2label), e.g. the dataset's emotion "
        "classifier, or a generated system's checkpoint that carries one. Nothing is "
        "downloaded.",
    )


class CampaignFromPresetForm(forms.Form):
    preset = forms.ChoiceField(choices=preset_choices)
    name = forms.CharField(max_length=200)
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.all())
    systems = forms.ModelMultipleChoiceField(
        queryset=System.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    sample_size = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty for the preset's size."
    )
    provider = forms.ChoiceField(
        choices=[("local", "Local invite links"), ("mturk", "MTurk"), ("prolific", "Prolific")]
    )
