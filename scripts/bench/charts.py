"""Draws the bench's charts from its results.json: step lateness and RSS against the number of
Canaries, Perch beside Flagger, and Perch of an earlier run when one is given.
Usage: charts.py RESULTS.json OUT_DIR [BEFORE.json] (writes lateness.png, rss.png)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)


def total(footprint, roles=None):
    return sum(u["rssMiB"] for role, u in footprint.items() if roles is None or role in roles)


def chart(path, title, ylabel, series, sizes):
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for label, xs, values, style in series:
        ax.plot(xs, values, style, label=label)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("Canaries per controller (10% rolling)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def fleet_of(path):
    run = json.load(open(path))
    return run["commit"], sorted(run["fleet"], key=lambda x: x["n"])


def main(results_path, out, before_path=None):
    _, fleet = fleet_of(results_path)
    if not fleet:
        return
    sizes = [x["n"] for x in fleet]
    commit, before = fleet_of(before_path) if before_path else (None, [])
    sizes_before = [x["n"] for x in before]
    late = lambda runs, side, p: [x[side]["rolling"]["latenessS"].get(p) for x in runs]
    perch_rss = lambda runs: [total(x["perch"]["rolling"]["footprint"], ("worker", "watcher")) for x in runs]
    was = [
        (f"Perch before ({commit}) p50", sizes_before, late(before, "perch", "p50"), "o-C7"),
        (f"Perch before ({commit}) p99", sizes_before, late(before, "perch", "p99"), "o--C7"),
    ] if before else []
    chart(f"{out}/lateness.png", "Step lateness against the ideal tick", "seconds", was + [
        ("Perch p50", sizes, late(fleet, "perch", "p50"), "o-C0"), ("Perch p99", sizes, late(fleet, "perch", "p99"), "o--C0"),
        ("Flagger p50", sizes, late(fleet, "flagger", "p50"), "s-C1"), ("Flagger p99", sizes, late(fleet, "flagger", "p99"), "s--C1"),
    ], sorted(set(sizes + sizes_before)))
    chart(f"{out}/rss.png", "Memory while 10% roll (peak RSS)", "MiB", (
        [(f"Perch before ({commit})", sizes_before, perch_rss(before), "o-C7")] if before else []) + [
        ("Perch worker + watcher", sizes, perch_rss(fleet), "o-C0"),
        ("Temporal dev server", sizes, [x["temporal"]["rolling"]["rssMiB"] for x in fleet], "^:C2"),
        ("Flagger", sizes, [total(x["flagger"]["rolling"]["footprint"]) for x in fleet], "s-C1"),
    ], sorted(set(sizes + sizes_before)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
