"""Certificates' answers to the signals of the apps below: a granted application gets its
certificate (issued once). Connected in CertificatesConfig.ready."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from certificates.services import certificate_issue_for_grant
from certifications.models import Registration
from certifications.signals import application_granted


@receiver(application_granted, dispatch_uid="certificates.application_granted")
def issue_certificate(
    sender: Any, *, application: Registration, reviewer: User, **kwargs: Any
) -> None:
    certificate_issue_for_grant(application=application, reviewer=reviewer)
