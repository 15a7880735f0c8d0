"""How long each kind of activity waited for a worker, and then ran, over every workflow of one
task queue: scheduled → started and started → completed, from each workflow's first run (the one
that initialised the Canary). Then the workflow tasks of every run, and how many timed out, by kind
(schedule-to-start: left too long on the worker's sticky queue, then dispatched again). Reads the
histories through the Temporal CLI, so it works on a bench run's workflows for as long as the stack
that ran them is up.
Usage: activity-waits.py TEMPORAL_CLI ADDRESS TASK_QUEUE (the worker's log is .stack/logs/<task queue>-worker.log)."""
import collections
import concurrent.futures
import json
import subprocess
import sys
from datetime import datetime


def cli(temporal, address, *args):
    out = subprocess.run([temporal, *args, "--address", address, "-o", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def seconds(stamp):
    # RFC 3339 with nanoseconds; Python takes microseconds.
    whole, _, frac = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{whole}.{(frac + '000000')[:6]}").timestamp()


def activity_times(events):
    """(activity type, scheduled → started s, started → completed s) for each completed activity."""
    scheduled, started = {}, {}
    for e in events:
        at = seconds(e["eventTime"])
        if "activityTaskScheduledEventAttributes" in e:
            scheduled[e["eventId"]] = (e["activityTaskScheduledEventAttributes"]["activityType"]["name"], at)
        elif "activityTaskStartedEventAttributes" in e:
            started[e["activityTaskStartedEventAttributes"]["scheduledEventId"]] = at
        elif "activityTaskCompletedEventAttributes" in e:
            key = e["activityTaskCompletedEventAttributes"]["scheduledEventId"]
            if key in scheduled and key in started:
                kind, at_scheduled = scheduled[key]
                yield kind, started[key] - at_scheduled, at - started[key]


def task_timeouts(events):
    """Workflow tasks started, and their timeouts by kind."""
    started, timeouts = 0, collections.Counter()
    for e in events:
        if "workflowTaskStartedEventAttributes" in e:
            started += 1
        elif "workflowTaskTimedOutEventAttributes" in e:
            timeouts[e["workflowTaskTimedOutEventAttributes"].get("timeoutType", "?")] += 1
    return started, timeouts


def percentile(values, p):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)


def main(temporal, address, task_queue):
    runs = cli(temporal, address, "workflow", "list", "--query", f"TaskQueue='{task_queue}'", "--limit", "100000")
    first = {}
    for run in runs:
        workflow = run["execution"]["workflowId"]
        if workflow not in first or run["startTime"] < first[workflow]["startTime"]:
            first[workflow] = run

    def history(execution):
        return cli(temporal, address, "workflow", "show", "-w", execution["workflowId"], "-r", execution["runId"])["events"]

    firsts = {run["execution"]["runId"] for run in first.values()}

    waited, ran = collections.defaultdict(list), collections.defaultdict(list)
    tasks, timeouts = 0, collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for run, events in zip(runs, pool.map(history, [run["execution"] for run in runs])):
            started, timed_out = task_timeouts(events)
            tasks += started
            timeouts.update(timed_out)
            if run["execution"]["runId"] not in firsts:
                continue
            for kind, wait, took in activity_times(events):
                waited[kind].append(wait)
                ran[kind].append(took)

    print(f"{len(first)} workflows on {task_queue}")
    print("| activity | count | waited for a worker p50 / p90 / max (s) | ran p50 / p90 / max (s) |")
    print("|---|---:|---|---|")
    for kind in sorted(waited):
        w, r = waited[kind], ran[kind]
        print(f"| {kind} | {len(w)} | {' / '.join(str(percentile(w, p)) for p in (0.5, 0.9, 1))} | {' / '.join(str(percentile(r, p)) for p in (0.5, 0.9, 1))} |")
    print()
    print(f"{len(runs)} runs: {tasks} workflow tasks started; timed out: {dict(timeouts) or 'none'}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
