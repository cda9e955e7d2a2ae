"""Views: human-readable pages (HTML reports) built from the linked dataset."""
