"""Measure prayerdoc side by side with its baselines and print one Markdown table.

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # small sizes: a smoke run of every measurement

Every ratio compares two measurements of the same run on the same input:
the parser against a naive regex parser and against splitting the text into
lines; the ``check`` command's start-up against importing Lark and attrs;
memory over 10,000 files against memory over 1,000; a year of bulletins to one
calendar feed against one bulletin, and the feed's memory over 10,000 files
against 1,000, beside the size of what it writes. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

if __package__ in (None, ""):
    # Run as a script: make the ``benchmarks`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import prayerdoc
from benchmarks import naive
from benchmarks.corpus import (
    ROOT,
    fixture_paths,
    read_texts,
    repeat,
    seed_paths,
    write_files,
    write_weekly,
)
from benchmarks.measure import Child, best_seconds, run_child
from benchmarks.table import markdown_table, rate, ratio, seconds

__all__ = ["Sizes", "main"]

HEADER = ("Benchmark", "Workload", "Result", "Ratio")
Row = tuple[str, str, str, str]
MIB = 1024 * 1024
# iCalendar needs a first day when the bulletin has none.
ICAL_START = datetime.date(2024, 1, 1)
# A year of weekly bulletins, the feed a prayer team publishes.
YEAR = 52


@attrs.frozen
class Sizes:
    """How much work each measurement does: by default the full sizes the targets are stated for."""

    corpus_bytes: int = 10 * MIB
    repeats: int = 5
    command_repeats: int = 2
    cold_runs: int = 21
    # Runs of each multi-file command (check -j N, the year's feed); the best or median is kept.
    process_repeats: int = 3
    memory_files: tuple[int, int] = (1_000, 10_000)
    jobs_files: int = 2_000

    @classmethod
    def choose(cls, quick: bool) -> Sizes:
        """The full sizes, or small ones for a smoke run of every measurement."""
        if not quick:
            return cls()
        return cls(
            corpus_bytes=MIB // 16,
            repeats=1,
            command_repeats=1,
            cold_runs=1,
            process_repeats=1,
            memory_files=(20, 60),
            jobs_files=40,
        )


def prayerdoc_command() -> list[str]:
    """The ``prayerdoc`` console script beside this interpreter, else ``python -m prayerdoc``."""
    script = Path(sys.executable).with_name("prayerdoc")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "prayerdoc"]


def failure(command: Sequence[str]) -> str | None:
    """Why ``command`` cannot be measured (it crashed or refused its arguments), or None.

    Exit 1 means "problems found in the input", a normal outcome of ``check``.
    """
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode in (0, 1) and "Traceback" not in done.stderr:
        return None
    last = (done.stderr.strip().splitlines() or ["no message"])[-1]
    return f"fails (exit {done.returncode}): {last}"


def megabytes(texts: Sequence[str]) -> float:
    """The UTF-8 size of ``texts`` in MB (10⁶ bytes)."""
    return sum(len(text.encode("utf-8")) for text in texts) / 1e6


def speed(corpus: Sequence[str], elapsed: float) -> str:
    """The result cell of one pass over ``corpus`` that took ``elapsed`` seconds."""
    return f"{rate(len(corpus), elapsed)} bulletins/s, {megabytes(corpus) / elapsed:,.2f} MB/s"


def split_lines(text: str) -> list[str]:
    """The floor: the least any parser must do, splitting its text into lines."""
    return text.split("\n")


def comparable_texts(texts: dict[Path, str]) -> list[str]:
    """The texts the naive parser reads into exactly prayerdoc's model."""
    agreed = []
    for text in texts.values():
        try:
            if naive.parse(text) == prayerdoc.parse(text):
                agreed.append(text)
        except (naive.NaiveParseError, prayerdoc.ParseError):
            continue
    return agreed


def assert_naive_is_honest(seeds: dict[Path, str]) -> None:
    """The comparison means something only if both parsers build the same bulletins."""
    for path, text in seeds.items():
        if naive.parse(text) != prayerdoc.parse(text):
            raise SystemExit(f"the naive parser disagrees with prayerdoc.parse on {path}")


def parseable_texts(texts: dict[Path, str]) -> list[str]:
    """The texts prayerdoc.parse reads into a bulletin."""
    parseable = []
    for text in texts.values():
        try:
            prayerdoc.parse(text)
        except prayerdoc.ParseError:
            continue
        parseable.append(text)
    return parseable


def corpus_name(corpus: Sequence[str], files: int, what: str) -> str:
    """How big a corpus is and where it comes from."""
    return f"{len(corpus):,} bulletins, {megabytes(corpus):.1f} MB ({files} files: {what})"


def parse_rows(sizes: Sizes, texts: dict[Path, str], full: Sequence[str]) -> list[Row]:
    """1. Throughput of prayerdoc.parse against the naive parser and the floor."""
    comparable_sources = comparable_texts(texts)
    comparable = repeat(comparable_sources, sizes.corpus_bytes)
    full_name = "the corpus"
    comparable_name = corpus_name(
        comparable, len(comparable_sources), "those both parsers read alike"
    )

    on_full = best_seconds({"parse": prayerdoc.parse, "floor": split_lines}, full, sizes.repeats)
    on_same = best_seconds(
        {"parse": prayerdoc.parse, "naive": naive.parse}, comparable, sizes.repeats
    )
    return [
        (
            "1. parse: prayerdoc.parse",
            full_name,
            speed(full, on_full["parse"]),
            f"{ratio(on_full['parse'], on_full['floor'])} floor (time)",
        ),
        ("1. floor: split into lines", full_name, speed(full, on_full["floor"]), "baseline"),
        (
            "1. parse: prayerdoc.parse",
            comparable_name,
            speed(comparable, on_same["parse"]),
            f"{ratio(on_same['parse'], on_same['naive'])} naive (time)",
        ),
        ("1. naive regex parser", comparable_name, speed(comparable, on_same["naive"]), "baseline"),
    ]


def compile_package() -> None:
    """Write the bytecode of prayerdoc's modules, as installing a wheel does.

    An editable install, or a checkout run with PYTHONDONTWRITEBYTECODE set, would
    otherwise compile every changed module from source at each start: a cost
    that users of an installed prayerdoc never pay, and lark and attrs (the
    baseline) do not pay here either.
    """
    compileall.compile_dir(Path(prayerdoc.__file__).parent, quiet=1)


def cold_rows(sizes: Sizes) -> list[Row]:
    """2. Start-up: ``prayerdoc check FILE`` as a fresh process against bare interpreters."""
    compile_package()
    seed = ROOT / "examples" / "bulletins" / "bulletin-01.txt"
    commands = {
        "prayerdoc check bulletin-01.txt": [*prayerdoc_command(), "check", str(seed)],
        'python -c "import prayerdoc"': [sys.executable, "-c", "import prayerdoc"],
        'python -c "import lark, attrs"': [sys.executable, "-c", "import lark, attrs"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    broken = failure(commands["prayerdoc check bulletin-01.txt"])
    if broken is not None:
        return [("2. cold start: prayerdoc check bulletin-01.txt", "", broken, "n/a")]
    times: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, set[int]] = {name: set() for name in commands}
    for _ in range(sizes.cold_runs):
        # Interleaved, so that a slow moment of the machine hits every command alike.
        for name, command in commands.items():
            child = run_child(command)
            times[name].append(child.seconds)
            codes[name].add(child.returncode)
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians['python -c "import lark, attrs"']
    bare = medians["python -c pass"]
    workload = f"median of {sizes.cold_runs} interleaved runs"
    rows: list[Row] = []
    for name, median in medians.items():
        exits = ", ".join(str(code) for code in sorted(codes[name]))
        cell = f"{seconds(median)} (exit {exits})"
        if name == "python -c pass":
            verdict = "baseline"
        elif name == 'python -c "import lark, attrs"':
            verdict = f"baseline; {ratio(median, bare)} pass"
        else:
            verdict = f"{ratio(median, floor)} lark+attrs, {ratio(median, bare)} pass"
        rows.append((f"2. cold start: {name}", workload, cell, verdict))
    return rows


_IDLE_IMPORTS = "import prayerdoc.cli, prayerdoc.commands.convert, prayerdoc.formats.json"


def convert_child(paths: Sequence[Path], out_dir: Path, jobs: int | None = None) -> Child:
    """One ``prayerdoc convert --to json`` process over ``paths``."""
    command = [*prayerdoc_command(), "convert", "--to", "json", "--out-dir", str(out_dir)]
    if jobs is not None:
        command += ["-j", str(jobs)]
    return run_child([*command, *map(str, paths)])


def memory_rows(sizes: Sizes, texts: Sequence[str], work: Path) -> list[Row]:
    """3. Peak RSS of one convert process over few and over many files."""
    small, large = sizes.memory_files
    source = work / "memory"
    source.mkdir()
    paths = write_files(source, texts, large)
    probe = work / "memory-probe"
    probe.mkdir()
    broken = failure(
        [*prayerdoc_command(), "convert", "--to", "json", "--out-dir", str(probe), str(paths[0])]
    )
    if broken is not None:
        return [("3. memory: convert --to json", "", broken, "n/a")]
    runs: dict[int, Child] = {}
    for count in (small, large):
        out_dir = work / f"memory-out-{count}"
        out_dir.mkdir()
        runs[count] = convert_child(paths[:count], out_dir)
    # The same argument lists in a process that only imports what convert imports:
    # what 10,000 file names cost the operating system and Python before any work.
    idle = {
        count: run_child([sys.executable, "-c", _IDLE_IMPORTS, *map(str, paths[:count])])
        for count in (small, large)
    }
    interpreter = run_child([sys.executable, "-c", "import lark, attrs"])
    rows: list[Row] = []
    for count, child in runs.items():
        cell = (
            f"{child.peak_rss_kib / 1024:.1f} MiB peak RSS; {seconds(child.seconds)}, "
            f"{rate(count, child.seconds)} files/s (exit {child.returncode})"
        )
        verdict = (
            "baseline"
            if count == small
            else (f"{ratio(child.peak_rss_kib, runs[small].peak_rss_kib)} the {small:,}-file run")
        )
        rows.append(
            ("3. memory: convert --to json", f"{count:,} files, one process", cell, verdict)
        )
    for count, child in idle.items():
        rows.append(
            (
                "3. memory: the same arguments, imports only",
                f"{count:,} file names, one process",
                f"{child.peak_rss_kib / 1024:.1f} MiB peak RSS",
                "reference",
            )
        )
    work_small = runs[small].peak_rss_kib - idle[small].peak_rss_kib
    work_large = runs[large].peak_rss_kib - idle[large].peak_rss_kib
    rows.append(
        (
            "3. memory: convert beyond its arguments",
            f"{small:,} then {large:,} files",
            f"{work_small / 1024:.1f} MiB, then {work_large / 1024:.1f} MiB",
            f"{ratio(work_large, work_small)} the {small:,}-file run",
        )
    )
    rows.append(
        (
            '3. memory: python -c "import lark, attrs"',
            "one process",
            f"{interpreter.peak_rss_kib / 1024:.1f} MiB peak RSS",
            "reference",
        )
    )
    return rows


def feed_child(paths: Sequence[Path], out: Path) -> Child:
    """One ``prayerdoc convert --to ical -o FILE`` process: every path into one feed."""
    command = [*prayerdoc_command(), "convert", "--to", "ical", "-o", str(out)]
    return run_child([*command, *map(str, paths)])


def feed_rows(sizes: Sizes, texts: Sequence[str], work: Path) -> list[Row]:
    """6. Weekly bulletins to one calendar feed: a year's time, and memory over many files."""
    small, large = sizes.memory_files
    source = work / "feed"
    source.mkdir()
    paths = write_weekly(source, texts, max(large, YEAR))
    broken = failure(
        [*prayerdoc_command(), "convert", "-o", str(work / "probe.ics"), *map(str, paths[:2])]
    )
    if broken is not None:
        return [("6. feed: convert --to ical -o FILE", "", broken, "n/a")]
    rows: list[Row] = []
    repeats = range(sizes.process_repeats)
    one = min((feed_child(paths[:1], work / "one.ics") for _ in repeats), key=lambda c: c.seconds)
    year = min(
        (feed_child(paths[:YEAR], work / "year.ics") for _ in repeats), key=lambda c: c.seconds
    )
    rows.append(
        ("6. feed: one bulletin to .ics", "1 file, one process", seconds(one.seconds), "baseline")
    )
    rows.append(
        (
            "6. feed: a year of bulletins to one .ics",
            f"{YEAR} files, one process",
            f"{seconds(year.seconds)} (exit {year.returncode})",
            f"{ratio(year.seconds, one.seconds)} one bulletin (time)",
        )
    )
    year_texts = [path.read_text(encoding="utf-8") for path in paths[:YEAR]]

    def parse_year(_: str) -> list[prayerdoc.Bulletin]:
        return [prayerdoc.parse(text, source="week.txt") for text in year_texts]

    def feed_year(_: str) -> object:
        return prayerdoc.dumps(parse_year(_), "ical")

    elapsed = best_seconds({"parse": parse_year, "feed": feed_year}, [""], 5)
    rows.append(
        (
            "6. feed: parse a year of bulletins + write one feed, in process",
            f"{YEAR} bulletins",
            f"{seconds(elapsed['feed'])}; parsing alone {seconds(elapsed['parse'])}",
            f"{ratio(elapsed['feed'], elapsed['parse'])} parsing alone (time)",
        )
    )
    runs = {
        count: feed_child(paths[:count], work / f"feed-{count}.ics") for count in (small, large)
    }
    idle = {
        count: run_child([sys.executable, "-c", _IDLE_IMPORTS, *map(str, paths[:count])])
        for count in (small, large)
    }
    written = {count: (work / f"feed-{count}.ics").stat().st_size for count in (small, large)}
    read = {count: sum(path.stat().st_size for path in paths[:count]) for count in (small, large)}
    work_kib = {count: runs[count].peak_rss_kib - idle[count].peak_rss_kib for count in runs}
    for count in (small, large):
        rows.append(
            (
                "6. feed: memory beyond the arguments",
                f"{count:,} files ({read[count] / MIB:.1f} MiB read), one .ics of "
                f"{written[count] / MIB:.1f} MiB",
                f"{work_kib[count] / 1024:.1f} MiB; {seconds(runs[count].seconds)} "
                f"(exit {runs[count].returncode})",
                "baseline"
                if count == small
                else f"{ratio(work_kib[large], work_kib[small])} the {small:,}-file run; "
                f"the output grew {ratio(written[large], written[small])}",
            )
        )
    return rows


def _check(text: str) -> object:
    return prayerdoc.check(text)


def _writer(fmt: str, **options: object) -> Callable[[str], object]:
    def convert(text: str) -> object:
        return prayerdoc.dumps(prayerdoc.parse(text), fmt, **options)

    return convert


def command_rows(sizes: Sizes, corpus: Sequence[str]) -> list[Row]:
    """4. In-process throughput of check and of parse + write for each format."""
    workload = "the corpus"
    steps: dict[str, Callable[[str], object]] = {
        "parse only": prayerdoc.parse,
        "check: prayerdoc.check": _check,
        "convert: parse + json": _writer("json"),
        "convert: parse + markdown": _writer("markdown"),
        "convert: parse + ical (start given)": _writer("ical", start=ICAL_START),
        "convert: parse + text": _writer("text"),
    }
    missing: list[Row] = []
    for name, step in list(steps.items()):
        try:
            step(corpus[0])
        except Exception as error:  # a format not written yet is a row, not a crash
            reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            missing.append((f"4. {name}", workload, f"not available: {reason}", "n/a"))
            del steps[name]
    elapsed = best_seconds(steps, corpus, sizes.command_repeats)
    rows: list[Row] = []
    for name in steps:
        verdict = (
            "baseline"
            if name == "parse only"
            else f"{ratio(elapsed[name], elapsed['parse only'])} parse (time)"
        )
        rows.append((f"4. {name}", workload, speed(corpus, elapsed[name]), verdict))
    return rows + missing


def supports_jobs(subcommand: str) -> bool:
    """Whether ``prayerdoc SUBCOMMAND --help`` offers ``-j``."""
    shown = subprocess.run(
        [*prayerdoc_command(), subcommand, "--help"], capture_output=True, text=True, check=False
    )
    return shown.returncode == 0 and any(flag in shown.stdout for flag in ("-j ", "-j,", "--jobs"))


def jobs_rows(sizes: Sizes, texts: Sequence[str], work: Path) -> list[Row]:
    """5. Speed-up of ``check -j N`` over many files."""
    if not supports_jobs("check"):
        return [("5. check -j N", "", "not supported (no -j in 'prayerdoc check --help')", "n/a")]
    source = work / "jobs"
    source.mkdir()
    paths = [str(path) for path in write_files(source, texts, sizes.jobs_files)]
    broken = failure([*prayerdoc_command(), "check", "-j", "2", *paths[:4]])
    if broken is not None:
        return [("5. check -j N", "", broken, "n/a")]
    cores = os.cpu_count() or 1
    workers = sorted({1, cores})
    times: dict[int, list[float]] = {n: [] for n in workers}
    codes: dict[int, set[int]] = {n: set() for n in workers}
    for _ in range(sizes.process_repeats):
        for n in workers:
            child = run_child([*prayerdoc_command(), "check", "-j", str(n), *paths])
            times[n].append(child.seconds)
            codes[n].add(child.returncode)
    medians = {n: statistics.median(values) for n, values in times.items()}
    rows: list[Row] = []
    for n in workers:
        exits = ", ".join(str(code) for code in sorted(codes[n]))
        cell = f"{seconds(medians[n])}, {rate(len(paths), medians[n])} files/s (exit {exits})"
        verdict = "baseline" if n == 1 else f"{ratio(medians[1], medians[n])} speed-up"
        workload = f"{len(paths):,} files, median of {sizes.process_repeats}"
        rows.append((f"5. check -j {n}", workload, cell, verdict))
    return rows


def revision() -> str:
    """The commit measured, marked when the working tree differs from it."""
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "grammar"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not head:
        return "unknown revision"
    return f"{head} with local changes in src/" if changed else head


def machine() -> str:
    """The machine the numbers come from."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, prayerdoc {prayerdoc.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    args = parser.parse_args(argv)
    sizes = Sizes.choose(args.quick)

    seeds = read_texts(seed_paths())
    assert_naive_is_honest(seeds)
    texts = read_texts([*seed_paths(), *fixture_paths()])
    seed_texts = list(seeds.values())
    parseable = parseable_texts(texts)
    full = repeat(parseable, sizes.corpus_bytes)
    what = f"{len(seeds)} examples and the valid fixtures prayerdoc parses"

    rows: list[Row] = []
    rows += parse_rows(sizes, texts, full)
    print("throughput measured", file=sys.stderr)
    rows += cold_rows(sizes)
    print("cold start measured", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="prayerdoc-bench-") as temporary:
        work = Path(temporary)
        rows += memory_rows(sizes, seed_texts, work)
        print("memory measured", file=sys.stderr)
        rows += command_rows(sizes, full)
        print("check and convert measured", file=sys.stderr)
        rows += jobs_rows(sizes, seed_texts, work)
        rows += feed_rows(sizes, seed_texts, work)
        print("feed measured", file=sys.stderr)
    print(f"Machine: {machine()}")
    kind = "--quick" if args.quick else "full"
    print(f"Run: {kind}, {datetime.date.today().isoformat()}, revision {revision()}")
    print(f"The corpus: {corpus_name(full, len(parseable), what)}\n")
    print(markdown_table(HEADER, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
