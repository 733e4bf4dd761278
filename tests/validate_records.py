#!/usr/bin/python3
"""Validates every line of a JSON Lines file against pipeline/record.schema.json.

usage: validate_records.py SCHEMA RECORDS.jsonl
Prints the first invalid line with the reason and exits 1; exits 0 when all
lines are valid records.
"""
import json
import sys

import jsonschema


def main():
    schema_path, records_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    count = 0
    with open(records_path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{records_path}:{line_no}: not JSON: {e}")
                return 1
            errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
            if errors:
                e = errors[0]
                print(f"{records_path}:{line_no}: {'/'.join(map(str, e.path))}: {e.message}")
                return 1
            count += 1
    print(f"{count} valid records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
