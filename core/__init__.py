"""Cross-cutting pieces every app may import (see ../shared/style.md, "Cross-cutting
pieces have a home"): the spreadsheet-safe cell and optimistic locking."""
