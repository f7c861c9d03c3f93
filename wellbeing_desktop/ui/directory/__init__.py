"""Widgets and dialogs of the services directory page."""
