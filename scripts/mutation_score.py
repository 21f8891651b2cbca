"""Summarise `mutmut results --all true` for the rule functions that `make mutation` mutates.

Reads mutmut's result lines on stdin and the mutant-name patterns as arguments; prints killed / total per
module and overall, lists the survivors, and exits non-zero below the required share of killed mutants.
"""

import argparse
import fnmatch
import re
import sys
from collections import Counter

# A mutant the tests detect: they failed, or ran into the time limit (e.g. a loop that never ends).
DETECTED = {"killed", "timeout", "caught by type check"}
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+?)\s*$")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("patterns", nargs="+", help="mutant name patterns, as given to `mutmut run`")
    parser.add_argument("--minimum", type=float, default=90.0, help="required percentage of killed mutants")
    args = parser.parse_args()

    total: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    survivors = []
    for line in sys.stdin:
        match = LINE.match(line)
        if not match or not any(fnmatch.fnmatch(match["name"], p) for p in args.patterns):
            continue
        name, status = match["name"], match["status"]
        module = name.split(".x_")[0]
        total[module] += 1
        if status in DETECTED:
            killed[module] += 1
        else:
            survivors.append(f"{name}: {status}")
    if not total:
        print("No mutation results: run `make mutation` first.", file=sys.stderr)
        return 2
    for module in sorted(total):
        share = 100 * killed[module] / total[module]
        print(f"{module:<28} {killed[module]:>4} of {total[module]:>4} killed ({share:.1f} %)")
    share = 100 * sum(killed.values()) / sum(total.values())
    print(f"{'all rule functions':<28} {sum(killed.values()):>4} of {sum(total.values()):>4} killed ({share:.1f} %)")
    if survivors:
        print("\nNot killed (`.venv/bin/mutmut show NAME` shows the change):")
        print("\n".join(f"  {s}" for s in sorted(survivors)))
    if share < args.minimum:
        print(f"\nBelow the required {args.minimum:.0f} % of killed mutants.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
