#!/usr/bin/env python3
"""Writes the results files the compare golden cases read (tests/cli/data/results/).

Hand-made rather than measured, so that every verdict path shows deterministically:

  screen              before.json -> after.json
  work_search         list: 1 ms -> 40 ms, rows examined 2000 -> 600000, ref -> ALL (regressed)
  top                 the same, measured again (~)
  mypage_profile      3 ms -> 1 ms (improved)
  help_beginner       another index, same time and rows (plan changed)
  message_list        other rows returned (results differ)
  old_landing         before only (removed)
  work_search_design  after only (added)

after-time-only.json: work_search 1 ms -> 1.5 ms, nothing else changed (a time-only
regression: fails the default gates, passes --fail-on plan).
after-incomplete.json: like before.json, interrupted after 12 of 20 iterations.

Run it from anywhere; it rewrites the files. The files follow docs/results-format.md
(schema_version 1), as written by sqlmeasure itself (sorted keys, one-space indent).
"""
import json
import math
import os

ITERATIONS = 20
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def samples(median_ms, shift=0.0, n=ITERATIONS):
    """n samples with median `median_ms`, +-2 %, in a scrambled (interleaved-looking) order.
    `shift` moves every sample by that fraction of a step, so two "unchanged" runs are
    similar, not identical."""
    out = []
    for i in range(n):
        k = ((i * 7) % ITERATIONS * 2 - (ITERATIONS - 1)) / 2 + shift  # -9.5 .. 9.5
        out.append(round(median_ms * 1e6 * (1 + 0.002 * k)))
    return out


def quantile(sorted_values, q):
    if not sorted_values:
        return 0.0
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def stats(samples_ns):
    ms = sorted(s / 1e6 for s in samples_ns)
    n = len(ms)
    if n == 0:
        return {"n": 0, "min": 0.0, "median": 0.0, "p95": 0.0, "mean": 0.0, "max": 0.0,
                "stddev": 0.0, "mad": 0.0}
    mean = sum(ms) / n
    median = quantile(ms, 0.5)
    stddev = math.sqrt(sum((x - mean) ** 2 for x in ms) / (n - 1)) if n > 1 else 0.0
    mad = quantile(sorted(abs(x - median) for x in ms), 0.5)
    return {"n": n, "min": ms[0], "median": median, "p95": quantile(ms, 0.95), "mean": mean,
            "max": ms[-1], "stddev": stddev, "mad": mad}


def plan_row(table, access, key, rows, extra, possible=None, key_len="4", ref="const"):
    return {"id": "1", "select_type": "SIMPLE", "table": table, "type": access,
            "possible_keys": possible if possible is not None else key, "key": key,
            "key_len": key_len if key else "", "ref": ref if key else "", "rows": rows,
            "extra": extra}


def query(name, sql, median_ms, rows_examined, plan, checksum, params=None, times=1,
          rows_sent=20, shift=0.0, n=ITERATIONS, error=None):
    s = samples(median_ms, shift, n)
    return {"name": name, "sql": sql, "times": times, "params": params or {},
            "stats_ms": stats(s), "rows_sent": rows_sent, "rows_examined": rows_examined,
            "checksum": checksum, "variants_inspected": 1, "plan": plan, "error": error,
            "samples_ns": s}


def screen(name, description, queries):
    n = min(len(q["samples_ns"]) for q in queries)
    total = [sum(q["samples_ns"][i] * q["times"] for q in queries) for i in range(n)]
    return {"name": name, "description": description, "file": "scenarios/demo/" + name + ".toml",
            "stats_ms": stats(total), "rows_examined": sum(q["rows_examined"] * q["times"] for q in queries),
            "samples_ns": total, "queries": queries}


def run(label, started, screens, complete=True, reason=""):
    return {"format": "sqlmeasure-results", "schema_version": 1,
            "tool": {"name": "sqlmeasure", "version": "0.1.0"}, "label": label,
            "started_at": started, "finished_at": started[:-3] + "42Z", "complete": complete,
            "incomplete_reason": reason,
            "server": {"flavor": "MariaDB", "version": "10.11.6-MariaDB-0+deb12u1",
                       "endpoint": "127.0.0.1:3306", "database": "sqlmeasure_demo"},
            "rows_examined_method": "rows_read_status",
            "settings": {"warmup": 2, "iterations": ITERATIONS, "seed": 1, "order": "round-robin",
                         "scenarios": "scenarios/demo", "screens": [], "query_timeout_ms": 0},
            "screens": screens}


CATEGORY = {"category": [{"number": "17"}, {"number": "23"}, {"number": "41"}]}
LIST_SQL = ("SELECT id, title FROM works WHERE category_id = :category AND deleted = 0 "
            "AND status = 1 ORDER BY started DESC LIMIT 20")
COUNT_SQL = "SELECT COUNT(*) FROM works WHERE category_id = :category AND deleted = 0"
BY_INDEX = plan_row("works", "ref", "category_started", "2000", "Using where")
FULL_SCAN = plan_row("works", "ALL", "", "600000", "Using where; Using filesort",
                     possible="")


def work_search(list_ms, list_rows, list_plan, shift=0.0, n=ITERATIONS):
    return screen("work_search", "Work search by category", [
        query("list", LIST_SQL, list_ms, list_rows, [list_plan], "1f3a5c7e9b0d2f41",
              CATEGORY, shift=shift, n=n),
        query("count", COUNT_SQL, 0.4, 2000, [BY_INDEX], "00000000000007d0", CATEGORY,
              rows_sent=1, shift=shift, n=n),
    ])


def top(shift=0.0, n=ITERATIONS):
    return screen("top", "Top page", [
        query("new_works", "SELECT id, title FROM works WHERE deleted = 0 ORDER BY id DESC LIMIT 10",
              0.3, 10, [plan_row("works", "index", "PRIMARY", "10", "Using where")],
              "7c1e0a9d33b2f650", shift=shift, n=n),
        query("categories", "SELECT id, name FROM categories WHERE parent_id IS NULL",
              0.2, 20, [plan_row("categories", "ref", "parent_id", "20", "Using index condition",
                                 ref="const")],
              "5a0b7e22c913d4f8", times=2, shift=shift, n=n),
    ])


def mypage_profile(ms, shift=0.0, n=ITERATIONS):
    return screen("mypage_profile", "My page: profile", [
        query("profile", "SELECT * FROM profiles WHERE user_id = 1", ms, 1,
              [plan_row("profiles", "const", "user_id", "1", "")], "0a1b2c3d4e5f6071",
              rows_sent=1, shift=shift, n=n),
    ])


def help_beginner(key, shift=0.0, n=ITERATIONS):
    return screen("help_beginner", "Help for beginners", [
        query("articles", "SELECT id, title FROM help_articles WHERE level = 1 ORDER BY id LIMIT 10",
              0.5, 10, [plan_row("help_articles", "ref", key, "10", "Using where",
                                 possible="level,level_id")],
              "44aa44aa44aa44aa", shift=shift, n=n),
    ])


def message_list(checksum, shift=0.0, n=ITERATIONS):
    return screen("message_list", "Messages", [
        query("inbox", "SELECT id, subject FROM messages WHERE to_user_id = 1 ORDER BY id DESC LIMIT 20",
              0.6, 20, [plan_row("messages", "ref", "to_user_id", "20", "Using where")],
              checksum, shift=shift, n=n),
    ])


def old_landing(shift=0.0, n=ITERATIONS):
    return screen("old_landing", "Retired landing page", [
        query("q1", "SELECT id FROM works ORDER BY created DESC LIMIT 5", 0.8, 5,
              [plan_row("works", "index", "created", "5", "")], "1234123412341234",
              rows_sent=5, shift=shift, n=n),
    ])


def work_search_design(shift=0.0, n=ITERATIONS):
    return screen("work_search_design", "Work search, design category", [
        query("list", LIST_SQL.replace(":category", "17"), 0.9, 1800, [BY_INDEX],
              "9e9e9e9e9e9e9e9e", shift=shift, n=n),
    ])


def write(name, document):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as out:
        out.write(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def main():
    os.makedirs(HERE, exist_ok=True)
    write("before.json", run("before", "2024-05-01T10:00:00Z", [
        work_search(1.0, 2000, BY_INDEX), top(), mypage_profile(3.0),
        help_beginner("level"), message_list("ab12cd34ef56ab78"), old_landing()]))
    write("after.json", run("after drop_category_index", "2024-05-01T10:05:00Z", [
        work_search(40.0, 600000, FULL_SCAN, 0.5), top(0.5), mypage_profile(1.0, 0.5),
        help_beginner("level_id", 0.5), message_list("ab12cd34ef56ab79", 0.5),
        work_search_design(0.5)]))
    write("after-time-only.json", run("after, slower", "2024-05-01T10:05:00Z", [
        work_search(1.5, 2000, BY_INDEX, 0.5), top(0.5), mypage_profile(3.0, 0.5),
        help_beginner("level", 0.5), message_list("ab12cd34ef56ab78", 0.5), old_landing(0.5)]))
    write("after-incomplete.json", run("after, interrupted", "2024-05-01T10:05:00Z", [
        work_search(1.0, 2000, BY_INDEX, 0.5, 12), top(0.5, 12), mypage_profile(3.0, 0.5, 12),
        help_beginner("level", 0.5, 12), message_list("ab12cd34ef56ab78", 0.5, 12),
        old_landing(0.5, 12)], complete=False,
        reason="interrupted by a signal (SIGINT/SIGTERM)"))


if __name__ == "__main__":
    main()
