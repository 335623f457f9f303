"""People and libraries in the review site, and what the other review screens share."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from accounts.history_admin import ReadOnlyHistoryAdmin
from accounts.importers import LibraryResource, PersonResource
from accounts.models import Library, LibraryRole, User
from accounts.services import library_role_grant


def county_filter(field_path: str) -> type[admin.SimpleListFilter]:
    """A "County" filter for any model that reaches a library through ``field_path``
    (e.g. ``user__library__county``). The choices come from the small libraries table."""

    class CountyFilter(admin.SimpleListFilter):
        title = "county"
        parameter_name = "county"

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
            counties = Library.objects.order_by("county").values_list("county", flat=True)
            return [(county, county) for county in counties.distinct()]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            if self.value():
                return queryset.filter(**{field_path: self.value()})
            return queryset

    return CountyFilter


class SuperuserImportMixin(ImportMixin):
    """CSV import (moving an agency's records from its current system) is for the site's
    administrators; reviewers decide, they do not load data."""

    import_formats = [CSV]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_import_data_kwargs(self, **kwargs: Any) -> dict:
        # A row that fails model validation also rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}


@admin.register(Library)
class LibraryAdmin(SuperuserImportMixin, admin.ModelAdmin):
    resource_classes = [LibraryResource]
    list_display = ("name", "county")
    list_filter = (county_filter("county"),)
    search_fields = ("name", "county")
    ordering = ("name",)


@admin.register(LibraryRole)
class LibraryRoleAdmin(ReadOnlyHistoryAdmin):
    """Who directs (or is the delegate for) which library system; they see its staff roster."""

    list_display = ("user", "library", "role", "granted_by", "granted_at")
    list_select_related = ("user", "library", "granted_by")
    list_filter = ("role", county_filter("library__county"))
    search_fields = ("user__email", "user__last_name", "library__name")
    autocomplete_fields = ("user", "library")
    readonly_fields = ("granted_by", "granted_at")

    def save_model(self, request: HttpRequest, obj: LibraryRole, form: Any, change: bool) -> None:
        if change:
            # Only the role can change here; the person and library are fixed once granted.
            library_role_grant(
                user=obj.user, library=obj.library, role=obj.role, granted_by=request.user
            )
            return
        obj.pk = library_role_grant(
            user=obj.user, library=obj.library, role=obj.role, granted_by=request.user
        ).pk

    def get_readonly_fields(self, request: HttpRequest, obj: LibraryRole | None = None) -> Any:
        if obj is not None:
            return (*self.readonly_fields, "user", "library")
        return self.readonly_fields


class PortalUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}


class PortalUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


@admin.register(User)
class UserAdmin(SuperuserImportMixin, DjangoUserAdmin):
    """People. Superusers keep Django's user screens; reviewers only look people up."""

    resource_classes = [PersonResource]
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = (
        "email",
        "full_name",
        "library",
        "county",
        "position",
        "hours_per_month",
        "is_staff",
        "is_active",
    )
    list_select_related = ("library",)
    list_filter = ("is_staff", "is_active", "groups", "library", county_filter("library__county"))
    search_fields = ("email", "first_name", "last_name", "library__name")
    ordering = ("last_name", "first_name", "pk")
    show_full_result_count = False
    readonly_fields = ("last_login", "date_joined")
    # Django's two-box selector adds aria-label to plain spans (an axe "aria-prohibited-attr"
    # failure from its JavaScript); the browser's own multiple select is accessible.
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Person",
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "phone",
                    "library",
                    "position",
                    "hours_per_month",
                )
            },
        ),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description="name", ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.full_name

    @admin.display(description="county", ordering="library__county")
    def county(self, user: User) -> str:
        return user.library.county if user.library else ""

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only superusers see or change anything about a password.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
