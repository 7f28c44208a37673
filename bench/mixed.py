"""The mixed load: client threads for a fixed time, each sending GET, PUT or PROPFIND Depth 0."""

import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench import dav
from bench.servers import LOGIN, PASSWORD
from bench.workloads import CONTACTS, Run, Target

# What a syncing client mostly does: read items, poll the collection, sometimes edit.
MIX = (("GET", 0.6), ("PROPFIND", 0.25), ("PUT", 0.15))
POLL = "<D:getetag/><D:sync-token/><D:resourcetype/>"
# A write refused with 423 Locked (Xandikos, while another write holds its store's lock) is
# sent again, as a client would, after a pause; its latency runs from the first attempt.
LOCKED_PAUSE = 0.005
LOCKED_TRIES = 200


@dataclass
class MixedResult:
    """Throughput and latency of one mixed-load run."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    by_method: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    locked: int = 0  # answers 423 Locked, each sent again

    @property
    def requests_per_s(self) -> float:
        """Answered requests per second of wall time."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        """The q-th percentile (0-100) of the latencies, in ms."""
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return 1000 * self.latencies[0]
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1]


def _one(
    client: dav.Client, rng: random.Random, run: Run, thread: int, clients: int
) -> tuple[str, int]:
    """Send one request of the mix; returns its method and how many 423 Locked it met."""
    method = rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0]
    if method == "PUT":
        # Each client edits its own share of the contacts, as different people would:
        # two unconditional PUTs of one item at once is a separate question.
        item = rng.choice(run.data.contacts[thread::clients])
    else:
        item = rng.choice(run.data.contacts)
    if method == "GET":
        client.request("GET", CONTACTS + item.href)
    elif method == "PROPFIND":
        client.propfind(CONTACTS, POLL, "0")
    else:
        # An edit of the note only: the address-book queries still find the same contacts.
        text = item.text.replace("NOTE:", f"NOTE:edited by client {thread} {rng.random():.6f}. ", 1)
        for locked in range(LOCKED_TRIES):
            if client.put(CONTACTS + item.href, text, expect=(204, 201, 423)).status_code != 423:
                return method, locked
            time.sleep(LOCKED_PAUSE)
        raise dav.BadAnswer(f"PUT {item.href}: 423 Locked {LOCKED_TRIES} times")
    return method, 0


def mixed_load(t: Target, run: Run, duration: float, clients: int = 4) -> MixedResult:
    """Run the mix with ``clients`` threads for ``duration`` seconds against one server."""
    result = MixedResult(seconds=0.0)
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + duration

    def worker(thread: int) -> None:
        rng = random.Random(f"mixed-{run.size}-{thread}")
        client = dav.Client(t.server.url, LOGIN, PASSWORD, timeout=max(60.0, duration * 3))
        try:
            while time.perf_counter() < deadline and len(result.errors) < 20:
                begin = time.perf_counter()
                try:
                    method, locked = _one(client, rng, run, thread, clients)
                except (dav.BadAnswer, OSError) as e:
                    result.errors.append(str(e))
                    continue
                with lock:
                    result.latencies.append(time.perf_counter() - begin)
                    result.by_method[method] = result.by_method.get(method, 0) + 1
                    result.locked += locked
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    return result
