"""The app's screens: one per tab, plus the forms, dialogs and pickers they open."""
