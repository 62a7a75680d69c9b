#pragma once
// The shape check every one-ReLU construction makes before decoding a network.
#include <cstddef>
#include <string>

#include "instances/core/error.hpp"
#include "instances/problems/network.hpp"

namespace relugap {

/// Contract of the one-ReLU constructions (set cover, DkS and its unit-ball form, Max-Cut):
/// `net` has one unit and the data's dimension. Throws Failure "reduce.network"
/// ("REDUCTION reduction: network has 2 units; ...") otherwise.
template <class S>
void check_one_relu(const BasicNetwork<S>& net, std::size_t dim, const std::string& reduction) {
  if (net.units() != 1)
    fail("reduce.network", reduction + " reduction", 0,
         "network has " + std::to_string(net.units()) + " units; the construction is for one ReLU");
  if (net.dim != dim)
    fail("reduce.network", reduction + " reduction", 0,
         "network dimension " + std::to_string(net.dim) + " does not match data dimension " + std::to_string(dim));
}

}  // namespace relugap
