"""The client record's casework tabs and dialogs (one per module)."""
