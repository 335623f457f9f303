"""Sources of contact hours that apps above certifications add to renewal-credits cycles.

Certifications counts earned hours (services/earned.py) but must not import the apps that
produce some of them (credits sits above it: a credit request is made for a cycle). Such an app
registers an ``HourSource`` in its ``AppConfig.ready``; ``with_computed_earned`` adds every
registered source to the hours it reads itself from courses (portal courses and asynchronous
completions), in the same single query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Subquery


@dataclass(frozen=True)
class HourSource:
    # A short name, unique among the sources (also the order in which they are added).
    name: str
    # Builds the hours of this source for the annotated Registration row: a subquery over
    # ``OuterRef("pk")``, ``OuterRef("cycle_start")`` and ``OuterRef("cycle_end")`` that is
    # NULL when the cycle has none.
    hours_in_cycle: Callable[[], Subquery | Expression]


_sources: dict[str, HourSource] = {}


def register_hour_source(source: HourSource) -> None:
    """Add a source; registering the same name again replaces it (app reloads in tests)."""
    _sources[source.name] = source


def registered_hour_sources() -> list[HourSource]:
    return [_sources[name] for name in sorted(_sources)]
