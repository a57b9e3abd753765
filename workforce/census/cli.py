"""What the import commands share: reading the file and reporting its problems the same
way (every warning and error on stderr; any error -> CommandError, non-zero exit)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def report_problems(command: BaseCommand, result, *, name: str) -> None:
    """Print every warning and error of an import ``result``; stop if there is an error."""
    for problem in result.warnings:
        command.stderr.write(f"Warning: {problem}")
    if result.errors:
        for problem in result.errors:
            command.stderr.write(f"Error: {problem}")
        raise CommandError(f"{len(result.errors)} error(s) in {name}: nothing was imported.")
