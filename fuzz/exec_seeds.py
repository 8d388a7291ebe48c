#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_exec and fuzz_dispatch_diff (the same seeds for both).

Each seed is encoded in the input layout of fuzz/module_generator.h so that it decodes to a
known program: the two examples/asm programs (functions reordered so callees come after their
callers, as the generator requires) and small arithmetic, storage, tensor, migration, memory and
call programs. Run from the repository root: python3 fuzz/exec_seeds.py
"""
import os
import struct

# Opcode bytes (vm/opcodes.h).
PUSH0, PUSH1, PUSH2, PUSH4, PUSH32, POP, DUP, SWAP = 0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x09, 0x0A
ADD, SUB, MUL, DIV, MOD, EXP, NEG, ABS, MULDIV, MIN, MAX = range(0x10, 0x1B)
EQ, NE, LT, GT, LE, GE, ISZERO = range(0x20, 0x27)
MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY, LOCAL_GET, LOCAL_SET, CONST, DATA_SIZE, DATA_LOAD, DATA_COPY = range(0x30, 0x3B)
SLOAD, SSTORE, SDELETE, SHAS = range(0x40, 0x44)
JUMP, JUMPI, CALL, RETURN, REVERT, ASSERT, HALT = range(0x50, 0x57)
CALLER, ORIGIN, JURISDICTION, ASSET_ID, TIMESTAMP = range(0x60, 0x65)
INPUT_LOAD = 0x6A
TENSOR_GET, TENSOR_SET, TENSOR_META, ATTEST = range(0x70, 0x74)
LOCK, UNLOCK, TRANSIT, SETTLE, COMPENSATE, MIGRATION_STATE = range(0x80, 0x86)
SHA256 = 0x90
HOSTCALL = 0xA0
LOG1, LOG2 = 0xF1, 0xF2
TRACE = 0xF8

PLACE = 0x0C  # not an opcode, 0x0C % 4 == 0: place the pending label selected by the next byte
NEW_LABEL = 0x00  # JUMP/JUMPI selector: a new forward label
# Selectors of fresh_word(): 0..127 themselves; 236 = 10,000; 226 = -1; 224 = MAX.
SEL_10000, SEL_MINUS_ONE, SEL_MAX = 236, 226, 224
MILLION, SMALL, EXACT = 2, 0, 3


def u16(v):
    return struct.pack('<H', v)


def push1(v):
    return bytes([PUSH1, v])


def seed(functions, gas=MILLION, gas_value=0, storage=(), tensor=(), input_bytes=b'',
         constants=(), data=(), imports=(), citations=0):
    """functions: list of (params, results, extra_locals, body bytes); function 0 is the entry."""
    out = bytearray([gas]) + struct.pack('<I', gas_value)[:3]
    out += bytes([0, 1, 0, 2, 0])  # caller "PK", origin 1, jurisdiction "PK", asset 2, corridor "PK"
    out += struct.pack('<I', 1000)[:3] + u16(100) + bytes([7])  # timestamp, law date, sequence
    out += bytes([len(storage)]) + b''.join(bytes(kv) for kv in storage)
    out += bytes([len(tensor)]) + b''.join(bytes(cell) for cell in tensor)
    out += bytes([len(input_bytes)]) + input_bytes
    out += bytes([len(constants)]) + bytes(constants)
    out += bytes([len(data)]) + b''.join(bytes([len(d)]) + d for d in data)
    out += bytes([len(imports)]) + b''.join(bytes(i) for i in imports)
    out += bytes([citations, len(functions) - 1])  # the count is 1 + byte % 4
    for params, results, extra, _ in functions:
        out += bytes([params, results, extra, 255])
    for *_, body in functions:
        out += body
    return bytes(out)


def aml_check():
    body = bytes([ASSET_ID, JURISDICTION]) + push1(0) + bytes([TENSOR_GET, DUP, 1, TRACE]) + u16(0)
    body += bytes([CONST]) + u16(0) + bytes([GE, LOCAL_SET]) + u16(0)
    body += bytes([CALLER, HOSTCALL]) + u16(0) + bytes([ISZERO, JUMPI, NEW_LABEL])  # -> blocked
    body += bytes([LOCAL_GET]) + u16(0) + bytes([JUMPI, NEW_LABEL])  # -> pass
    body += bytes([CONST]) + u16(1) + bytes([RETURN])
    body += bytes([PLACE, 1]) + push1(4) + bytes([RETURN])  # pass:
    body += bytes([PLACE, 0, PUSH0, DUP, 1, TRACE]) + u16(1) + bytes([RETURN])  # blocked:
    return seed([(0, 1, 1, body)], constants=[2, 1], imports=[(0, 250)], citations=2,
                tensor=[(0, 4, 0)])  # aml cell compliant; "echo" stands in for sanctions.screen


def fee_transfer():
    transfer = push1(0) + bytes([INPUT_LOAD, DUP, 1]) + push1(0) + bytes([GT, PUSH2]) + struct.pack('>H', 1001)
    transfer += bytes([ASSERT, LOCAL_SET]) + u16(0) + bytes([LOCAL_GET]) + u16(0) + bytes([CALL]) + u16(1)
    transfer += bytes([LOCAL_SET]) + u16(1) + push1(1) + push1(1) + bytes([SLOAD, LOCAL_GET]) + u16(0)
    transfer += bytes([LOCAL_GET]) + u16(1) + bytes([ADD, SUB, SSTORE]) + push1(2) + bytes([DUP, 1, SLOAD])
    transfer += bytes([LOCAL_GET]) + u16(0) + bytes([ADD, SSTORE]) + push1(0) + push1(0)
    transfer += bytes([DATA_SIZE]) + u16(0) + bytes([DATA_COPY]) + u16(0) + push1(0) + bytes([DATA_SIZE]) + u16(0)
    transfer += bytes([LOCAL_GET]) + u16(0) + bytes([LOG1, ASSET_ID, JURISDICTION]) + push1(12) + push1(0)
    transfer += bytes([DATA_SIZE]) + u16(0) + bytes([SHA256, ATTEST, POP, LOCAL_GET]) + u16(1)
    transfer += bytes([CONST]) + u16(2) + bytes([MUL, ABS, RETURN])
    fee = bytes([LOCAL_GET]) + u16(0) + bytes([CONST]) + u16(1) + bytes([CONST]) + u16(0) + bytes([MULDIV, 4, RETURN])
    return seed([(0, 1, 2, transfer), (1, 1, 0, fee)], constants=[SEL_10000, 25, SEL_MINUS_ONE],
                data=[b'fee-transfer'], storage=[(1, SEL_10000)], input_bytes=(4000).to_bytes(32, 'big'))


def withholding_tax():
    # tax = 500 + (amount - 100) * 1500 / 10000 half_up, amount from the input.
    body = push1(0) + bytes([INPUT_LOAD]) + push1(100) + bytes([SUB, PUSH2]) + struct.pack('>H', 1500)
    body += bytes([PUSH2]) + struct.pack('>H', 10000) + bytes([MULDIV, 3]) + bytes([PUSH2]) + struct.pack('>H', 500)
    body += bytes([ADD, RETURN])
    return seed([(0, 1, 0, body)], input_bytes=(123456).to_bytes(32, 'big'), gas=EXACT)


def overflow():
    return seed([(0, 1, 0, bytes([PUSH32]) + b'\x7f' + b'\xff' * 31 + push1(1) + bytes([ADD, RETURN]))])


def division_and_modes():
    body = push1(7) + bytes([NEG]) + push1(2) + bytes([DIV]) + push1(5) + push1(0) + bytes([MOD, ADD, RETURN])
    return seed([(0, 1, 0, body)])


def storage():
    body = push1(1) + bytes([SLOAD]) + push1(3) + bytes([SWAP, 1, SSTORE]) + push1(1) + bytes([SDELETE])
    body += push1(3) + bytes([SHAS, ADD, RETURN])
    return seed([(0, 1, 0, body)], storage=[(1, 42), (2, SEL_MAX)])


def tensor():
    body = bytes([ASSET_ID, JURISDICTION]) + push1(2) + push1(4) + bytes([TIMESTAMP, TENSOR_SET])
    body += bytes([ASSET_ID, JURISDICTION]) + push1(2) + bytes([TENSOR_GET])
    body += bytes([ASSET_ID, JURISDICTION]) + push1(3) + bytes([TENSOR_META, 2, ADD])
    body += bytes([ASSET_ID, JURISDICTION]) + push1(2) + push1(1) + bytes([ATTEST, POP, RETURN])
    return seed([(0, 1, 0, body)], tensor=[(3, 4, 200), (0, 0, 100)])


def migration():
    body = bytes([ASSET_ID, JURISDICTION]) + push1(100) + bytes([LOCK]) + push1(9) + bytes([TRANSIT])
    body += bytes([DUP, 1, SETTLE, POP, MIGRATION_STATE, RETURN])
    return seed([(0, 1, 0, body)])


def memory_and_revert():
    body = push1(64) + push1(99) + bytes([MSTORE]) + push1(0) + push1(64) + push1(32) + bytes([MCOPY])
    body += push1(0) + push1(96) + bytes([SHA256]) + push1(0) + push1(32) + push1(5) + push1(6) + bytes([LOG2])
    body += bytes([ISZERO, JUMPI, NEW_LABEL]) + push1(77) + push1(0) + push1(32) + bytes([REVERT])
    body += bytes([PLACE, 0, PUSH0, RETURN])
    return seed([(0, 1, 0, body)])


def calls_and_hostcalls():
    main = push1(3) + push1(4) + bytes([CALL]) + u16(0) + bytes([HOSTCALL]) + u16(0) + bytes([HOSTCALL]) + u16(1)
    main += bytes([ADD, RETURN])
    helper = bytes([LOCAL_GET]) + u16(0) + bytes([LOCAL_GET]) + u16(1) + bytes([MUL, CALL]) + u16(0) + bytes([RETURN])
    leaf = bytes([LOCAL_GET]) + u16(0) + push1(1) + bytes([ADD, RETURN])
    return seed([(0, 1, 0, main), (2, 1, 1, helper), (1, 1, 0, leaf)], imports=[(0, 10), (2, 5)])


def out_of_gas():
    return seed([(0, 1, 0, push1(1) + bytes([SLOAD, RETURN]))], gas=SMALL, gas_value=150)


SEEDS = {
    'aml_check': aml_check(), 'fee_transfer': fee_transfer(), 'withholding_tax': withholding_tax(),
    'overflow': overflow(), 'division_and_modes': division_and_modes(), 'storage': storage(),
    'tensor': tensor(), 'migration': migration(), 'memory_and_revert': memory_and_revert(),
    'calls_and_hostcalls': calls_and_hostcalls(), 'out_of_gas': out_of_gas(),
}

if __name__ == '__main__':
    for target in ('fuzz_exec', 'fuzz_dispatch_diff'):
        directory = os.path.join('fuzz', 'corpus', target)
        os.makedirs(directory, exist_ok=True)
        for name, data in SEEDS.items():
            with open(os.path.join(directory, name + '.bin'), 'wb') as f:
                f.write(data)
