#!/usr/bin/env python3
# Per-receipt instruction split of FastSealAppendSign from a callgrind profile
# (docs/PERFORMANCE.md "Corridor receipts"):
#   valgrind --tool=callgrind --callgrind-out-file=cg.out build/clang-release/bench/savm_bench_receipts \
#     --benchmark_filter='^FastSealAppendSign$|^RawSign$' --benchmark_min_time=0.2
#   python3 bench/callgrind_receipt_split.py cg.out
# Per receipt = the benchmark loop's calls (seal, sign, MMR append, the zone's transition writer)
# divided by the number of seals. "signature" = Ed25519Signer::sign (runtime/ed25519_signer.h),
# next to the peer, RawSign's crypto_sign_detached over the same kind of input. "sha256" =
# libsodium's SHA-256 entry points called from our code (valgrind hides SHA-NI, so the portable
# code runs and this row is not what the CPU executes). "ours-not-hashing" = the rest.
import re, subprocess, sys
out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--tree=calling", "--threshold=100", sys.argv[1]],
                     capture_output=True, text=True).stdout.splitlines()
blocks = {}; cur = None
for line in out:
    m = re.match(r'\s*([\d,]+) \(.*?\)\s+\*\s+(.*)$', line)
    if m: cur = m.group(2); blocks[cur] = {}; continue
    m = re.match(r'\s*([\d,]+) \(.*?\)\s+>\s+(.*?) \(([\d,]+)x\)', line)
    if m and cur is not None:
        blocks[cur][m.group(2)] = (int(m.group(1).replace(',', '')), int(m.group(3).replace(',', '')))
def kids(pat):
    return [v for k, v in blocks.items() if re.search(pat, k)][0]
def find(d, pat):
    return [v for k, v in d.items() if re.search(pat, k)][0]
top = kids(r'FastSealAppendSign\(benchmark')
n = find(top, r'ReceiptProducer::seal')[1]
setup = sum(v[0] for k, v in top.items() if re.search(r'fast_path_matches|from_seed|corridor_draft|~|reserve|mmr_bag|JwsSigner::JwsSigner|benchmark::|dl_runtime|operator new|std::map', k))
total = sum(v[0] for v in top.values()) - setup
hashing = sum(v[0] for caller, d in blocks.items() if 'savm_bench_receipts' in caller
              for k, v in d.items() if re.search(r':crypto_hash_sha256', k))
peer = find(kids(r'RawSign\(benchmark'), r'crypto_sign_detached')
peer_per = peer[0] / peer[1]
signature = find(kids(r'JwsSigner::sign_payload'), r'Ed25519Signer::sign\(')
signature_per = signature[0] / signature[1]
for name in ['ReceiptProducer::seal', 'ReceiptProducer::sign', 'Mmr::append', 'TransitionWriter::write']:
    print(f"  {name}: {find(top, name)[0] / n:.0f}")
print(f"receipts {n}; total per receipt {total/n:.0f}; crypto_sign_detached (peer) {peer_per:.0f}; "
      f"Ed25519Signer::sign {signature_per:.0f}; sha256 {hashing/n:.0f}; "
      f"ours-not-hashing {total/n - signature_per - hashing/n:.0f}")
