"""Import every command module so its command registers on the app (in help order)."""

from hipguide.cli import check, routine, points, conditions, history  # noqa: F401,I001
