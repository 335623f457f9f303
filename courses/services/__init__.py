"""Writes with rules for the courses app; each module owns one area. See docs/decisions."""
