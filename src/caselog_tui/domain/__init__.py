"""The case log's rules: statuses, validation, views and actions. No UI imports."""
