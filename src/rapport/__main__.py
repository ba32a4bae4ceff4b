"""Run rapport as `python -m rapport`."""

from rapport.cli import main

main()
