"""Debian's python3-avro, as the other Avro implementation of
avro_interop_test:

  python_avro.py write OUT_DIR COUNT   one container file per codec it has
  python_avro.py check COUNT FILE...   reads the files and checks that they
                                       hold the test users 0 .. COUNT-1, each
                                       once; prints "ok COUNT" or the problem
"""
import json
import os
import sys

import avro.datafile
import avro.io
import avro.schema

SCHEMA = avro.schema.parse(json.dumps({
    "type": "record", "name": "User", "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "score", "type": "double"},
    ]}))

# Debian's python3-avro 1.11 has these three (no snappy, xz, zstandard).
CODECS = ("null", "deflate", "bzip2")


def user(i):
    return {"id": i, "name": "user-%d" % i, "score": i / 4}


def write(out_dir, count):
    for codec in CODECS:
        path = os.path.join(out_dir, "users-%s.avro" % codec)
        with open(path, "wb") as f:
            writer = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), SCHEMA, codec=codec)
            for i in range(count):
                writer.append(user(i))
                if i % 100 == 99:
                    writer.sync()  # many blocks, so that splits land between them
            writer.close()


def check(count, paths):
    seen = []
    for path in paths:
        with open(path, "rb") as f:
            for record in avro.datafile.DataFileReader(f, avro.io.DatumReader()):
                seen.append(record)
    seen.sort(key=lambda r: r["id"])
    expected = [user(i) for i in range(count)]
    if seen != expected:
        n = max(len(seen), len(expected))
        padded_seen = seen + [None] * (n - len(seen))
        padded_expected = expected + [None] * (n - len(expected))
        first = next(i for i in range(n) if padded_seen[i] != padded_expected[i])
        print("mismatch: %d records read, %d expected; record %d is %r, expected %r" % (
            len(seen), len(expected), first, padded_seen[first], padded_expected[first]))
        return 1
    print("ok %d" % count)
    return 0


def main():
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]))
        return 0
    return check(int(sys.argv[2]), sys.argv[3:])


if __name__ == "__main__":
    sys.exit(main())
