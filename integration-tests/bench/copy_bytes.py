"""Benchmark: how many bytes pass through the promoter process when it promotes a 256 MiB package,
server-side copy against streamed copy, side by side in one run.

The CLI talks to moto through a counting TCP proxy on loopback, so every byte the promoter
process sends or receives on the network is counted (requests, responses, STS, S3).
Usage: python3 integration-tests/bench/copy_bytes.py [MiB]   (after `mvn package`)
"""
import json
import os
import socket
import subprocess
import sys
import threading

from common import CLI_JAR, free_port, moto_accounts, run_with_rss, timing_the_copy_path

MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 256


class CountingProxy:
    def __init__(self, target_port):
        self.target_port = target_port
        self.sent = 0      # promoter -> AWS
        self.received = 0  # AWS -> promoter
        self.lock = threading.Lock()
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self):
        with self.lock:
            self.sent = self.received = 0

    def _accept(self):
        while True:
            client, _ = self.server.accept()
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, "sent"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "received"), daemon=True).start()

    def _pipe(self, source, sink, counter):
        try:
            while True:
                data = source.recv(1 << 16)
                if not data:
                    break
                with self.lock:
                    setattr(self, counter, getattr(self, counter) + len(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


with moto_accounts() as (endpoint, env, config, work):
    env = timing_the_copy_path(env, conditional_writes=True)  # as promote-function deploys it
    package = os.path.join(work, "big.zip")
    with open(package, "wb") as f:
        for _ in range(MIB):
            f.write(os.urandom(1 << 20))
    revision = "cd" * 20
    for function in ("server-side-fn", "streamed-fn"):
        subprocess.run(["java", "-jar", CLI_JAR, "publish", "--function", function, "--env", "dev",
                        "--file", package, "--revision", revision, "--message", "big"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    proxy = CountingProxy(int(endpoint.rsplit(":", 1)[1]))
    proxied = dict(env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy.port}")
    base = json.loads(env["PROMOTION_CONFIG"])
    rows = []
    for mode, function in (("server-side", "server-side-fn"), ("streamed", "streamed-fn")):
        conf = dict(base, copy={"mode": mode})
        path = os.path.join(work, f"config-{mode}.json")
        json.dump(conf, open(path, "w"))
        proxy.reset()
        wall, rss, out = run_with_rss(["java", "-jar", CLI_JAR, "promote", "--function", function, "--from", "dev",
                                       "--to", "stage", "--config", path, "--json"], proxied)
        status = json.loads(out)["status"]
        rows.append((mode, status, proxy.sent, proxy.received, wall, rss))
    package_bytes = MIB << 20
    print(f"package: {MIB} MiB ({package_bytes} bytes)")
    for mode, status, sent, received, wall, rss in rows:
        print(f"{mode:12s} {status:9s} sent {sent:>11d} B  received {received:>11d} B  "
              f"= {(sent + received) / package_bytes * 100:7.3f}% of the package  wall {wall:.1f} s  peak RSS {rss:.0f} MiB")
