// The output side of `savm fmt` (lang/formatter.h). The formatter walks the AST and asks for
// layout (a space, a line break at an indent, a blank line, a column to pad to); the printer
// writes the source's own code tokens, in source order, in between. Because every token comes
// from the source, literals keep their spelling (600_000 PKR, "\u00e9"), and because the printer
// knows where each token was, it re-attaches every comment where it stood: a comment after code
// on its line stays at the end of the line (aligned with its neighbours), any other comment gets
// a line of its own. A comment always ends its line, so the next token starts a new one.
//
// Groups: `try_flat` lays a piece out on the current line when it fits the width and holds no
// comment, by rendering it once as a trial (nothing is kept) and then for real.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/format_tokens.h"
#include "lang/source.h"

namespace savm::lang {

class FormatPrinter {
 public:
  static constexpr std::size_t kWidth = 100;  // columns, counted in code points

  explicit FormatPrinter(const SourceFile& file);

  // Layout before the next token. Requests combine: the strongest wins (blank > newline > space).
  void space();
  void newline(std::size_t indent);
  void blank_line(std::size_t indent);
  void pad_to(std::size_t column);  // the next token starts at `column` (at least one space)

  // Writes the next source token, which must read `expected` (a mismatch is a formatter bug).
  void token(std::string_view expected);
  // Writes the next source token whatever it reads (names, literals).
  void token();
  // Consumes the next source token without writing it (a redundant comma or parenthesis).
  void skip(std::string_view expected);
  // Writes text the source does not have (a comma the canonical layout adds).
  void insert(std::string_view text);

  bool next_is(std::string_view text) const;
  std::uint32_t next_begin() const;  // byte offset of the next source token (the text size at the end)
  std::size_t column() const { return state_.column; }
  // The column the next token will start at, after the pending space or line break.
  std::size_t next_column() const;
  bool flat() const { return flat_; }

  // The indent a comment forces a line break to when the layout wanted none.
  std::size_t continuation() const { return state_.continuation; }
  void set_continuation(std::size_t indent) { state_.continuation = indent; }

  // Runs `piece` on the current line if it fits (leaving `reserve` columns) and holds no comment
  // or line break; returns false and writes nothing otherwise. Inside a flat piece it just runs.
  bool try_flat(const std::function<void()>& piece, std::size_t reserve = 0);
  // Runs `piece` laid out flat without a trial: for pieces `measure` accepted.
  void run_flat(const std::function<void()>& piece);
  // Runs `piece` flat from the source token at byte `begin` as a trial (nothing is written, the
  // position is kept) and returns its width, or nothing when it holds a comment or a line break.
  // Lets a table align rows the printer has not reached yet, and a list reserve room for what
  // follows it. Widths come from the tokens, never from the source's spacing, so that formatting
  // a formatted file changes nothing.
  std::optional<std::size_t> measure(std::uint32_t begin, const std::function<void()>& piece);
  // How many '(' tokens come next, before byte `before`.
  std::size_t open_parens(std::uint32_t before) const;
  // Makes a flat trial fail: for layouts that always break (let ... in).
  void require_break();

  // The formatted text: remaining comments written, trailing comments aligned, one final newline.
  // Throws std::logic_error if the formatter did not consume every token (a formatter bug).
  std::string finish();

 private:
  enum class Break { none, space, newline, blank };
  struct State {
    std::size_t column = 0;
    std::size_t line = 0;
    std::size_t next_token = 0;
    std::size_t next_comment = 0;
    std::uint32_t last_end = 0;  // end of the last consumed source token or written comment
    std::uint32_t last_code_end = 0;
    bool any_code = false;
    bool own_line_comment_last = false;
    Break pending = Break::none;
    std::size_t pending_indent = 0;
    std::size_t pending_spaces = 1;
    std::size_t continuation = 0;
  };
  struct Trailing {
    std::size_t line;
    std::size_t code_end;  // byte offset in `out_` where the code of the line ends
  };

  void write_comments_before(std::uint32_t begin);
  void write_comment(const SourcePiece& comment);
  void apply_pending();
  void write(std::string_view text);
  bool blank_in_source(std::uint32_t from, std::uint32_t to) const;
  std::string_view text_of(const SourcePiece& piece) const;
  std::string aligned() const;

  const SourceFile& file_;
  SourcePieces pieces_;
  std::string out_;
  std::vector<Trailing> trailing_;
  State state_;
  bool flat_ = false;
  bool trial_ = false;
  bool failed_ = false;
  std::size_t limit_ = kWidth;
};

}  // namespace savm::lang
