#include "lang/format_printer.h"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace savm::lang {
namespace {

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

FormatPrinter::FormatPrinter(const SourceFile& file) : file_(file), pieces_(split_source(file.text)) {}

void FormatPrinter::space() {
  if (state_.pending != Break::none) return;
  state_.pending = Break::space;
  state_.pending_spaces = 1;
}

void FormatPrinter::newline(std::size_t indent) {
  if (flat_) failed_ = true;
  if (state_.pending != Break::blank) state_.pending = Break::newline;
  state_.pending_indent = indent;
}

void FormatPrinter::blank_line(std::size_t indent) {
  if (flat_) failed_ = true;
  state_.pending = Break::blank;
  state_.pending_indent = indent;
}

void FormatPrinter::pad_to(std::size_t column) {
  if (state_.pending != Break::none && state_.pending != Break::space) return;
  state_.pending = Break::space;
  state_.pending_spaces = column > state_.column ? column - state_.column : 1;
}

void FormatPrinter::token(std::string_view expected) {
  if (!next_is(expected)) {
    const std::uint32_t at = next_begin();
    throw std::logic_error("formatter: expected '" + std::string(expected) + "' at byte " + std::to_string(at) +
                           " of " + file_.path);
  }
  token();
}

void FormatPrinter::token() {
  if (state_.next_token >= pieces_.tokens.size()) throw std::logic_error("formatter: no token left in " + file_.path);
  const SourcePiece& t = pieces_.tokens[state_.next_token];
  write_comments_before(t.begin);
  // A blank line the author left after a comment of its own line stays, where a line breaks anyway.
  if (state_.own_line_comment_last && state_.pending == Break::newline && blank_in_source(state_.last_end, t.begin)) {
    state_.pending = Break::blank;
  }
  apply_pending();
  write(text_of(t));
  ++state_.next_token;
  state_.last_end = state_.last_code_end = t.end;
  state_.any_code = true;
  state_.own_line_comment_last = false;
  if (trial_ && state_.column > limit_) failed_ = true;
}

void FormatPrinter::skip(std::string_view expected) {
  if (!next_is(expected)) throw std::logic_error("formatter: cannot skip '" + std::string(expected) + "' in " + file_.path);
  const SourcePiece& t = pieces_.tokens[state_.next_token++];
  state_.last_code_end = std::max(state_.last_code_end, t.end);
  state_.last_end = std::max(state_.last_end, t.end);
}

void FormatPrinter::insert(std::string_view text) {
  apply_pending();
  write(text);
}

bool FormatPrinter::next_is(std::string_view text) const {
  return state_.next_token < pieces_.tokens.size() && text_of(pieces_.tokens[state_.next_token]) == text;
}

std::uint32_t FormatPrinter::next_begin() const {
  return state_.next_token < pieces_.tokens.size() ? pieces_.tokens[state_.next_token].begin
                                                   : static_cast<std::uint32_t>(file_.text.size());
}

std::size_t FormatPrinter::next_column() const {
  switch (state_.pending) {
    case Break::none: return state_.column;
    case Break::space: return state_.column + state_.pending_spaces;
    default: return state_.pending_indent;
  }
}

bool FormatPrinter::try_flat(const std::function<void()>& piece, std::size_t reserve) {
  if (flat_) {
    piece();
    return true;
  }
  const State saved = state_;
  const std::size_t out_size = out_.size();
  const std::size_t trailing = trailing_.size();
  trial_ = flat_ = true;
  failed_ = false;
  limit_ = kWidth - std::min(reserve, kWidth);
  piece();
  const bool fits = !failed_ && state_.column <= limit_;
  out_.resize(out_size);
  trailing_.resize(trailing);
  state_ = saved;
  trial_ = false;
  if (fits) piece();
  flat_ = false;
  return fits;
}

void FormatPrinter::run_flat(const std::function<void()>& piece) {
  const bool was_flat = flat_;
  flat_ = true;
  piece();
  flat_ = was_flat;
}

std::optional<std::size_t> FormatPrinter::measure(std::uint32_t begin, const std::function<void()>& piece) {
  const State saved = state_;
  const std::size_t out_size = out_.size();
  const std::size_t trailing = trailing_.size();
  const bool was_flat = flat_;
  const bool was_trial = trial_;
  const std::size_t was_limit = limit_;
  const auto at = [begin](const std::vector<SourcePiece>& pieces) {
    return static_cast<std::size_t>(std::lower_bound(pieces.begin(), pieces.end(), begin,
                                                     [](const SourcePiece& p, std::uint32_t b) { return p.begin < b; }) -
                                    pieces.begin());
  };
  state_.next_token = at(pieces_.tokens);
  state_.next_comment = at(pieces_.comments);
  state_.last_end = state_.last_code_end = begin;
  state_.pending = Break::none;
  trial_ = flat_ = true;
  failed_ = false;
  limit_ = std::numeric_limits<std::size_t>::max();
  piece();
  std::optional<std::size_t> width;
  if (!failed_) width = state_.column - saved.column;
  out_.resize(out_size);
  trailing_.resize(trailing);
  state_ = saved;
  flat_ = was_flat;
  trial_ = was_trial;
  limit_ = was_limit;
  failed_ = false;
  return width;
}

std::size_t FormatPrinter::open_parens(std::uint32_t before) const {
  std::size_t n = 0;
  for (std::size_t i = state_.next_token; i < pieces_.tokens.size() && pieces_.tokens[i].begin < before; ++i, ++n) {
    if (text_of(pieces_.tokens[i]) != "(") break;
  }
  return n;
}

void FormatPrinter::require_break() {
  if (flat_) failed_ = true;
}

void FormatPrinter::write_comments_before(std::uint32_t begin) {
  while (state_.next_comment < pieces_.comments.size() && pieces_.comments[state_.next_comment].begin < begin) {
    write_comment(pieces_.comments[state_.next_comment++]);
  }
}

void FormatPrinter::write_comment(const SourcePiece& comment) {
  if (trial_) failed_ = true;  // a comment ends its line, so no piece holding one is flat
  const std::string_view between(file_.text.data() + state_.last_code_end, comment.begin - state_.last_code_end);
  const bool trailing = state_.any_code && state_.last_end == state_.last_code_end && between.find('\n') == std::string_view::npos;
  if (state_.pending == Break::none || state_.pending == Break::space) {
    state_.pending = Break::newline;
    state_.pending_indent = state_.continuation;
  }
  if (trailing) {
    trailing_.push_back({state_.line, out_.size()});
    write("  ");
  } else if (!out_.empty()) {
    if (state_.pending == Break::newline && blank_in_source(state_.last_end, comment.begin)) state_.pending = Break::blank;
    apply_pending();
    state_.pending = Break::newline;
  }
  write(text_of(comment));
  state_.last_end = comment.end;
  state_.own_line_comment_last = !trailing;
}

void FormatPrinter::apply_pending() {
  const Break pending = state_.pending;
  state_.pending = Break::none;
  if (out_.empty()) return;
  switch (pending) {
    case Break::none:
      break;
    case Break::space:
      write(std::string(state_.pending_spaces, ' '));
      break;
    case Break::blank:
      write("\n");
      [[fallthrough]];
    case Break::newline:
      write("\n" + std::string(state_.pending_indent, ' '));
      break;
  }
  state_.pending_spaces = 1;
}

void FormatPrinter::write(std::string_view text) {
  out_ += text;
  for (const char c : text) {
    if (c == '\n') {
      ++state_.line;
      state_.column = 0;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++state_.column;
    }
  }
}

bool FormatPrinter::blank_in_source(std::uint32_t from, std::uint32_t to) const {
  return std::count(file_.text.begin() + from, file_.text.begin() + to, '\n') >= 2;
}

std::string_view FormatPrinter::text_of(const SourcePiece& piece) const {
  return std::string_view(file_.text).substr(piece.begin, piece.end - piece.begin);
}

std::string FormatPrinter::finish() {
  if (state_.next_token != pieces_.tokens.size()) {
    throw std::logic_error("formatter: " + std::to_string(pieces_.tokens.size() - state_.next_token) +
                           " tokens left unwritten in " + file_.path);
  }
  newline(0);
  write_comments_before(std::numeric_limits<std::uint32_t>::max());
  std::string text = aligned();
  text += '\n';
  return text;
}

// Trailing comments on consecutive lines of one indent start in one column, two spaces after the
// longest code (a continuation line, indented deeper, starts a run of its own).
std::string FormatPrinter::aligned() const {
  std::map<std::size_t, std::size_t> code_end;  // line -> offset in out_ where its code ends
  for (const Trailing& t : trailing_) code_end[t.line] = t.code_end;
  const std::vector<std::pair<std::size_t, std::size_t>> marks(code_end.begin(), code_end.end());
  auto line_start = [this](std::size_t end) {
    const std::size_t newline = out_.rfind('\n', end - 1);
    return newline == std::string::npos ? 0 : newline + 1;
  };
  auto code_width = [&](std::size_t end) {
    return code_points(std::string_view(out_).substr(line_start(end), end - line_start(end)));
  };
  auto indent = [&](std::size_t end) { return out_.find_first_not_of(' ', line_start(end)) - line_start(end); };
  std::map<std::size_t, std::size_t> column;  // line -> column of its comment
  for (std::size_t i = 0; i < marks.size();) {
    std::size_t j = i;
    std::size_t widest = 0;
    do {
      widest = std::max(widest, code_width(marks[j].second));
      ++j;
    } while (j < marks.size() && marks[j].first == marks[j - 1].first + 1 &&
             indent(marks[j].second) == indent(marks[j - 1].second));
    for (std::size_t k = i; k < j; ++k) column[marks[k].first] = widest + 2;
    i = j;
  }
  std::string text;
  std::size_t line = 0;
  for (std::size_t start = 0;; ++line) {
    std::size_t end = out_.find('\n', start);
    if (end == std::string::npos) end = out_.size();
    const auto found = code_end.find(line);
    if (found == code_end.end()) {
      text.append(out_, start, end - start);
    } else {
      const std::string_view code = std::string_view(out_).substr(start, found->second - start);
      text += code;
      text.append(column[line] - code_points(code), ' ');
      text.append(out_, found->second + 2, end - found->second - 2);
    }
    if (end == out_.size()) break;
    text += '\n';
    start = end + 1;
  }
  return text;
}

}  // namespace savm::lang
