"""Demo data for `make run` and the demo server: people, a history and a review queue.

It sits in portal/ because it fills every app; nothing but the `seed_demo` command imports it.
"""
