"""Wellbeing Desktop: offline casework for NHS Talking Therapies Health and Wellbeing practitioners."""

__version__ = "0.1.0"
APP_NAME = "Wellbeing Desktop"
APP_ID = "wellbeing-desktop"
