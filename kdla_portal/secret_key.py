"""The production startup guard for SECRET_KEY, used only by settings.py.

A weak or published key lets anyone forge session cookies and password-reset links, so
production refuses to start with one instead of warning about it.
"""

# Words of placeholders in documentation and examples; a key containing one was copied, not made.
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "example", "placeholder", "insecure")
MINIMUM_LENGTH = 50
MINIMUM_DISTINCT_CHARACTERS = 10


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign anything in production, or None when it is fit."""
    if len(key) < MINIMUM_LENGTH:
        return f"SECRET_KEY must be set to a random value of at least {MINIMUM_LENGTH} characters"
    lowered = key.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS) or lowered.startswith("development"):
        return "SECRET_KEY is a placeholder from the documentation; generate a random one"
    if len(set(key)) < MINIMUM_DISTINCT_CHARACTERS:
        return "SECRET_KEY is too repetitive to be random; generate a random one"
    return None
