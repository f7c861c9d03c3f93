"""Dialogs for signposting a client and recording follow-ups."""
