"""The Textual user interface. Talks to the case log only through
`caselog_tui.services.caselog.CaseLog`, from thread workers."""
