"""`python -m wellbeing_desktop` starts the GUI."""

from wellbeing_desktop.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
