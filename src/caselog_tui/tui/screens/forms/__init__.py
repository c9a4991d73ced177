"""The seller's forms (reply, re-open, edit, resolve, new case) and the small
dialogs they use."""
