"""KDLA's catalogue as the agency publishes it: categories, portal courses and the approved
sources of asynchronous training (seed 000). Loaded idempotently by ``load_kdla_catalogue``."""

from decimal import Decimal

from django.db import transaction

from courses.kdla_lessons import load_starter_modules
from courses.models import Category, Course, Provider

KDLA_CERTIFICATIONS = "KDLA Certifications"
CATEGORIES = [
    (KDLA_CERTIFICATIONS, "kdla-certifications"),
    ("Part-Time Certification Courses", "part-time-certification-courses"),
    ("Library Services", "library-services"),
    ("Management and Leadership", "management-and-leadership"),
    ("Asynchronous Training", "asynchronous-training"),
]

PART_TIME_REQUIRED_COURSES = [
    "Customer Service Basics",
    "Reference Basics",
    "Solving Difficult Situations in the Library",
    "Readers' Advisory Basics",
]

PORTAL_COURSES = [
    # (title, category slug, contact hours, description)
    (
        "Customer Service Basics",
        "part-time-certification-courses",
        "3",
        "Welcoming every patron: greeting, listening, and following through.",
    ),
    (
        "Reference Basics",
        "part-time-certification-courses",
        "3",
        "The reference interview and finding answers in print and online sources.",
    ),
    (
        "Solving Difficult Situations in the Library",
        "part-time-certification-courses",
        "3",
        "Calm, safe and fair responses to conflict, complaints and emergencies.",
    ),
    (
        "Readers' Advisory Basics",
        "part-time-certification-courses",
        "3",
        "Helping readers find their next book: appeal factors and tools.",
    ),
    (
        "Library Services for Patrons with Disabilities",
        "library-services",
        "2",
        "Accessible services, assistive technology and the ADA in public libraries.",
    ),
    (
        "Intellectual Freedom and Privacy",
        "library-services",
        "2.5",
        "Policies and practice for patron privacy and challenged materials.",
    ),
    (
        "Supervising Library Staff",
        "management-and-leadership",
        "4",
        "Hiring, coaching and evaluating staff in a small public library.",
    ),
    (
        "Library Budgets and Boards",
        "management-and-leadership",
        "3.5",
        "Working with trustees, taxing districts and annual budgets in Kentucky.",
    ),
]

APPROVED_ASYNC_SOURCES = [
    (
        "American Library Association eLearning",
        "https://www.alastore.ala.org/search/store/product-type/elearning",
    ),
    ("Amigos", "https://www.amigos.org/continuing_education"),
    ("Coursera", "https://www.coursera.org/"),
    ("edX", "https://www.edx.org/"),
    ("Employers Resource Association", "https://erahr.org/learning-and-development/"),
    ("Gale Courses", "https://www.gale.com/c/gale-courses"),
    ("Infopeople", "https://infopeople.org/"),
    ("Library Juice Academy", "http://libraryjuiceacademy.com/"),
    ("OpenLearn", "https://www.open.edu/openlearn/"),
    ("San Jose iSchool Open Classes", "http://ischool.sjsu.edu/programs/ischool-open-classes"),
    ("Simmons College", "https://www.simmons.edu/academics/non-degree-options"),
    ("Society for Human Resource Management", "https://www.shrm.org"),
    ("Udemy", "https://www.udemy.com/"),
    ("Universal Class", "https://www.universalclass.com/"),
    ("University of Wisconsin-Madison", "https://ischool.wisc.edu/continuing-education/"),
]

KDLA_PROVIDER = ("Kentucky Department for Libraries and Archives", "https://kdla.ky.gov/")


@transaction.atomic
def load_kdla_catalogue() -> None:
    for name, slug in CATEGORIES:
        Category.objects.update_or_create(slug=slug, defaults={"name": name})
    kdla, _ = Provider.objects.update_or_create(
        name=KDLA_PROVIDER[0], defaults={"url": KDLA_PROVIDER[1], "is_approved_async_source": False}
    )
    for name, url in APPROVED_ASYNC_SOURCES:
        Provider.objects.get_or_create(
            name=name, defaults={"url": url, "is_approved_async_source": True, "active": True}
        )
    categories = {category.slug: category for category in Category.objects.all()}
    for title, slug, hours, description in PORTAL_COURSES:
        course, _ = Course.objects.update_or_create(
            title=title,
            provider=kdla,
            defaults={
                "category": categories[slug],
                "contact_hours": Decimal(hours),
                "description": description,
                "format": Course.Format.PORTAL,
                "active": True,
            },
        )
        load_starter_modules(course)
