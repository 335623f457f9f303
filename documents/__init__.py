"""Checks of uploaded files by their content: the one deep check every upload goes through
(``documents.upload_checks``) and the pieces it is made of, which other uploads (course
packages) reuse, such as the zip limits."""
