"""The Textual user interface. Talks to the case log only through
`caselog_tui.domain.service.CaseLog`, from thread workers."""
