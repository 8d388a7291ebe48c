// The SQLite backend of ZoneStore: WAL journal, synchronous=NORMAL with the log synced by
// runtime/write_ahead_log.h before any write is reported done (as durable as FULL), schema
// versioned by user_version and tagged by application_id. Words are stored as 32-byte big-endian
// blobs, digests as 64 lowercase hex digits, receipts, checkpoints and contexts as their canonical
// bytes, MMR peaks as one byte of height then 32 bytes of hash per peak, left to right.
#include "runtime/zone_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>

#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"
#include "runtime/write_ahead_log.h"

namespace savm::runtime {
namespace {

constexpr int kApplicationId = 0x5341564d;  // "SAVM": refuses to treat another database as a zone

constexpr const char* kSchema = R"sql(
CREATE TABLE zone_config(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE lockfile(export TEXT PRIMARY KEY, module TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE storage(asset BLOB NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                     receipt TEXT NOT NULL, PRIMARY KEY(asset, key)) WITHOUT ROWID;
CREATE TABLE tensor(asset BLOB NOT NULL, jurisdiction BLOB NOT NULL, domain INTEGER NOT NULL,
                    state INTEGER NOT NULL, evidence TEXT NOT NULL, as_of INTEGER NOT NULL,
                    expires INTEGER NOT NULL, receipt TEXT NOT NULL,
                    PRIMARY KEY(asset, jurisdiction, domain)) WITHOUT ROWID;
CREATE TABLE migrations(id BLOB PRIMARY KEY, asset BLOB NOT NULL, jurisdiction BLOB NOT NULL,
                        target BLOB NOT NULL, amount BLOB NOT NULL, status INTEGER NOT NULL,
                        receipt TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE chains(asset BLOB PRIMARY KEY, height INTEGER NOT NULL, head TEXT NOT NULL,
                    mmr BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE checkpoints(asset BLOB NOT NULL, receipt_count INTEGER NOT NULL, digest TEXT NOT NULL,
                         bytes BLOB NOT NULL, PRIMARY KEY(asset, receipt_count)) WITHOUT ROWID;
CREATE TABLE receipts(commit_index INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE,
                      asset BLOB NOT NULL, sequence INTEGER NOT NULL, bytes BLOB NOT NULL,
                      UNIQUE(asset, sequence));
CREATE TABLE transitions(commit_index INTEGER PRIMARY KEY REFERENCES receipts(commit_index),
                         module TEXT NOT NULL, entry TEXT NOT NULL, input BLOB NOT NULL,
                         context BLOB NOT NULL);
)sql";

// Schema version 3 adds to version 2 (docs/operating-a-zone.md "Layout"):
// - corridors opened in the zone, their receipt chains and checkpoints
//   (runtime/zone_corridor_store.h). A receipt's `receipt` column is the execution receipt digest
//   it commits to, "" for a receipt received from the counterparty zone;
// - explanation records by digest (runtime/zone_explanation.h);
// - the zone's halt log and the foreign tensor slices it imported (runtime/zone_halt.h,
//   runtime/tensor_slice.h).
// A version 2 zone gains them, empty, when it is opened.
constexpr const char* kVersion3Tables = R"sql(
CREATE TABLE corridors(id TEXT PRIMARY KEY, word BLOB NOT NULL UNIQUE, genesis BLOB NOT NULL,
                       genesis_root TEXT NOT NULL, height INTEGER NOT NULL, head TEXT NOT NULL,
                       mmr BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE corridor_receipts(corridor TEXT NOT NULL REFERENCES corridors(id), sequence INTEGER NOT NULL,
                               next_root TEXT NOT NULL, receipt TEXT NOT NULL, bytes BLOB NOT NULL,
                               PRIMARY KEY(corridor, sequence)) WITHOUT ROWID;
CREATE TABLE corridor_checkpoints(corridor TEXT NOT NULL REFERENCES corridors(id),
                                  receipt_count INTEGER NOT NULL, digest TEXT NOT NULL, bytes BLOB NOT NULL,
                                  PRIMARY KEY(corridor, receipt_count)) WITHOUT ROWID;
CREATE TABLE explanations(digest TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE halt_log(sequence INTEGER PRIMARY KEY, asset BLOB NOT NULL, action TEXT NOT NULL,
                      digest TEXT NOT NULL UNIQUE, bytes BLOB NOT NULL);
CREATE INDEX halt_log_asset ON halt_log(asset, sequence);
CREATE TABLE imported_slices(import_index INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE,
                             asset BLOB NOT NULL, jurisdiction BLOB NOT NULL,
                             issued_at INTEGER NOT NULL, after_commit INTEGER NOT NULL,
                             bytes BLOB NOT NULL);
CREATE INDEX imported_slices_cell ON imported_slices(asset, jurisdiction, issued_at);
)sql";


using WordBytes = std::array<std::uint8_t, 32>;

WordBytes word_bytes(const vm::Word& w) {
  WordBytes out{};
  w.to_be_bytes(out);
  return out;
}

// A prepared statement, reset and unbound when the scope ends so the cached handle is reusable.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Query& bind(int i, const vm::Word& w) {
    const WordBytes b = word_bytes(w);
    return check(sqlite3_bind_blob(stmt_, i, b.data(), 32, SQLITE_TRANSIENT));
  }
  Query& bind(int i, std::string_view text) {
    return check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  }
  Query& bind_blob(int i, std::span<const std::uint8_t> bytes) {
    // SQLite binds a null pointer as NULL, not as an empty blob: an entry without arguments has
    // empty input bytes, and the column is NOT NULL.
    if (bytes.empty()) return check(sqlite3_bind_zeroblob(stmt_, i, 0));
    return check(sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
  }
  Query& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }

  // True while there is a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw Error("zone.db", std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
  }

  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  std::vector<std::uint8_t> blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(stmt_, col)) : std::vector<std::uint8_t>();
  }
  // A word column; a row of another size was not written by this code: corruption.
  vm::Word word(int col) const {
    if (sqlite3_column_bytes(stmt_, col) != 32 || sqlite3_column_type(stmt_, col) != SQLITE_BLOB) {
      throw Error("zone.db", "a stored word is not 32 bytes (column " +
                                 std::string(sqlite3_column_name(stmt_, col)) + ")");
    }
    return vm::Word::from_be_bytes(
        std::span<const std::uint8_t, 32>(static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col)), 32));
  }
  vm::Digest digest(int col) const {
    const auto d = vm::Digest::from_hex(text(col));
    if (!d) throw Error("zone.db", "a stored digest is not 64 hex digits: \"" + text(col) + "\"");
    return *d;
  }

 private:
  Query& check(int rc) {
    if (rc != SQLITE_OK) throw Error("zone.db", std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteZoneStore final : public ZoneStore {
 public:
  SqliteZoneStore(const std::filesystem::path& file, int flags) {
    if (sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error("zone.db", file.string() + ": " + why);
    }
    sqlite3_busy_timeout(db_, 10000);  // another process committing: wait, don't fail
    log_.emplace(sqlite3_db_filename(db_, "main"));
    // Replaces SQLite's automatic checkpoint, which would run inside a group's COMMIT, with
    // checkpoint() and finish_checkpoint() (docs/design/group-commit-sync.md "Checkpoints").
    sqlite3_wal_hook(db_, &SqliteZoneStore::count_log_frames, this);
  }
  SqliteZoneStore(const SqliteZoneStore&) = delete;
  SqliteZoneStore& operator=(const SqliteZoneStore&) = delete;
  ~SqliteZoneStore() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  // One statement, prepared once and cached (transaction control on every commit: compiling its
  // text each time, as sqlite3_exec does, cost a tenth of the store's instructions per commit).
  void run_cached(const char* sql) { query(sql).run(); }

  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw Error("zone.db", "sqlite: " + why);
    }
  }

  // NORMAL: a COMMIT does not wait for the disk; Transaction::commit and sync() do, through log_.
  void set_durability() {
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  }

  void create_schema(const ZoneConfig& config) {
    set_durability();
    Transaction tx(*this);
    exec(kSchema);
    exec(kVersion3Tables);
    exec(("PRAGMA user_version=" + std::to_string(kZoneSchemaVersion) + "; PRAGMA application_id=" +
          std::to_string(kApplicationId) + ";").c_str());
    const auto set = [&](std::string_view key, std::string_view value) {
      query("INSERT INTO zone_config(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run();
    };
    set("jurisdiction", config.jurisdiction);
    set("signing", signing_policy_name(config.signing));
    set("checkpoint_every", std::to_string(config.checkpoint_every));
    set("key", config.key_path);
    set("public_key", config.public_key);
    set("halt_on", halt_on_text(config.halt_on));
    tx.commit();
    cache_config();
  }

  void check_schema(const std::filesystem::path& file) {
    const std::int64_t app = pragma("application_id");
    const std::int64_t version = pragma("user_version");
    if (app != kApplicationId) throw Error("zone.schema", file.string() + ": not a SAVM zone database");
    if (version == 1) {
      throw Error("zone.schema", file.string() + ": schema version 1 predates receipt MMRs, checkpoints "
                                     "and signing (version " + std::to_string(kZoneSchemaVersion) +
                                     "); open it with the build that wrote it, or replay its "
                                     "transitions into a new zone");
    }
    if (version != kZoneSchemaVersion && version != 2) {
      throw Error("zone.schema", file.string() + ": schema version " + std::to_string(version) +
                                     " is not supported (this build reads version " +
                                     std::to_string(kZoneSchemaVersion) + ")");
    }
    set_durability();
    if (version == 2) migrate_to_version3();
    cache_config();
  }

  // Version 2 -> 3 only adds (empty) tables: safe in place, in one transaction. The version is
  // read again under the write lock, so two processes opening the zone migrate once.
  void migrate_to_version3() {
    Transaction tx(*this);
    if (pragma("user_version") != 2) return;
    exec(kVersion3Tables);
    exec("PRAGMA user_version=3");
    tx.commit();
  }

  ZoneConfig config() const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::string, std::less<>> values;
    Query q = query("SELECT key, value FROM zone_config");
    while (q.step()) values[q.text(0)] = q.text(1);
    ZoneConfig config;
    config.jurisdiction = values["jurisdiction"];
    const auto policy = signing_policy_from_name(values["signing"]);
    if (!policy) throw Error("zone.db", "zone_config: unknown signing policy \"" + values["signing"] + "\"");
    config.signing = *policy;
    const std::string& every = values["checkpoint_every"];
    if (every.empty() || every.size() > 18 || every.find_first_not_of("0123456789") != std::string::npos ||
        std::stoull(every) == 0) {
      throw Error("zone.db", "zone_config: checkpoint_every \"" + every + "\" is not a positive integer");
    }
    config.checkpoint_every = std::stoull(every);
    config.key_path = values["key"];
    config.public_key = values["public_key"];
    // A zone upgraded from version 2 has no halt_on row: it gets the default.
    const auto halt_on = values.find("halt_on");
    try {
      config.halt_on = parse_halt_on(halt_on == values.end() ? kDefaultHaltOn : std::string_view(halt_on->second));
    } catch (const Error& e) {
      throw Error("zone.db", std::string("zone_config: halt_on: ") + e.what());
    }
    return config;
  }

  void lock_exports(const vm::Digest& module, const std::vector<LockedExport>& exports) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    for (const auto& e : exports) {
      Query existing = query("SELECT module FROM lockfile WHERE export = ?");
      existing.bind(1, e.name);
      if (existing.step()) {
        if (existing.digest(0) == module) continue;  // reinstalling the same module
        throw Error("zone.export_conflict", "export \"" + e.name + "\" of module " + module.hex() +
                                                " is already provided by module " + existing.text(0));
      }
      query("INSERT INTO lockfile(export, module, kind) VALUES(?, ?, ?)")
          .bind(1, e.name).bind(2, module.hex()).bind(3, e.kind).run();
    }
    tx.commit();
  }

  std::optional<LockedExport> locked_export(const std::string& name) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT module, kind FROM lockfile WHERE export = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return LockedExport{name, q.digest(0), q.text(1)};
  }

  // Bindings live in zone_config under "regpack.<name>", so they need no schema change.
  void bind_regpack(std::string_view name, const vm::Digest& digest) override {
    std::lock_guard lock(mutex_);
    query("INSERT INTO zone_config(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, "regpack." + std::string(name)).bind(2, digest.hex()).run();
  }

  std::optional<vm::Digest> bound_regpack(std::string_view name) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT value FROM zone_config WHERE key = ?");
    q.bind(1, "regpack." + std::string(name));
    if (!q.step()) return std::nullopt;
    return q.digest(0);
  }

  std::vector<LockedExport> lockfile() const override {
    std::lock_guard lock(mutex_);
    std::vector<LockedExport> out;
    Query q = query("SELECT export, module, kind FROM lockfile ORDER BY export");
    while (q.step()) out.push_back(LockedExport{q.text(0), q.digest(1), q.text(2)});
    return out;
  }

  std::optional<vm::Word> storage_get(const vm::Word& asset, const vm::Word& key) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT value FROM storage WHERE asset = ? AND key = ?");
    q.bind(1, asset).bind(2, key);
    if (!q.step()) return std::nullopt;
    return q.word(0);
  }

  std::optional<vm::TensorCell> tensor_get(const vm::TensorKey& key) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT state, evidence, as_of, expires FROM tensor "
                    "WHERE asset = ? AND jurisdiction = ? AND domain = ?");
    q.bind(1, key.asset).bind(2, key.jurisdiction).bind(3, static_cast<std::int64_t>(key.domain));
    if (!q.step()) return std::nullopt;
    return tensor_cell(q, 0);
  }

  std::optional<vm::MigrationRecord> migration_get(const vm::Word& id) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT id, asset, jurisdiction, target, amount, status FROM migrations WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return migration(q);
  }

  ZoneChainHead chain_head(const vm::Word& asset) const override {
    std::lock_guard lock(mutex_);
    return head_locked(asset);
  }

  std::vector<vm::Word> assets() const override {
    std::lock_guard lock(mutex_);
    std::vector<vm::Word> out;
    Query q = query("SELECT asset FROM chains ORDER BY asset");
    while (q.step()) out.push_back(q.word(0));
    return out;
  }

  void commit(const TransitionCommit& c) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    const ZoneChainHead head = head_locked(c.asset);
    if (head.height != c.expected_head.height || head.head != c.expected_head.head) {
      throw Error("zone.conflict", "the chain of asset " + id_hex(c.asset) + " moved to height " +
                                       std::to_string(head.height) + " while a transition ran on height " +
                                       std::to_string(c.expected_head.height));
    }
    if (halted_locked(c.asset)) {
      throw Error("zone.halted", "asset " + id_hex(c.asset) + " is halted (savm zone status); nothing was written");
    }
    const std::string receipt = c.receipt_digest.hex();
    if (c.effects) refuse_foreign_writes(*c.effects);
    if (c.effects) apply_effects(c.asset, *c.effects, receipt);
    query("INSERT INTO receipts(digest, asset, sequence, bytes) VALUES(?, ?, ?, ?)")
        .bind(1, receipt).bind(2, c.asset).bind(3, static_cast<std::int64_t>(head.height))
        .bind_blob(4, as_bytes(c.receipt_bytes)).run();
    const std::int64_t index = sqlite3_last_insert_rowid(db_);
    query("INSERT INTO transitions(commit_index, module, entry, input, context) VALUES(?, ?, ?, ?, ?)")
        .bind(1, index).bind(2, c.transition.module.hex()).bind(3, c.transition.entry)
        .bind_blob(4, c.transition.input).bind_blob(5, as_bytes(c.transition.context)).run();
    if (c.effects) halt_on_effects(*c.effects, c.receipt_digest, static_cast<std::uint64_t>(index));
    query("INSERT OR REPLACE INTO chains(asset, height, head, mmr) VALUES(?, ?, ?, ?)")
        .bind(1, c.asset).bind(2, static_cast<std::int64_t>(head.height + 1)).bind(3, receipt)
        .bind_blob(4, peak_bytes(c.peaks)).run();
    if (!c.explanation.empty()) {
      // Content-addressed: two executions that traced the same steps share one record.
      query("INSERT OR IGNORE INTO explanations(digest, record) VALUES(?, ?)")
          .bind(1, c.explanation_digest.hex()).bind_blob(2, as_bytes(c.explanation)).run();
    }
    if (c.checkpoint) {
      query("INSERT INTO checkpoints(asset, receipt_count, digest, bytes) VALUES(?, ?, ?, ?)")
          .bind(1, c.asset).bind(2, static_cast<std::int64_t>(c.checkpoint->receipt_count))
          .bind(3, c.checkpoint->digest.hex()).bind_blob(4, as_bytes(c.checkpoint->bytes)).run();
    }
    if (c.corridor) append_corridor_locked(*c.corridor);
    tx.commit();
  }

  void begin_group() override {
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
  }

  void end_group() override {
    std::lock_guard lock(mutex_);
    if (sqlite3_get_autocommit(db_)) throw Error("zone.db", "sqlite: the group's transaction was rolled back");
    char* message = nullptr;
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw Error("zone.db", "sqlite: group commit: " + why);
    }
    finish_checkpoint();
  }

  void sync() override { log_->sync(); }

  // The bulk of a checkpoint, through the log's own connection. One that fails loses nothing (the
  // frames stay in the durable log) and is tried again after the next sync.
  void checkpoint() override {
    if (log_frames_.load() < kCheckpointFrames / 2) return;
    try {
      log_->checkpoint();
    } catch (const Error&) {
    }
  }

  bool group_open() const override {
    std::lock_guard lock(mutex_);
    return !sqlite3_get_autocommit(db_);
  }

  void for_each_receipt(const std::optional<vm::Word>& asset,
                        const std::function<void(const StoredReceipt&)>& visit) const override {
    // Read in pages so the visitor (which may execute and read state) never runs under our lock.
    std::int64_t after = 0;
    for (;;) {
      std::vector<StoredReceipt> page = receipt_page(asset, after);
      if (page.empty()) return;
      after = static_cast<std::int64_t>(page.back().commit_index);
      for (const auto& r : page) visit(r);
    }
  }

  std::optional<StoredReceipt> find_receipt(const vm::Digest& digest) const override {
    std::lock_guard lock(mutex_);
    Query q = query(receipt_select("WHERE r.digest = ?").c_str());
    q.bind(1, digest.hex());
    if (!q.step()) return std::nullopt;
    return stored_receipt(q);
  }

  std::optional<StoredReceipt> last_receipt() const override {
    std::lock_guard lock(mutex_);
    Query q = query(receipt_select("ORDER BY r.commit_index DESC LIMIT 1").c_str());
    if (!q.step()) return std::nullopt;
    return stored_receipt(q);
  }

  std::optional<std::string> find_explanation(const vm::Digest& digest) const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT record FROM explanations WHERE digest = ?");
    q.bind(1, digest.hex());
    if (!q.step()) return std::nullopt;
    return q.text(0);
  }

    std::vector<StoredCheckpoint> checkpoints(const vm::Word& asset) const override {
    std::lock_guard lock(mutex_);
    std::vector<StoredCheckpoint> out;
    Query q = query("SELECT receipt_count, digest, bytes FROM checkpoints WHERE asset = ? ORDER BY receipt_count");
    q.bind(1, asset);
    while (q.step()) {
      out.push_back(StoredCheckpoint{asset, static_cast<std::uint64_t>(q.integer(0)), q.digest(1), q.text(2)});
    }
    return out;
  }

  std::vector<StorageRow> storage_rows() const override {
    std::lock_guard lock(mutex_);
    std::vector<StorageRow> out;
    Query q = query("SELECT asset, key, value FROM storage ORDER BY asset, key");
    while (q.step()) out.push_back(StorageRow{q.word(0), q.word(1), q.word(2)});
    return out;
  }

  std::vector<std::pair<vm::TensorKey, vm::TensorCell>> tensor_rows() const override {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<vm::TensorKey, vm::TensorCell>> out;
    Query q = query("SELECT asset, jurisdiction, domain, state, evidence, as_of, expires FROM tensor "
                    "ORDER BY asset, jurisdiction, domain");
    while (q.step()) {
      out.emplace_back(vm::TensorKey{q.word(0), q.word(1), domain(q.integer(2))}, tensor_cell(q, 3));
    }
    return out;
  }

  std::vector<vm::MigrationRecord> migration_rows() const override {
    std::lock_guard lock(mutex_);
    std::vector<vm::MigrationRecord> out;
    Query q = query("SELECT id, asset, jurisdiction, target, amount, status FROM migrations ORDER BY id");
    while (q.step()) out.push_back(migration(q));
    return out;
  }

  // Corridors (runtime/zone_corridor_store.h).
  void open_corridor(const StoredCorridor& c) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    {
      Query taken = query("SELECT id FROM corridors WHERE id = ? OR word = ?");
      taken.bind(1, c.id).bind(2, c.word);
      if (taken.step()) {
        throw Error("zone.corridor_exists", "corridor \"" + c.id + "\": the zone already has corridor \"" +
                                                taken.text(0) + "\" under this id");
      }
    }
    query("INSERT INTO corridors(id, word, genesis, genesis_root, height, head, mmr) VALUES(?, ?, ?, ?, 0, ?, ?)")
        .bind(1, c.id).bind(2, c.word).bind_blob(3, as_bytes(c.genesis)).bind(4, c.genesis_root.hex())
        .bind(5, c.genesis_root.hex()).bind_blob(6, std::span<const std::uint8_t>()).run();
    tx.commit();
  }

  std::optional<StoredCorridor> corridor(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    Query q = query(corridor_select("WHERE id = ?").c_str());
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return stored_corridor(q);
  }

  std::optional<StoredCorridor> corridor_of(const vm::Word& word) const override {
    std::lock_guard lock(mutex_);
    Query q = query(corridor_select("WHERE word = ?").c_str());
    q.bind(1, word);
    if (!q.step()) return std::nullopt;
    return stored_corridor(q);
  }

  std::vector<std::string> corridors() const override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    Query q = query("SELECT id FROM corridors ORDER BY id");
    while (q.step()) out.push_back(q.text(0));
    return out;
  }

  void append_corridor(const CorridorAppend& append) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    append_corridor_locked(append);
    tx.commit();
  }

  std::vector<StoredCorridorReceipt> corridor_receipts(std::string_view id, std::uint64_t from) const override {
    std::lock_guard lock(mutex_);
    std::vector<StoredCorridorReceipt> out;
    Query q = query("SELECT sequence, next_root, receipt, bytes FROM corridor_receipts "
                    "WHERE corridor = ? AND sequence >= ? ORDER BY sequence");
    q.bind(1, id).bind(2, static_cast<std::int64_t>(from));
    while (q.step()) {
      StoredCorridorReceipt r{static_cast<std::uint64_t>(q.integer(0)), q.digest(1), std::nullopt, q.text(3)};
      if (!q.text(2).empty()) r.execution_receipt = q.digest(2);
      out.push_back(std::move(r));
    }
    return out;
  }

  bool halted(const vm::Word& asset) const override {
    std::lock_guard lock(mutex_);
    return halted_locked(asset);
  }

  std::vector<vm::Word> halted_assets() const override {
    std::lock_guard lock(mutex_);
    Query q = query("SELECT asset FROM halt_log AS h WHERE action = 'halt' AND sequence = "
                    "(SELECT max(sequence) FROM halt_log WHERE asset = h.asset) ORDER BY asset");
    std::vector<vm::Word> out;
    while (q.step()) out.push_back(q.word(0));
    return out;
  }

  HaltRecord record_halt_action(const HaltEvent& event) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    if (halted_locked(event.asset) == (event.action == HaltAction::halt)) {
      throw Error("zone.halt_state", "asset " + id_hex(event.asset) + " is already " +
                                         (event.action == HaltAction::halt ? "halted" : "active"));
    }
    HaltRecord record = append_halt_record(event, last_commit_index());
    tx.commit();
    return record;
  }

  std::vector<HaltRecord> halt_log(const std::optional<vm::Word>& asset) const override {
    std::lock_guard lock(mutex_);
    std::vector<HaltRecord> out;
    Query q = query("SELECT sequence, asset, action, digest, bytes FROM halt_log ORDER BY sequence");
    while (q.step()) {
      HaltRecord r{static_cast<std::uint64_t>(q.integer(0)), q.word(1),
                   q.text(2) == "halt" ? HaltAction::halt : HaltAction::resume, q.digest(3), q.text(4)};
      if (!asset || r.asset == *asset) out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<HaltRecord> import_slice(const StoredSlice& s,
                                       const std::vector<std::pair<vm::TensorKey, vm::TensorCell>>& cells) override {
    std::lock_guard lock(mutex_);
    Transaction tx(*this);
    {
      Query later = query("SELECT issued_at FROM imported_slices WHERE asset = ? AND jurisdiction = ? "
                          "ORDER BY issued_at DESC LIMIT 1");
      later.bind(1, s.asset).bind(2, s.jurisdiction);
      if (later.step() && later.integer(0) > s.issued_at) {
        throw Error("slice.stale", "$.issued_at: a slice of this asset and jurisdiction issued at " +
                                       std::to_string(later.integer(0)) + " is already imported; this one is older");
      }
    }
    {
      Query same = query("SELECT 1 FROM imported_slices WHERE digest = ?");
      same.bind(1, s.digest.hex());
      if (same.step()) return {};  // already imported: nothing to do
    }
    const std::uint64_t after = last_commit_index();
    const std::string evidence_row = "slice:" + s.digest.hex();
    for (const auto& [key, cell] : cells) {
      query("INSERT OR REPLACE INTO tensor(asset, jurisdiction, domain, state, evidence, as_of, expires, receipt) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, key.asset).bind(2, key.jurisdiction).bind(3, static_cast<std::int64_t>(key.domain))
          .bind(4, static_cast<std::int64_t>(cell.state)).bind(5, cell.evidence.hex()).bind(6, cell.as_of)
          .bind(7, cell.expires).bind(8, evidence_row).run();
    }
    query("INSERT INTO imported_slices(digest, asset, jurisdiction, issued_at, after_commit, bytes) VALUES(?, ?, ?, ?, ?, ?)")
        .bind(1, s.digest.hex()).bind(2, s.asset).bind(3, s.jurisdiction).bind(4, s.issued_at)
        .bind(5, static_cast<std::int64_t>(after)).bind_blob(6, as_bytes(s.bytes)).run();
    std::vector<std::pair<vm::TensorKey, vm::ComplianceState>> written;
    for (const auto& [key, cell] : cells) written.emplace_back(key, cell.state);
    std::vector<HaltRecord> halts = run_halt_trigger(
        written, after, [&](const vm::TensorKey& k, vm::ComplianceState st) { return slice_cause(s.digest, k, st); });
    tx.commit();
    return halts;
  }

  std::vector<StoredSlice> imported_slices() const override {
    std::lock_guard lock(mutex_);
    std::vector<StoredSlice> out;
    Query q = query("SELECT digest, asset, jurisdiction, issued_at, after_commit, bytes FROM imported_slices "
                    "ORDER BY import_index");
    while (q.step()) {
      out.push_back(StoredSlice{q.digest(0), q.word(1), q.word(2), q.integer(3), static_cast<std::uint64_t>(q.integer(4)),
                                q.text(5)});
    }
    return out;
  }

  std::vector<StoredCorridorCheckpoint> corridor_checkpoints(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    std::vector<StoredCorridorCheckpoint> out;
    Query q = query("SELECT receipt_count, digest, bytes FROM corridor_checkpoints WHERE corridor = ? "
                    "ORDER BY receipt_count");
    q.bind(1, id);
    while (q.step()) out.push_back(StoredCorridorCheckpoint{static_cast<std::uint64_t>(q.integer(0)), q.digest(1), q.text(2)});
    return out;
  }

 private:
  void cache_config() {
    const ZoneConfig c = config();
    jurisdiction_ = c.jurisdiction;
    halt_on_ = c.halt_on;
  }

  bool halted_locked(const vm::Word& asset) const {
    Query q = query("SELECT action FROM halt_log WHERE asset = ? ORDER BY sequence DESC LIMIT 1");
    q.bind(1, asset);
    return q.step() && q.text(0) == "halt";
  }

  std::uint64_t last_commit_index() const {
    Query q = query("SELECT coalesce(max(commit_index), 0) FROM receipts");
    return q.step() ? static_cast<std::uint64_t>(q.integer(0)) : 0;
  }

  // Imported (asset, jurisdiction) pairs belong to the foreign zone: local effects may not write them.
  void refuse_foreign_writes(const vm::Effects& effects) const {
    for (const auto& u : effects.tensor_updates) {
      Query q = query("SELECT digest FROM imported_slices WHERE asset = ? AND jurisdiction = ? LIMIT 1");
      q.bind(1, u.key.asset).bind(2, u.key.jurisdiction);
      if (q.step()) {
        throw Error("zone.foreign_cell", "the transition writes tensor cell " + domain_name(u.key.domain) + " of asset " +
                                             id_hex(u.key.asset) + " in a jurisdiction imported from slice " +
                                             q.text(0) + "; only a newer slice writes it. Nothing was written");
      }
    }
  }

  // The halt-on trigger over a transition's tensor writes; the cause names its receipt.
  void halt_on_effects(const vm::Effects& effects, const vm::Digest& receipt, std::uint64_t commit_index) {
    std::vector<std::pair<vm::TensorKey, vm::ComplianceState>> written;
    for (const auto& u : effects.tensor_updates) written.emplace_back(u.key, u.after);
    run_halt_trigger(written, commit_index,
                     [&](const vm::TensorKey& k, vm::ComplianceState st) { return trigger_cause(receipt, k, st); });
  }

  // The halt-on trigger over the cells a commit wrote; appends one record per newly halted asset.
  template <typename Cause>
  std::vector<HaltRecord> run_halt_trigger(const std::vector<std::pair<vm::TensorKey, vm::ComplianceState>>& written,
                                           std::uint64_t after_commit, const Cause& cause) {
    std::vector<HaltRecord> out;
    for (const auto& [key, state] : halting_cells(halt_on_, written)) {
      if (halted_locked(key.asset)) continue;  // already halted: the first cause stands
      out.push_back(append_halt_record(HaltEvent{key.asset, HaltAction::halt, cause(key, state)}, after_commit));
    }
    return out;
  }

  HaltRecord append_halt_record(const HaltEvent& event, std::uint64_t after_commit) {
    std::uint64_t sequence = 0;
    vm::Digest prev;
    {
      Query q = query("SELECT sequence, digest FROM halt_log ORDER BY sequence DESC LIMIT 1");
      if (q.step()) {
        sequence = static_cast<std::uint64_t>(q.integer(0)) + 1;
        prev = q.digest(1);
      }
    }
    const CanonicalBytes bytes = halt_record(jurisdiction_, event, sequence, prev, after_commit);
    HaltRecord record{sequence, event.asset, event.action, vm::sha256(bytes.view()), bytes.str()};
    query("INSERT INTO halt_log(sequence, asset, action, digest, bytes) VALUES(?, ?, ?, ?, ?)")
        .bind(1, static_cast<std::int64_t>(sequence)).bind(2, event.asset).bind(3, halt_action_name(event.action))
        .bind(4, record.digest.hex()).bind_blob(5, as_bytes(record.bytes)).run();
    return record;
  }

  // BEGIN IMMEDIATE takes the write lock up front (no upgrade deadlock between processes);
  // anything that leaves the scope uncommitted rolls back. Inside an open group it is a savepoint
  // of the group's transaction: all or nothing too, durable with the group.
  class Transaction {
   public:
    explicit Transaction(SqliteZoneStore& store) : store_(store), nested_(!sqlite3_get_autocommit(store.db_)) {
      store_.run_cached(nested_ ? "SAVEPOINT zone_commit" : "BEGIN IMMEDIATE");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
      if (done_) return;
      if (!nested_) {
        sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
      } else if (!sqlite3_get_autocommit(store_.db_)) {  // unless the error already ended the group
        sqlite3_exec(store_.db_, "ROLLBACK TO zone_commit; RELEASE zone_commit", nullptr, nullptr, nullptr);
      }
    }
    // A transaction of its own is durable when this returns; one nested in a group is released
    // into the group, which end_group() commits and sync() makes durable.
    void commit() {
      store_.run_cached(nested_ ? "RELEASE zone_commit" : "COMMIT");
      done_ = true;
      if (nested_) return;
      store_.sync();
      store_.checkpoint();
    }

   private:
    SqliteZoneStore& store_;
    bool nested_;
    bool done_ = false;
  };

  static std::span<const std::uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }

  static std::vector<std::uint8_t> peak_bytes(const std::vector<MmrPeak>& peaks) {
    std::vector<std::uint8_t> out;
    out.reserve(peaks.size() * (1 + 32));
    for (const auto& p : peaks) {
      out.push_back(static_cast<std::uint8_t>(p.height));
      out.insert(out.end(), p.hash.bytes().begin(), p.hash.bytes().end());
    }
    return out;
  }

  static std::vector<MmrPeak> peaks(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() % (1 + 32) != 0) throw Error("zone.db", "a stored MMR peak list is not 33-byte records");
    std::vector<MmrPeak> out;
    out.reserve(bytes.size() / (1 + 32));
    for (std::size_t at = 0; at < bytes.size(); at += 1 + 32) {
      vm::Digest::Bytes hash{};
      std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(at + 1), hash.size(), hash.begin());
      out.push_back(MmrPeak{bytes[at], vm::Digest(hash)});
    }
    return out;
  }

  static vm::Domain domain(std::int64_t code) {
    if (code < 0 || code >= vm::kDomainCount) throw Error("zone.db", "a stored tensor domain is out of range");
    return static_cast<vm::Domain>(code);
  }

  static vm::TensorCell tensor_cell(const Query& q, int first) {
    const std::int64_t state = q.integer(first);
    if (state < 0 || state >= vm::kComplianceStateCount) throw Error("zone.db", "a stored tensor state is out of range");
    return vm::TensorCell{static_cast<vm::ComplianceState>(state), q.digest(first + 1), q.integer(first + 2),
                          q.integer(first + 3)};
  }

  static vm::MigrationRecord migration(const Query& q) {
    const std::int64_t status = q.integer(5);
    if (status < 0 || status > 5) throw Error("zone.db", "a stored migration status is out of range");
    return vm::MigrationRecord{q.word(0), q.word(1), q.word(2), q.word(3), q.word(4),
                               static_cast<vm::MigrationStatus>(status)};
  }

  static std::string receipt_select(const std::string& where) {
    return "SELECT r.commit_index, r.digest, r.asset, r.sequence, r.bytes, t.module, t.entry, t.input, "
           "t.context FROM receipts r JOIN transitions t ON t.commit_index = r.commit_index " + where;
  }

  static StoredReceipt stored_receipt(const Query& q) {
    StoredReceipt r;
    r.commit_index = static_cast<std::uint64_t>(q.integer(0));
    r.digest = q.digest(1);
    r.asset = q.word(2);
    r.sequence = static_cast<std::uint64_t>(q.integer(3));
    r.bytes = q.text(4);
    r.transition = TransitionInput{q.digest(5), q.text(6), q.blob(7), q.text(8)};
    return r;
  }

  std::vector<StoredReceipt> receipt_page(const std::optional<vm::Word>& asset, std::int64_t after) const {
    std::lock_guard lock(mutex_);
    std::vector<StoredReceipt> page;
    if (asset) {
      Query q = query(receipt_select("WHERE r.asset = ? AND r.commit_index > ? ORDER BY r.commit_index LIMIT 256").c_str());
      q.bind(1, *asset).bind(2, after);
      while (q.step()) page.push_back(stored_receipt(q));
    } else {
      Query q = query(receipt_select("WHERE r.commit_index > ? ORDER BY r.commit_index LIMIT 256").c_str());
      q.bind(1, after);
      while (q.step()) page.push_back(stored_receipt(q));
    }
    return page;
  }

  static std::string corridor_select(const std::string& where) {
    return "SELECT id, word, genesis, genesis_root, height, head, mmr FROM corridors " + where;
  }

  static StoredCorridor stored_corridor(const Query& q) {
    return StoredCorridor{q.text(0), q.word(1), q.text(2), q.digest(3), static_cast<std::uint64_t>(q.integer(4)),
                          q.digest(5), peaks(q.blob(6))};
  }

  void append_corridor_locked(const CorridorAppend& a) {
    {
      Query q = query("SELECT height FROM corridors WHERE id = ?");
      q.bind(1, a.corridor);
      if (!q.step()) throw Error("zone.corridor", "corridor \"" + a.corridor + "\" is not open in this zone");
      if (static_cast<std::uint64_t>(q.integer(0)) != a.expected_height) {
        throw Error("zone.conflict", "corridor \"" + a.corridor + "\" moved to height " + std::to_string(q.integer(0)) +
                                         " while receipts for height " + std::to_string(a.expected_height) +
                                         " were made");
      }
    }
    for (const auto& r : a.receipts) {
      query("INSERT INTO corridor_receipts(corridor, sequence, next_root, receipt, bytes) VALUES(?, ?, ?, ?, ?)")
          .bind(1, a.corridor).bind(2, static_cast<std::int64_t>(r.sequence)).bind(3, r.next_root.hex())
          .bind(4, r.execution_receipt ? r.execution_receipt->hex() : std::string())
          .bind_blob(5, as_bytes(r.bytes)).run();
    }
    for (const auto& c : a.checkpoints) {
      query("INSERT INTO corridor_checkpoints(corridor, receipt_count, digest, bytes) VALUES(?, ?, ?, ?)")
          .bind(1, a.corridor).bind(2, static_cast<std::int64_t>(c.receipt_count)).bind(3, c.digest.hex())
          .bind_blob(4, as_bytes(c.bytes)).run();
    }
    query("UPDATE corridors SET height = ?, head = ?, mmr = ? WHERE id = ?")
        .bind(1, static_cast<std::int64_t>(a.expected_height + a.receipts.size())).bind(2, a.head.hex())
        .bind_blob(3, peak_bytes(a.peaks)).bind(4, a.corridor).run();
  }

  ZoneChainHead head_locked(const vm::Word& asset) const {
    Query q = query("SELECT height, head, mmr FROM chains WHERE asset = ?");
    q.bind(1, asset);
    if (!q.step()) return ZoneChainHead{};
    return ZoneChainHead{static_cast<std::uint64_t>(q.integer(0)), q.digest(1), peaks(q.blob(2))};
  }

  void apply_effects(const vm::Word& asset, const vm::Effects& effects, const std::string& receipt) {
    for (const auto& change : effects.storage) {
      if (change.after) {
        query("INSERT OR REPLACE INTO storage(asset, key, value, receipt) VALUES(?, ?, ?, ?)")
            .bind(1, asset).bind(2, change.key).bind(3, *change.after).bind(4, receipt).run();
      } else {
        query("DELETE FROM storage WHERE asset = ? AND key = ?").bind(1, asset).bind(2, change.key).run();
      }
    }
    for (const auto& u : effects.tensor_updates) {  // as written: no expiry (vm::Journal::tensor_set)
      query("INSERT OR REPLACE INTO tensor(asset, jurisdiction, domain, state, evidence, as_of, expires, receipt) "
            "VALUES(?, ?, ?, ?, ?, ?, 0, ?)")
          .bind(1, u.key.asset).bind(2, u.key.jurisdiction).bind(3, static_cast<std::int64_t>(u.key.domain))
          .bind(4, static_cast<std::int64_t>(u.after)).bind(5, u.evidence.hex()).bind(6, u.as_of).bind(7, receipt).run();
    }
    for (const auto& m : effects.migrations) {
      const auto& r = m.record;
      query("INSERT OR REPLACE INTO migrations(id, asset, jurisdiction, target, amount, status, receipt) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)")
          .bind(1, r.id).bind(2, r.asset).bind(3, r.jurisdiction).bind(4, r.target).bind(5, r.amount)
          .bind(6, static_cast<std::int64_t>(r.status)).bind(7, receipt).run();
    }
  }

  std::int64_t pragma(const char* name) {
    Query q = query((std::string("PRAGMA ") + name).c_str());
    return q.step() ? q.integer(0) : 0;
  }

  // Statements are prepared once per text and cached for the connection's life.
  Query query(const char* sql) const {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        throw Error("zone.db", std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
      }
      it = statements_.emplace(sql, stmt).first;
    }
    return Query(db_, it->second);
  }

  sqlite3* db_ = nullptr;
  std::string jurisdiction_;         // cached at open: the halt log's "jurisdiction"
  std::vector<vm::Domain> halt_on_;  // cached at open: the halt-on trigger's domains
  mutable std::mutex mutex_;
  mutable std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
  // Made once the connection is open: SQLite names the log after the file it resolved (a symlinked
  // database's log lies beside the target). Closes after the connection (~SqliteZoneStore's body).
  std::optional<WriteAheadLog> log_;
  std::atomic<int> log_frames_{0};     // frames in the log after the last commit

  // SQLite's default automatic checkpoint size, about 4 MB of log: the background checkpoint
  // starts at half of it, this connection completes it at all of it.
  static constexpr int kCheckpointFrames = 1000;

  // The log restarts (is written from its start again) only when a transaction of this
  // connection begins after a checkpoint copied every frame, and this connection is in a group
  // almost always. So once the log is long, it completes the checkpoint itself between two groups:
  // the background checkpoint has copied nearly everything by then. Busy (the background one is
  // running) or failed, it is tried again after the next group.
  void finish_checkpoint() {
    if (log_frames_.load() < kCheckpointFrames) return;
    sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }

  static int count_log_frames(void* self, sqlite3*, const char*, int frames) {
    static_cast<SqliteZoneStore*>(self)->log_frames_.store(frames);
    return SQLITE_OK;
  }
};

}  // namespace

std::string_view signing_policy_name(SigningPolicy policy) {
  switch (policy) {
    case SigningPolicy::none: return "none";
    case SigningPolicy::every: return "every";
    case SigningPolicy::checkpoint: return "checkpoint";
  }
  return "none";
}

std::optional<SigningPolicy> signing_policy_from_name(std::string_view name) {
  for (const auto policy : {SigningPolicy::none, SigningPolicy::every, SigningPolicy::checkpoint}) {
    if (signing_policy_name(policy) == name) return policy;
  }
  return std::nullopt;
}

std::unique_ptr<ZoneStore> create_sqlite_zone_store(const std::filesystem::path& file, const ZoneConfig& config) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) throw Error("zone.exists", file.string() + ": a zone database already exists");
  auto store = std::make_unique<SqliteZoneStore>(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  store->create_schema(config);
  return store;
}

std::unique_ptr<ZoneStore> open_sqlite_zone_store(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw Error("zone.not_a_zone", file.string() + ": no zone database here (run `savm zone init`)");
  auto store = std::make_unique<SqliteZoneStore>(file, SQLITE_OPEN_READWRITE);
  store->check_schema(file);
  return store;
}

}  // namespace savm::runtime
