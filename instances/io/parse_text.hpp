#pragma once
// The readers' entry points on a view of the text (a mapped file, see mapped_file.hpp):
// parse_graph and parse_set_cover of io.hpp without a std::string to hold the text.
#include <string>
#include <string_view>

#include "instances/core/error.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/set_cover.hpp"

namespace relugap::io_detail {

Result<Graph> parse_graph_text(std::string_view text, const std::string& name);
Result<SetCoverInstance> parse_set_cover_text(std::string_view text, const std::string& name);

}  // namespace relugap::io_detail
