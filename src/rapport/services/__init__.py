"""The domain: every read and write rapport does, validated, for both the TUI and the CLI.

Service functions take plain values (ids, names, typed text such as "+2w"),
return model instances or small dataclasses, and raise
:class:`rapport.errors.RapportError` kinds with messages a person can act on.
"""
