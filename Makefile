# agentd — the two commands a newcomer needs are `make run` and `make test`.

SWIFT        ?= swift
# Debian packages the build, the tests and the benchmarks need (checked one by one; only missing
# ones are installed). Desktops: Xvfb, openbox, xterm, Chromium and fonts; x11vnc for the live view
# (/vnc/{id}). Benchmark peers (the reference demo's tools): scrot, ImageMagick, xdotool; the HTTP
# benchmark's load generator: wrk.
DEB_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev zlib1g-dev pkg-config \
                xvfb openbox xterm chromium fonts-dejavu-core x11vnc \
                scrot imagemagick xdotool wrk bubblewrap
# PyPI packages seed 001's Python client example needs (S1ClientExamplesTests runs it).
PIP_PACKAGES := aiohttp==3.14.5 websockets==17.4

.PHONY: deps build release run test bench bench-http clean

## deps: install the Debian packages that are missing (apt-get; root on these machines).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import aiohttp, websockets" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES)
	@# Seed 001's JavaScript example needs Node.js 20.10+ (a global WebSocket); the machine image ships 20.
	@node --experimental-websocket -e "if (typeof WebSocket !== 'function') process.exit(1)" 2>/dev/null \
	  || echo "warning: Node.js 20.10+ is missing: S1ClientExamplesTests will fail (Debian's nodejs 18 is too old)" >&2

build: deps
	$(SWIFT) build --build-tests

release: deps
	$(SWIFT) build -c release

## run: install what is missing, build, and start the agentd daemon on its embedded defaults: the
## API on http://127.0.0.1:8000, SQLite under ./data. Without ANTHROPIC_API_KEY it starts anyway and
## says so (sessions then end in error until a key is set); AGENTD_ARGS adds flags, e.g.
## AGENTD_ARGS="--script Examples/demo-script.json" for an offline demo. Ctrl-C stops it cleanly.
AGENTD_ARGS ?=
run: release
	.build/release/agentd $(AGENTD_ARGS)

## test: every test (unit, end-to-end through real HTTP and real processes), and the examples.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip CrashRecoveryTests
	# The kill -9 crash test saturates both cores for ~20 s, so it runs on its own.
	$(SWIFT) test --skip-build --filter CrashRecoveryTests
	.build/debug/CustomToolExample

## bench: benchmarks, printing JSON (the platform group runs the release agentd beside agentbench).
bench: deps
	$(SWIFT) build -c release --product agentbench
	$(SWIFT) build -c release --product agentd
	.build/release/agentbench

## bench-http: agentd's HTTP server against its peers in PEERS_DIR (Hummingbird 2, FastAPI) with wrk,
## plus 10,000 idle keep-alive connections and 1,000 WebSocket subscribers, printing JSON (about
## 2.5 min). The Hummingbird peer is built once into .build-peer-hb from a copy under /tmp (a root
## package named `hummingbird` clashes with its dependency of that name); the first build takes
## several minutes. A peer that does not build in 10 min or does not install is skipped with a note.
PEERS_DIR   ?= /work/shared/peers
PEER_HB_SRC := /tmp/agentd-peer-hummingbird
bench-http: deps
	$(SWIFT) build -c release --product agentbench
	$(SWIFT) build -c release --product agentd
	@if [ ! -x .build-peer-hb/release/peer ] && [ -d $(PEERS_DIR)/hummingbird ]; then \
	  rm -rf $(PEER_HB_SRC) && cp -r $(PEERS_DIR)/hummingbird $(PEER_HB_SRC) && \
	  timeout 600 $(SWIFT) build -c release --package-path $(PEER_HB_SRC) --scratch-path .build-peer-hb >&2 \
	  || echo "the Hummingbird peer did not build: it is skipped" >&2; fi
	@python3 -c "import fastapi, uvicorn" 2>/dev/null || python3 -m pip install -q fastapi uvicorn >&2 \
	  || echo "FastAPI could not be installed: it is skipped" >&2
	PEERS_DIR=$(PEERS_DIR) .build/release/agentbench http

## fuzz: build the libFuzzer harnesses (with ASan) of the HTTP request parser and the WebSocket frame
## parser, and run each for FUZZ_SECONDS from Fuzz/corpus/<name>; new corpus units go to
## .build-fuzz/corpus-<name>, crash files to fuzz-out/<harness>-*.
FUZZ_SECONDS ?= 30
FUZZ_BUILD   := .build-fuzz
FUZZ_OBJECTS  = $(FUZZ_BUILD)/release/AgentHTTP.build/*.o $(FUZZ_BUILD)/release/AgentCore.build/*.o
# AgentHTTP's module needs AgentCore's C modules on the search path (system library targets).
FUZZ_INCLUDES = -I $(FUZZ_BUILD)/release/Modules -I Sources/CCrypto -I Sources/CCurl -I Sources/CZlib -I Sources/CEpoll
# $(call fuzz-run,Harness,binary-name,corpus-and-dict-name): link Fuzz/Harness.swift and run it.
define fuzz-run
	swiftc -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld $(FUZZ_INCLUDES) \
	  Fuzz/$(1).swift Fuzz/Support/*.swift $(FUZZ_OBJECTS) -o $(FUZZ_BUILD)/$(2)-fuzz
	mkdir -p $(FUZZ_BUILD)/corpus-$(3) fuzz-out
	SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/$(2)-fuzz -max_total_time=$(FUZZ_SECONDS) \
	  -dict=Fuzz/$(3).dict -artifact_prefix=fuzz-out/$(2)- $(FUZZ_BUILD)/corpus-$(3) Fuzz/corpus/$(3)
endef
.PHONY: fuzz
fuzz:
	$(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address --target AgentHTTP --scratch-path $(FUZZ_BUILD)
	$(call fuzz-run,HTTPParserFuzz,http-parser,http)
	$(call fuzz-run,WebSocketFrameFuzz,websocket-frame,websocket)

clean:
	rm -rf .build
