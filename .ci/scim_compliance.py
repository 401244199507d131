"""SCIM 2.0 compliance run: scim2-tester's checks against a running policy-admin.

Usage: python scim_compliance.py BASE_URL TOKEN
Prints one line per check and exits 1 when any check reports ERROR or CRITICAL, or when no
check succeeded at all.
"""

import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client)
    failed = 0
    succeeded = 0
    for r in results:
        where = f" [{r.resource_type}]" if r.resource_type else ""
        print(f"{r.status.name:10} {r.title}{where}: {r.reason or ''}")
        if r.status in (Status.ERROR, Status.CRITICAL):
            failed += 1
            if r.data is not None:
                print(f"           data: {r.data!r}"[:2000])
        elif r.status == Status.SUCCESS:
            succeeded += 1
    print(f"\n{len(results)} checks: {succeeded} succeeded, {failed} failed")
    return 1 if failed or not succeeded else 0


if __name__ == "__main__":
    sys.exit(main())
