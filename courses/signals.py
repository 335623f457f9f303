"""What courses tell the apps above them when contact hours move.

Courses sit below certifications (a credential names its prerequisite courses), so they may
not call certifications' services; they send these signals and certifications, which counts
the hours toward renewal cycles, receives them (certifications/receivers.py). Django signals
run in the sender's thread and transaction: the totals change in the same commit as the event.
"""

from django.dispatch import Signal

# A person completed a course on a date (kwargs: user_id, completed_on).
course_completed = Signal()

# A course's contact hours or format changed (kwargs: course).
course_hours_changed = Signal()

# Completed courses were imported from CSV for these people (kwargs: user_emails).
completed_courses_imported = Signal()
