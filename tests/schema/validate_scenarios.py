#!/usr/bin/env python3
"""Every scenario under scenarios/ validates against docs/scenario.schema.json, and files the
loader refuses for a wrong key or name are refused by the schema too (so this test can fail).

Usage: validate_scenarios.py SCHEMA SCENARIO_DIR
YAML is read as YAML 1.2 reads it (yaml-cpp, editors): only true/false are booleans, so a key
such as `on:` stays a string.
"""
import copy
import pathlib
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # tools/setup installs python3-jsonschema and python3-yaml
    sys.exit(f"validate_scenarios: {e}; run tools/setup (python3-jsonschema, python3-yaml)")


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema scalars instead of YAML 1.1's."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def main():
    schema_path, scenario_dir = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        import json
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    assert validator_class is jsonschema.Draft202012Validator, validator_class

    failed = 0
    files = sorted(pathlib.Path(scenario_dir).rglob("*.yaml"))
    for path in files:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
        for e in errors[:3]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{path}: {where}: {e.message}")
        failed += bool(errors)
    print(f"{len(files) - failed} of {len(files)} scenarios validate against {schema_path}")

    # Files the loader refuses must be refused here too.
    base = load(files[0])
    mutants = {
        "an unknown top-level key": lambda d: d.update(nodez=3),
        "an unknown protocol": lambda d: d["protocol"].update(name="no_such_protocol"),
        "an unknown param": lambda d: d["protocol"].setdefault("params", {}).update(leese="5s"),
        "an unknown checker": lambda d: d.update(checkers=["no_such_checker"]),
        "a duration without a unit": lambda d: d.update(duration="10"),
        "a fault with two kinds": lambda d: d.update(faults=[{"at": "1s", "crash": "n1",
                                                              "pause": "n1", "for": "1s"}]),
        "an expectation that is no verdict": lambda d: d.update(expect={"liveness": "maybe"}),
    }
    for what, mutate in mutants.items():
        doc = copy.deepcopy(base)
        mutate(doc)
        if validator.is_valid(doc):
            print(f"the schema accepts {what} ({files[0]} changed)")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
