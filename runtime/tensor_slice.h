// A signed tensor-slice document: one asset's cells in the exporting zone's own jurisdiction, for
// a corridor counterparty (docs/operating-a-zone.md "Cross-zone tensor slices").
//
//   {"type": "SAVMTensorSlice", "format_version": 1, "jurisdiction": "AE", "asset_id": "0x…",
//    "issued_at": <the exporting zone's latest transition time, unix s>,
//    "cells": [{"domain": "sanctions", "state": "compliant", "evidence": "<64 hex>",
//               "as_of": <unix s>, "expires": <unix s, 0 = none>}, ...],   (ascending domain code)
//    "commitment": "<64 hex>", "proof": {...}}
//
// "commitment" is the tensor commitment (runtime/zone_tensor.h: RFC 6962 Merkle Tree Hash of the
// SAVMTensorCell leaves) of exactly these cells, so it is the exporting zone's `savm tensor
// --commitment` restricted to the slice, and a counterparty recomputes it from the cells shown.
// The proof is a runtime/proof.h proof by the zone key, created at issued_at (no clock).
// slice_digest = SHA-256(MCF(the document without "proof")).
//
// An importing zone stores the cells as the foreign jurisdiction's cells with evidence = the
// slice digest (the original evidence digests stay in the stored slice) and the expiry kept, so
// an expired foreign attestation reads pending like any other. Imported (asset, jurisdiction)
// pairs are foreign: only a newer import writes them, a local transition that writes one is
// refused ("zone.foreign_cell").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/zone_signer.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

inline constexpr std::string_view kTensorSliceType = "SAVMTensorSlice";

struct SliceCell {
  vm::Domain domain{};
  vm::TensorCell cell;  // as the exporting zone stores it
};

struct TensorSlice {
  std::string jurisdiction;  // the exporting zone's short name
  vm::Word asset;
  std::int64_t issued_at = 0;
  std::vector<SliceCell> cells;  // ascending domain
  vm::Digest commitment;

  vm::Word jurisdiction_id() const;
  // The document without proof.
  Json to_json() const;
  vm::Digest digest() const;
  // The RFC 6962 root of the cells' SAVMTensorCell leaves.
  vm::Digest recompute_commitment() const;
  // The cells as an importing zone stores them: evidence = the slice digest, the rest kept.
  std::vector<std::pair<vm::TensorKey, vm::TensorCell>> imported_cells() const;

  // Shape check of a document (proof ignored). Throws "slice.field" naming the JSON path.
  static TensorSlice from_json(const Json& document);
};

// `asset`'s cells in the zone's own jurisdiction, read from `store`, issued at the zone's latest
// transition time, signed by `signer`. Throws "slice.unsigned" for a zone without a key.
Json export_slice(const ZoneStore& store, const ZoneConfig& config, const ZoneSigner& signer, const vm::Word& asset);

// A checked slice, ready to store.
struct VerifiedSlice {
  TensorSlice slice;
  vm::Digest digest;
  std::string bytes;  // canonical bytes of the whole document, proof included
};

// Every check of an import, in this order: shape ("slice.field"), exactly one proof that verifies
// by `trusted` ("slice.signature"), the commitment recomputes from the cells ("slice.commitment"),
// the jurisdiction is not `own_jurisdiction` ("slice.jurisdiction").
VerifiedSlice verify_slice(const Json& document, const PublicKey& trusted, std::string_view own_jurisdiction);

}  // namespace savm::runtime
