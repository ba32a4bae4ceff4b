"""The app's reusable widgets: tables, fields, panes, the tab bar and the key footer."""
