#!/usr/bin/env python3
"""Time from starting `edgegov run` until its first heartbeat is seen on the multicast group.

Usage: python3 tools/EdgeGovernor.Benchmarks/Firmware/first_heartbeat.py <path to edgegov> [runs]
Loopback only (127.0.0.1, group 239.255.91.1). Prints the median, min and max over the runs.
"""
import json, os, secrets, socket, statistics, subprocess, sys, tempfile, time

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
group, port, unicast = "239.255.91.1", 48600, 48601
work = tempfile.mkdtemp(prefix="edgegov-fhb-")
key = os.path.join(work, "cluster.key")
with open(key, "w") as f:
    f.write("1:" + secrets.token_hex(32) + "\n")
config = os.path.join(work, "node.json")
with open(config, "w") as f:
    json.dump({"nodeId": 1, "roster": [1, 2, 3, 4, 5], "clusterKeyFile": key, "stateDirectory": os.path.join(work, "state"),
               "network": {"multicastGroup": group, "multicastPort": port, "interface": "127.0.0.1", "unicastPort": unicast},
               "observability": {"httpPort": -1}}, f)
times = []
for _ in range(runs):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((group, port))
    listener.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton("127.0.0.1"))
    listener.settimeout(10)
    start = time.perf_counter()
    process = subprocess.Popen([binary, "run", "--config", config], stderr=subprocess.DEVNULL)
    while True:
        _, source = listener.recvfrom(2048)
        if source[1] == unicast:
            break
    times.append((time.perf_counter() - start) * 1000)
    process.terminate()
    process.wait()
    listener.close()
times.sort()
print(f"runs {len(times)}: start to first heartbeat median {statistics.median(times):.1f} ms, min {times[0]:.1f}, max {times[-1]:.1f}")
