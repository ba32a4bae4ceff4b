"""The Textual app: one screen per tab, forms as modal screens, database work on one thread."""
