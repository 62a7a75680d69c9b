#pragma once
// exact: global optimum of the square loss for one ReLU (and two, on tiny sets) by
// branch and bound over activation patterns (docs/reductions/training.md §2).
//
// k = 1. For an output sign s = ±1 the problem is min_w Σ c_i (ReLU(⟨w,x_i⟩) − s·y_i)²
// (|a| is absorbed into w by homogeneity). A node fixes some samples with label > 0
// active (⟨w,x⟩ ≥ 0, loss (z − y)²) or inactive (⟨w,x⟩ ≤ 0, loss y²); every other
// sample stays in the convex envelope of its loss — ReLU(z − y)² for y > 0, the loss
// itself for y ≤ 0 (it is convex; such samples are never branched on). With an
// auxiliary t_i per sample the node problem is a convex QP with a diagonal Hessian:
//   row t_i − ⟨w,x_i⟩, objective c_i t_i² (+ linear/constant terms), and the state of
//   sample i only changes row and column bounds,
// solved by COIN-OR CLP's QP simplex, warm-started from the previous node (depth-first
// search). The node optimum is a lower bound for every completion of the node; the
// network at the node optimum gives an upper bound. Nodes whose bound reaches the
// incumbent (first from `gd`) are pruned; a node whose relaxation is tight at its
// optimum (no undecided sample with label > 0 between 0 and its label) is closed.
//
// k = 2 (tiny sets). Output signs (s_1, s_2) fixed after absorbing |a_j| (all three
// sign classes when unconstrained); branch on (sample, unit) activations, samples in
// order; a sample contributes its exact convex loss once both its units are decided
// and 0 (a valid lower bound) before. Leaves are convex QPs. With equal output signs the
// units are interchangeable: only pattern pairs with unit 1 ≥ unit 2 in lexicographic
// order are explored (ExactParams::break_symmetry; the argument is at TwoUnits).
//
// Bounds are floating point: a node bound is CLP's optimum of the node QP, which is
// accurate to about 1e-10 relative; the lower bound reported is therefore a numerical
// bound, not a rational certificate. Unit norm bounds are not supported (the node
// problems would be QCQPs): train_exact throws Failure "train.param".
#include "solvers/relu/trainer.hpp"
