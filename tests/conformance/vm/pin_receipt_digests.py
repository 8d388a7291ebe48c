#!/usr/bin/env python3
"""Independent receipt digests for a few conformance cases (tests/conformance/vm/README.md).

Nothing here calls SAVM code: the module bytes are encoded by hand from docs/vm.md "Module
format", the receipt is assembled field by field from docs/receipts.md, and MCF is JCS
(sorted keys, compact, integers only), which json.dumps reproduces for this ASCII content.
Run it and compare with the "receipt_digest" each pinned case states:
    python3 tests/conformance/vm/pin_receipt_digests.py
"""
import hashlib
import json


def uleb(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string(s):
    b = s.encode()
    return uleb(len(b)) + b


def section(sid, body):
    return bytes([sid]) + uleb(len(body)) + body


def module(code, max_stack, gas_bound, results=1):
    """One function main(0)->results, exported as a transition; no imports, constants, data, metadata."""
    return (b"\x00SAVM" + (1).to_bytes(2, "little")
            + section(1, uleb(1) + uleb(0) + uleb(results))          # signatures: (0)->results
            + section(2, uleb(0) + uleb(0))                          # no host imports, no module imports
            + section(3, uleb(0))                                    # constants
            + section(4, uleb(0))                                    # data
            + section(5, uleb(1) + uleb(0) + uleb(0) + uleb(max_stack) + uleb(gas_bound)
                      + uleb(len(code)) + code)                      # functions
            + section(6, uleb(1) + string("main") + bytes([1]) + uleb(0))  # exports: main transition
            + section(7, string("") * 6 + uleb(0)))                  # metadata: six empty strings, no citations


def mcf(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def receipt_digest(code, max_stack, gas_bound, gas_limit, gas_used, outcome, returned):
    module_digest = sha(module(code, max_stack, gas_bound))
    context = {  # the runner's default context (README "Defaults"), every field, ids in 0x form
        "caller": "0x" + sha(b"did:savm:alice"),
        "origin": "0x" + sha(b"did:savm:alice"),
        "jurisdiction": "0x" + (b"PK" + bytes(29) + b"\x02").hex(),
        "asset_id": "0x" + "00" * 31 + "01",
        "corridor": "0x" + "00" * 32,
        "timestamp": 1700000000,
        "law_date": "2023-11-14",
        "sequence": 0,
        "gas_limit": gas_limit,
    }
    input_digest = sha(b"")  # no arguments: empty input
    execution = {"type": "SAVMExecution", "format_version": 1, "module_digest": module_digest,
                 "entry": "main", "input_digest": input_digest, "context": context}
    receipt = {
        "type": "SAVMExecutionReceipt", "format_version": 1, "module_digest": module_digest,
        "entry": "main", "input_digest": input_digest, "context": context,
        "execution_digest": sha(mcf(execution)), "prev_receipt_digest": "0" * 64, "sequence": 0,
        "gas_used": gas_used, "outcome": outcome, "return": returned,
        "storage_mutations": [], "tensor_updates": [], "logs": [], "attestations": [], "migrations": [],
        "explanation_digest": sha(mcf([])),
        "lawpack_digest_set": [], "regpack_digest_set": [], "licensepack_digest_set": [],
    }
    return sha(mcf(receipt))


# PUSH 2 -> PUSH1 02, PUSH 3 -> PUSH1 03, ADD 10, RETURN 53; max stack 2; bound 3+3+5+8 = 19
ADD = bytes([0x02, 0x02, 0x02, 0x03, 0x10, 0x53])
# PUSH0 01, PUSH 99 -> PUSH1 63, ASSERT 55, PUSH 5 -> PUSH1 05, RETURN 53; max stack 2; bound 3+3+5+3+8 = 22
ASSERT = bytes([0x01, 0x02, 0x63, 0x55, 0x02, 0x05, 0x53])
# PUSH MAX -> PUSH32 7f ff..ff, PUSH 1 -> PUSH1 01, ADD, RETURN; max stack 2; bound 19
OVERFLOW = bytes([0x07, 0x7F]) + b"\xff" * 31 + bytes([0x02, 0x01, 0x10, 0x53])

PINS = {
    "gas/exact/limit_equals_cost": receipt_digest(ADD, 2, 19, 19, 19, {"status": "success"}, ["5"]),
    "gas/exact/one_unit_short": receipt_digest(ADD, 2, 19, 18, 18, {"status": "out_of_gas"}, []),
    "control/control/assert_fails_reverts": receipt_digest(
        ASSERT, 2, 22, 100, 11, {"status": "revert", "code": "99", "message": ""}, []),
    "arithmetic/add/max_plus_one": receipt_digest(
        OVERFLOW, 2, 19, 1000, 1000, {"status": "fault", "fault": "overflow"}, []),
}

if __name__ == "__main__":
    for case, digest in PINS.items():
        print(case, digest)
