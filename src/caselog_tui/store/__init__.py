"""The case store: tables, the engine and the dialect seam. No UI imports."""
