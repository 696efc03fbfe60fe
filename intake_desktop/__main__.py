from intake_desktop.cli import main

raise SystemExit(main())
