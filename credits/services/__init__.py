"""Writes with rules for the credits app; each module owns one area. See docs/decisions."""
