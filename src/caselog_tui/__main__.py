from caselog_tui.cli import main

if __name__ == "__main__":  # not when a process of ours imports this one's main module
    raise SystemExit(main())
