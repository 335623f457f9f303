"""Forms of the catalogue and course pages: they validate and normalise input only."""

from __future__ import annotations

from django import forms

from courses.models import Category

ALL_CATEGORIES = "All categories"


class CatalogueFilterForm(forms.Form):
    # The how-to (seed 001) calls it the "All categories" drop-down.
    category = forms.ChoiceField(label=ALL_CATEGORIES, required=False)
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: object, categories: list[Category], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.categories_by_slug = {category.slug: category for category in categories}
        self.fields["category"].choices = [("", ALL_CATEGORIES)] + [
            (category.slug, category.name) for category in categories
        ]

    def chosen_category(self) -> Category | None:
        if not self.is_valid():
            return None
        return self.categories_by_slug.get(self.cleaned_data["category"])

    def search_text(self) -> str:
        if not self.is_valid():
            return ""
        return self.cleaned_data["q"]
