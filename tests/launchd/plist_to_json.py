#!/usr/bin/env python3
"""Strict check of rendered LaunchAgent plists.

Loads every XML plist named on the command line with plistlib (expat-based:
malformed XML, unknown elements or bad values raise) and prints one canonical
JSON line per file: keys sorted, ASCII only, no spaces. JSON keeps the plist
types apart (true/false, integers, strings, arrays, dicts); a <real>, <date>
or <data> value makes json.dumps fail, so it cannot slip through.
Exit status: 0 when every file loaded, 1 otherwise (with the reason on stderr).
"""
import json
import plistlib
import sys


def main(paths):
    for path in paths:
        try:
            with open(path, "rb") as handle:
                value = plistlib.load(handle, fmt=plistlib.FMT_XML)
            line = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        except Exception as error:  # report any failure as the file's verdict
            print(f"{path}: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
