"""How an import reports itself on the terminal: a line per file, a progress bar when interactive."""
from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

STATUS_WORDS = {"added": "added", "duplicate": "already present", "rejected": "rejected", "skipped": "skipped",
                "near-duplicate": "near-duplicate", "updated": "updated"}


class ImportPrinter:
    def __init__(self, quiet: bool, interactive: bool):
        self.quiet = quiet
        self.progress = Progress(SpinnerColumn(), TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), transient=True) if interactive else None
        self.task = None

    def __enter__(self):
        if self.progress:
            self.progress.start()
            self.task = self.progress.add_task("import", total=None)
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def line(self, line) -> None:
        if self.progress:
            self.progress.advance(self.task)
        if self.quiet and line.status != "rejected":
            return
        text = f"{STATUS_WORDS[line.status]:16} {line.origin}"
        if line.article_id:
            text += f"  #{line.article_id}"
        if line.reason and line.status != "added":
            text += f"  ({line.reason})"
        if self.progress:
            self.progress.console.print(text, markup=False, highlight=False)
        else:
            typer.echo(text)

    def near_duplicates(self, report, store) -> None:
        """Stories are grouped at the end of an import: list the articles that joined one (read
        back from the import's report rows: the CLI keeps no list of lines)."""
        if self.quiet or not report.count("near-duplicate"):
            return
        for line in store.import_lines(report.run_id, status="near-duplicate"):
                typer.echo(f"{'near-duplicate':16} {line.origin}  #{line.article_id}  ({line.reason})")

    def totals(self, report) -> None:
        extra = "".join(f", {n} {word}" for n, word in ((report.count("near-duplicate"), "near-duplicates"),
                                                         (report.count("updated"), "updated"), (report.skipped, "skipped")) if n)
        typer.echo(f"{report.added} added, {report.duplicates} already present, {report.rejected} rejected{extra} "
                   f"(import #{report.run_id})")
