"""Writes the test users with Debian's python3-avro, one container file per
codec, for avro_interop_test: write_users.py OUT_DIR COUNT."""
import io
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


def main():
    out_dir, count = sys.argv[1], int(sys.argv[2])
    # Debian's python3-avro 1.11 knows these three (no snappy, xz, zstandard).
    for codec in ("null", "deflate", "bzip2"):
        path = os.path.join(out_dir, "users-%s.avro" % codec)
        with open(path, "wb") as f:
            writer = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), SCHEMA, codec=codec)
            for i in range(count):
                writer.append({"id": i, "name": "user-%d" % i, "score": i / 4})
                if i % 100 == 99:
                    writer.sync()  # many blocks, so that splits land between them
            writer.close()


if __name__ == "__main__":
    main()
