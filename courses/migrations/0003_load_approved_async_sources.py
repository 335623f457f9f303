"""KDLA's approved sources of asynchronous training courses, as the agency lists them in its
"Approved Guidelines for Asynchronous Training Courses". Reviewers edit them in the admin
afterwards, so this only creates the sources that are missing (by name) and never overwrites
an edit."""

from django.db import migrations

# Frozen here (not imported) so the migration keeps loading the same list whatever the
# catalogue code later becomes.
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


def load_approved_async_sources(apps, schema_editor):
    Provider = apps.get_model("courses", "Provider")
    for name, url in APPROVED_ASYNC_SOURCES:
        Provider.objects.get_or_create(
            name=name, defaults={"url": url, "is_approved_async_source": True, "active": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_asynchronous_courses"),
    ]

    operations = [
        # Reversing keeps the rows: completions and courses may already refer to them.
        migrations.RunPython(load_approved_async_sources, migrations.RunPython.noop),
    ]
