"""What certifications tells the apps above it.

Certificates sit above certifications (a certificate names the grant and the cycle it opened),
so the review service that grants an application cannot call them; it sends this signal inside
its transaction and certificates issue the certificate there (certificates/receivers.py), so an
approved application never commits without its certificate.
"""

from django.dispatch import Signal

# KDLA approved the last required file of an application, which opened its renewal cycle
# (kwargs: application, reviewer).
application_granted = Signal()
