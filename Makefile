# The two commands of the README, over CMake presets (CMakePresets.json).
#   make demo   install dependencies, build, run the demo
#   make test   install dependencies, build and run the whole suite (clang, g++, ASan+UBSan with fuzz smoke)
JOBS ?= $(shell nproc)

.PHONY: demo test deps build clean

deps:
	scripts/install-deps

build: deps
	cmake --preset clang-release
	cmake --build --preset clang-release -j $(JOBS)

demo: build
	scripts/demo build/clang-release/cli/savm

test: deps
	scripts/run-tests

clean:
	rm -rf build
