// The heap policy of a process that runs a zone (docs/design/group-commit-sync.md "The heap").
// glibc returns freed memory at the top of the heap to the kernel once more than 128 kB is free
// there; SQLite's page splits and a group's receipts free and reallocate such blocks all the time,
// so every transition paid for the heap's shrinking and regrowing (sysmalloc, mprotect/brk, fresh
// zeroed pages): 6% of a `checkpoint` transition's CPU, 12% of an `every` one. Keeping up to 64 MB
// free and growing by 16 MB at a time removes that.
//
// Allocator policy is the process's, not a library's: nothing in the runtime calls this. `savm run`
// does, and the zone benchmarks do so as to measure what it runs. Another program embedding a zone
// can call it, or set GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864:glibc.malloc.top_pad=16777216.
#pragma once

namespace savm::runtime {

void retain_freed_heap();

}  // namespace savm::runtime
