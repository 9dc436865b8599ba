"""Query profile of the spare parts reservation: every SQL statement of one
``service.order.part._parts_reserve`` batch counted by statement and caller.

    python bench/profile_parts_reserve.py --db <db> [--size 300]

Seeds ``--size`` scheduled orders of two parts as ``bench_parts.py`` does,
reserves them in one call and prints the 20 most frequent statements with
their three nearest Odoo callers. Everything is rolled back at the end.
"""

import collections
import os
import re
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_parts
from common import environment, parse_args

SKIPPED_FILES = ("sql_db.py", "models.py", "fields.py", "api.py")


def main():
    args = parse_args("Spare parts: reservation query profile", 300)
    counts = collections.Counter()
    callers = collections.defaultdict(collections.Counter)
    with environment(args.db, args.addons_path) as env:
        orders = bench_parts.seed(env, args.size)
        import odoo.sql_db

        execute = odoo.sql_db.Cursor.execute

        def counting_execute(cursor, query, params=None, log_exceptions=True):
            code = query.code if hasattr(query, "code") else str(query)
            key = re.sub(r"\s+", " ", code)[:110]
            counts[key] += 1
            frames = [
                frame
                for frame in traceback.extract_stack()[:-1]
                if "/odoo/" in frame.filename and not frame.filename.endswith(SKIPPED_FILES)
            ]
            callers[key][
                "; ".join(f"{os.path.basename(f.filename)}:{f.name}" for f in frames[-3:])
            ] += 1
            return execute(cursor, query, params, log_exceptions)

        odoo.sql_db.Cursor.execute = counting_execute
        try:
            count0 = env.cr.sql_log_count
            start = time.perf_counter()
            orders.part_ids._parts_reserve()
            env.flush_all()
            seconds = time.perf_counter() - start
            queries = env.cr.sql_log_count - count0
        finally:
            odoo.sql_db.Cursor.execute = execute
    print(f"{args.size} orders: {seconds:.1f} s, {queries} queries, load {os.getloadavg()}")
    for key, count in counts.most_common(20):
        print(f"{count:7d} {key}")
        for caller, n in callers[key].most_common(2):
            print(f"          {n:7d} {caller}")


if __name__ == "__main__":
    main()
