"""Answers to the graded labs that their solutions do not contain: written differently but right,
or plausibly wrong (see tests/test_lab_answers.py)."""
