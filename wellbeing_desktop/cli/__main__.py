from wellbeing_desktop.cli import main

raise SystemExit(main())
