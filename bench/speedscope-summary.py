#!/usr/bin/env python3
"""Sums a dotnet-trace speedscope file (dotnet-sampled-thread-time) per frame, counting only the time the sampler saw a
thread running managed code (its innermost pseudo-frame CPU_TIME; UNMANAGED_CODE_TIME is native code, mostly waits).
Prints the frames with the most inclusive and exclusive share of that time."""
import json, sys, collections

doc = json.load(open(sys.argv[1]))
frames = [f["name"] for f in doc["shared"]["frames"]]
inclusive, exclusive = collections.Counter(), collections.Counter()
running = idle = 0.0
for profile in doc["profiles"]:
    if profile["type"] == "evented":
        stack, last = [], None
        for event in profile["events"]:
            if last is not None and stack:
                weight = event["at"] - last
                if frames[stack[-1]] != "CPU_TIME":
                    idle += weight
                elif len(stack) > 1:
                    running += weight
                    exclusive[frames[stack[-2]]] += weight
                    for name in set(frames[i] for i in stack[:-1]): inclusive[name] += weight
            last = event["at"]
            if event["type"] == "O": stack.append(event["frame"])
            elif stack: stack.pop()
    else:
        for sample, weight in zip(profile["samples"], profile["weights"]):
            if len(sample) < 2 or frames[sample[-1]] != "CPU_TIME":
                idle += weight; continue
            running += weight
            exclusive[frames[sample[-2]]] += weight
            for name in set(frames[i] for i in sample[:-1]): inclusive[name] += weight
total = running or 1
print(f"managed code running: {running:.0f} ms ({100 * running / (running + idle or 1):.0f}% of the threads' time); native or waiting: {idle:.0f} ms")
print("\n== inclusive, % of running ==")
for name, weight in inclusive.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 60):
    print(f"{100 * weight / total:6.1f}%  {name[:160]}")
print("\n== exclusive, % of running ==")
for name, weight in exclusive.most_common(40):
    print(f"{100 * weight / total:6.1f}%  {name[:160]}")
