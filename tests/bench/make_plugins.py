#!/usr/bin/env python3
"""Writes COUNT copies of the bench fixture plugin into DIR, each a real
plugin of its own: the placeholder name "fx-bench-00000" in the file is
patched to "fx-bench-00001", ... (same length), so no two copies share a name.
Their priority (1) is below every in-tree backend's.
  make_plugins.py FIXTURE DIR COUNT"""
import os
import sys

PLACEHOLDER = b"fx-bench-00000"


def make(fixture, folder, count):
    data = open(fixture, "rb").read()
    if data.count(PLACEHOLDER) != 1:
        sys.exit(f"{fixture}: expected the name {PLACEHOLDER.decode()} once")
    os.makedirs(folder, mode=0o755, exist_ok=True)
    os.chmod(folder, 0o755)
    suffix = os.path.splitext(fixture)[1]
    for i in range(1, count + 1):
        name = b"fx-bench-%05d" % i
        path = os.path.join(folder, "fx_bench_%05d%s" % (i, suffix))
        with open(path, "wb") as out:
            out.write(data.replace(PLACEHOLDER, name))
        os.chmod(path, 0o755)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    make(sys.argv[1], sys.argv[2], int(sys.argv[3]))
