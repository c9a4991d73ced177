"""The case log's rules: statuses, the status machine, validation, views,
records and text sanitising. Pure Python: no SQL, no UI."""
