"""Use cases over a store: the case log service, the export report and full
export, import, mail import and the demo. No UI imports, no SQL."""
