# The two commands of the README, over CMake presets (CMakePresets.json).
#   make demo   install dependencies, build the savm command only, run the corridor scenario
#   make test   install dependencies, build and run the whole suite (clang, g++, ASan+UBSan with fuzz smoke)
JOBS ?= $(shell nproc)

.PHONY: demo test deps build savm clean

deps:
	scripts/install-deps

build: deps
	cmake --preset clang-release
	cmake --build --preset clang-release -j $(JOBS)

# The demo needs only the command, so a new user does not wait for the test suite to compile.
savm: deps
	cmake --preset clang-release
	cmake --build --preset clang-release -j $(JOBS) --target savm

demo: savm
	scripts/demo build/clang-release/cli/savm

test: deps
	scripts/run-tests

clean:
	rm -rf build
