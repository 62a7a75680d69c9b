# The two entry points: `make run` and `make test`. Both set up a fresh Debian
# machine (installing missing packages), configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: setup configure build run test sanitize bench format clean

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run_main.sh $(BUILD)/relugap

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# ASan + UBSan at -O1 with line tables only (a third of RelWithDebInfo's build
# time) and assertions on. No -Werror here: GCC 12 emits false
# -Wmaybe-uninitialized under -fsanitize; the warnings-as-errors build is the
# Release one in .ci/run.
sanitize:
	@$(MAKE) --no-print-directory test BUILD=build-asan CMAKE_FLAGS="-DRELUGAP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG='-O1 -g1'"

bench: setup
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELUGAP_BENCH=ON >/dev/null
	@cmake --build build-bench -j $(JOBS)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-asan build-bench
