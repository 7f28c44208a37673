"""A legitimate request while 32 wrong passwords arrive at once (issue 22).

``python -m bench.sign_in`` starts stock Radicale and davshare on SQLite, and for each
fires 32 PROPFINDs with wrong passwords (unknown logins, as from someone without an
account) together with one PROPFIND of the benchmark's account, and prints how long
that legitimate request took (median of the rounds) and the statuses the others got.
Each round uses fresh unknown logins, so davshare's per-login refusals do not kick in;
the per-address count allows 50 failures, so the rounds stop before it would.
"""

import argparse
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from bench import servers

_WRONG = 32


def _propfind(url: str, login: str, password: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = requests.request(
        "PROPFIND", url + "/", auth=(login, password), headers={"Depth": "0"}, timeout=120
    )
    return response.status_code, time.perf_counter() - started


def _round(url: str, tag: str) -> tuple[float, int, Counter[int]]:
    with ThreadPoolExecutor(max_workers=_WRONG + 1) as pool:
        wrong = [
            pool.submit(_propfind, url, f"nobody-{tag}-{n}@example.com", "guess")
            for n in range(_WRONG)
        ]
        time.sleep(0.05)  # the wrong ones are in the server's queue first
        status, seconds = pool.submit(_propfind, url, servers.LOGIN, servers.PASSWORD).result()
        return seconds, status, Counter(f.result()[0] for f in wrong)


def main() -> None:
    """Run the rounds on each server and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    for make in (servers.radicale, lambda: servers.davshare("davshare-sqlite")):
        server = make().start()
        try:
            _propfind(server.url, servers.LOGIN, servers.PASSWORD)  # warm up
            results = [_round(server.url, f"{n}-{time.time_ns()}") for n in range(args.rounds)]
        finally:
            server.cleanup()
        median = statistics.median(seconds for seconds, _, _ in results)
        statuses = sum((counts for _, _, counts in results), Counter())
        legit = {status for _, status, _ in results}
        print(
            f"{server.name:16} legitimate request {median:6.3f} s (status {sorted(legit)}), "
            f"wrong passwords answered {dict(statuses)}"
        )


if __name__ == "__main__":
    main()
