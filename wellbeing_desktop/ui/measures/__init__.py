"""Outcome measures in the GUI: administering a questionnaire, the chart over time."""
