from caselog_tui.cli import main

raise SystemExit(main())
