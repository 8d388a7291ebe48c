// The journal of one execution: every write it makes, kept apart from the host until success.
//
// Reads through the journal see the execution's own pending writes first, then the host's
// committed state. Nothing here touches the host; take_effects() hands the writes to the caller,
// and a failed execution simply drops its journal. There are no nested rollbacks: SAVM has no
// try/catch, so a CALL frame shares its caller's journal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "vm/host.h"

namespace savm::vm {

// A net change of one storage key: absent before/after means the key did not exist.
struct StorageChange {
  Word key;
  std::optional<Word> before;
  std::optional<Word> after;
  friend bool operator==(const StorageChange&, const StorageChange&) = default;
};

struct TensorUpdate {
  TensorKey key;
  ComplianceState before;
  ComplianceState after;
  Digest evidence;  // the evidence / attestation digest the write carries (required operand)
  std::int64_t as_of = 0;  // the context timestamp of the write
  friend bool operator==(const TensorUpdate&, const TensorUpdate&) = default;
};

struct LogRecord {
  std::vector<Word> topics;
  std::vector<std::uint8_t> data;
  friend bool operator==(const LogRecord&, const LogRecord&) = default;
};

// An attestation the execution issued: its id is derived, the claim is the program's word.
struct AttestationRecord {
  Word id;
  Word asset;
  Word jurisdiction;
  Domain domain;
  Word claim;
  friend bool operator==(const AttestationRecord&, const AttestationRecord&) = default;
};

enum class MigrationOp : std::uint8_t { lock, unlock, transit, settle, compensate };

// One step of a migration saga: the record as it is after the step.
struct MigrationEvent {
  MigrationOp op;
  MigrationRecord record;
  friend bool operator==(const MigrationEvent&, const MigrationEvent&) = default;
};

// An explanation event (TRACE): why the law decided what it decided.
struct TraceEvent {
  Word code;
  std::vector<Word> args;
  friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};

// What a successful execution did, in a deterministic order: storage by key (signed order of
// the key word), everything else in execution order.
struct Effects {
  std::vector<StorageChange> storage;
  std::vector<TensorUpdate> tensor_updates;
  std::vector<LogRecord> logs;
  std::vector<AttestationRecord> attestations;
  std::vector<MigrationEvent> migrations;
  std::vector<TraceEvent> traces;
  friend bool operator==(const Effects&, const Effects&) = default;
};

// The domain-separated id of the n-th object an execution creates:
// SHA-256("savm.id.v1" ‖ execution_digest ‖ n as 8 bytes big-endian), as a word.
Word derive_id(const Digest& execution_digest, std::uint64_t n);

class Journal {
 public:
  Journal(const Host& host, const ExecutionContext& context) : host_(host), context_(context) {}

  // Storage of the context's asset.
  std::optional<Word> storage_get(const Word& key) const;
  void storage_set(const Word& key, const Word& value);
  bool storage_delete(const Word& key);  // true if the key existed

  TensorCell tensor_get(const TensorKey& key) const;
  // The cell as written: state, evidence, as_of = the context timestamp, no expiry.
  void tensor_set(const TensorKey& key, ComplianceState state, const Digest& evidence);

  std::optional<MigrationRecord> migration_get(const Word& id) const;
  void migration_put(MigrationOp op, const MigrationRecord& record);

  void log(std::vector<Word> topics, std::vector<std::uint8_t> data);
  void trace(const Word& code, std::vector<Word> args);
  Word attest(const Word& asset, const Word& jurisdiction, Domain domain, const Word& claim);

  // The next derived id of this execution.
  Word next_id() { return derive_id(context_.execution_digest, id_counter_++); }

  const Host& host() const { return host_; }
  const ExecutionContext& context() const { return context_; }

  // The effects, moved out. Storage keys whose final value equals the committed one are left
  // out (a write that was undone is no mutation).
  Effects take_effects();

 private:
  struct Slot {
    std::optional<Word> before;   // committed value, read once at the first write
    std::optional<Word> current;  // pending value
  };

  const Host& host_;
  const ExecutionContext& context_;
  std::map<Word, Slot> storage_;
  std::map<TensorKey, TensorCell> tensor_;
  std::map<Word, MigrationRecord> migrations_;
  std::uint64_t id_counter_ = 0;
  Effects effects_;  // everything but storage, appended in execution order
};

}  // namespace savm::vm
