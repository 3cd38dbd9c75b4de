#!/usr/bin/env python3
"""Writes a Docker seccomp profile that is Docker's default plus the three io_uring system calls.

Docker 25.0 and later (and containerd's RuntimeDefault) deny io_uring_setup, io_uring_enter and io_uring_register,
so inside a container ringloop runs on its epoll backend. To give it io_uring, run the container with a profile that
allows them. Docker's default profile is not copied into this repository: this script takes it as input (the file
profiles/seccomp/default.json of the Docker release you run, from github.com/moby/profiles) and adds one rule.

    curl -fsSLo default.json https://raw.githubusercontent.com/moby/profiles/main/seccomp/default.json
    python3 docker/seccomp-with-io_uring.py default.json > seccomp-io_uring.json
    docker run --security-opt seccomp=seccomp-io_uring.json ...

The host must allow io_uring too: the sysctl kernel.io_uring_disabled must be 0 (or 1 with the container's group in
kernel.io_uring_group). `./ringloop kernel` inside the container prints which backend a loop gets, and why.
"""
import json
import sys

IO_URING = ["io_uring_setup", "io_uring_enter", "io_uring_register"]


def with_io_uring(profile):
    rules = profile.setdefault("syscalls", [])
    for rule in rules:
        if rule.get("action") == "SCMP_ACT_ALLOW" and set(IO_URING) <= set(rule.get("names", [])) \
                and not rule.get("args") and not rule.get("includes") and not rule.get("excludes"):
            return profile
    rules.append({"names": IO_URING, "action": "SCMP_ACT_ALLOW",
                  "comment": "ringloop: io_uring (added by docker/seccomp-with-io_uring.py)"})
    return profile


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: seccomp-with-io_uring.py DOCKER_DEFAULT_PROFILE.json > PROFILE.json\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        profile = json.load(f)
    if "syscalls" not in profile or "defaultAction" not in profile:
        sys.stderr.write(argv[1] + " does not look like a seccomp profile (no defaultAction or syscalls)\n")
        return 1
    json.dump(with_io_uring(profile), sys.stdout, indent="\t")
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
