"""Demo people and libraries for ``manage.py seed_demo``."""

from accounts.models import Library, User

DEMO_PASSWORD = "kentucky-demo-2026"
DEMO_STAFF_EMAIL = "staff@example.org"
DEMO_REVIEWER_EMAIL = "reviewer@example.org"
DEMO_TRAINER_EMAIL = "trainer@example.org"

LIBRARIES = [
    ("Lexington Public Library", "Fayette"),
    ("Louisville Free Public Library", "Jefferson"),
    ("Kenton County Public Library", "Kenton"),
    ("Boyd County Public Library", "Boyd"),
    ("Warren County Public Library", "Warren"),
    ("Pike County Public Library District", "Pike"),
]


def load_demo_libraries() -> None:
    for name, county in LIBRARIES:
        Library.objects.get_or_create(name=name, defaults={"county": county})


def ensure_demo_user(*, email: str, first_name: str, last_name: str, **fields: object) -> User:
    """Create the demo person once; later runs leave it (and its password) alone."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            **fields,
        )
    return user
