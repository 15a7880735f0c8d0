"""Draws the bench's charts from its results.json: step lateness and RSS against the number of
Canaries, Perch beside Flagger. Usage: charts.py RESULTS.json OUT_DIR (writes lateness.png, rss.png)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)


def total(footprint, roles=None):
    return sum(u["rssMiB"] for role, u in footprint.items() if roles is None or role in roles)


def chart(path, title, ylabel, series, sizes):
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for label, values, style in series:
        ax.plot(sizes, values, style, label=label)
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


def main(results_path, out):
    fleet = sorted(json.load(open(results_path))["fleet"], key=lambda x: x["n"])
    if not fleet:
        return
    sizes = [x["n"] for x in fleet]
    late = lambda side, p: [x[side]["rolling"]["latenessS"].get(p) for x in fleet]
    chart(f"{out}/lateness.png", "Step lateness against the ideal tick", "seconds", [
        ("Perch p50", late("perch", "p50"), "o-C0"), ("Perch p99", late("perch", "p99"), "o--C0"),
        ("Flagger p50", late("flagger", "p50"), "s-C1"), ("Flagger p99", late("flagger", "p99"), "s--C1"),
    ], sizes)
    chart(f"{out}/rss.png", "Memory while 10% roll (peak RSS)", "MiB", [
        ("Perch worker + watcher", [total(x["perch"]["rolling"]["footprint"], ("worker", "watcher")) for x in fleet], "o-C0"),
        ("Temporal dev server", [x["temporal"]["rolling"]["rssMiB"] for x in fleet], "^:C2"),
        ("Flagger", [total(x["flagger"]["rolling"]["footprint"]) for x in fleet], "s-C1"),
    ], sizes)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
