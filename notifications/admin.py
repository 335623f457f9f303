"""The outbox in the review site: every email, read-only, unsent and failed ones easy to find."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications.models import OutboxMessage


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("unsent", "Unsent"), ("failed", "Failed, will retry"), ("sent", "Sent")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "unsent":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True).exclude(last_error="")
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "to_display",
        "subject",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = (DeliveryFilter, "kind")
    search_fields = ("key", "to", "subject", "recipient__email")
    ordering = ("-created_at", "-pk")
    list_select_related = ("recipient",)
    show_full_result_count = False
    fields = (
        "key",
        "kind",
        "recipient",
        "to",
        "subject",
        "text_body",
        "created_at",
        "rendered_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description="to")
    def to_display(self, message: OutboxMessage) -> str:
        return ", ".join(message.recipients) or (
            message.recipient.email if message.recipient else ""
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
