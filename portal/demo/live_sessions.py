"""A demo live workshop for ``manage.py seed_demo``: a course of one live-session module with
two upcoming sessions given by the demo trainer, so ``make run`` shows registering, the
waiting list, the trainer's roster and the attendance code."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from courses.models import Category, Course, CourseModule, LiveSession, Provider

DEMO_WORKSHOP_TITLE = "De-escalation in Practice: a Live Workshop"


def _upcoming(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_demo_live_workshop(*, trainer: User) -> Course:
    course, _ = Course.objects.get_or_create(
        title=DEMO_WORKSHOP_TITLE,
        defaults={
            "category": Category.objects.get(slug="library-services"),
            "provider": Provider.objects.get(name="Kentucky Department for Libraries and Archives"),
            "contact_hours": Decimal("2"),
            "description": "Practise calm, safe responses to conflict with a KDLA trainer: "
            "role plays, debriefs and a plan for your own library. Hours count once the "
            "trainer records your attendance.",
            "format": Course.Format.LIVE,
        },
    )
    module, _ = CourseModule.objects.get_or_create(
        course=course,
        position=1,
        defaults={"title": "Workshop", "kind": CourseModule.Kind.LIVE},
    )
    if not module.sessions.exists():
        LiveSession.objects.create(
            module=module,
            starts_at=_upcoming(14, 10),
            ends_at=_upcoming(14, 12),
            place="Boyd County Public Library, meeting room",
            capacity=12,
            trainer=trainer,
        )
        LiveSession.objects.create(
            module=module,
            starts_at=_upcoming(21, 14),
            ends_at=_upcoming(21, 16),
            link="https://kdla.ky.gov/",
            capacity=2,
            trainer=trainer,
        )
    return course
