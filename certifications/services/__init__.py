"""Writes with rules for the certifications app; each module owns one area. See docs/decisions."""
