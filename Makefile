# Exhume — the two set-up commands live in README.md; `make test` is the one test command.
SHELL := /bin/bash
DEB_PACKAGES := libtsk-dev libewf-dev libmagic-dev libdeflate-dev libsqlite3-dev sqlite3 sleuthkit ewf-tools hashdeep pkg-config \
                dosfstools mtools e2fsprogs ntfs-3g gdisk fdisk
FIXTURE := Fixtures/mbr.E01
export TZ := UTC

.PHONY: deps build demo test bench bench-carve bench-scan fixtures clean

# Installs the Debian packages that are missing (needs root or sudo).
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release --static-swift-stdlib --product exhume

# The main job on a bundled fixture: what the image is, its deleted files, its timeline.
demo: build
	.build/release/exhume info $(FIXTURE)
	.build/release/exhume ls --deleted $(FIXTURE)
	.build/release/exhume timeline --format csv $(FIXTURE)
	rm -rf .build/demo-case
	.build/release/exhume scan $(FIXTURE) --case .build/demo-case
	.build/release/exhume report .build/demo-case

# A module may import only the modules its target names (ARCHITECTURE.md's rule), checked by the build.
IMPORT_CHECK := --explicit-target-dependency-import-check error
test: deps
	swift build $(IMPORT_CHECK)
	swift test $(IMPORT_CHECK)

# Only our two programs: a plain `swift build --static-swift-stdlib` would also link GRDB's
# dynamic library product, which cannot take a static Swift runtime.
RELEASE := swift build -c release --static-swift-stdlib
bench: deps
	$(RELEASE) --product exhume && $(RELEASE) --product exhume-bench
	.build/release/exhume-bench

# Carving against PhotoRec, Foremost and Scalpel on the standard evidence, scored on its manifest
# (../shared/bench/run-peers.sh with OWN_CARVE; EVIDENCE defaults to the folder exhume-bench builds).
EVIDENCE ?= .build/bench-evidence
bench-carve: deps
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq testdisk foremost scalpel hyperfine >/dev/null
	swift build -c release --static-swift-stdlib --product exhume
	[ -f $(EVIDENCE)/fat32.raw ] || bash ../shared/bench/make-evidence.sh 1024 $(EVIDENCE)
	CRUNS=$${CRUNS:-1} ONLY='^(photorec-|foremost-fat32$$|foremost-ext4$$|scalpel-|own-carve)' \
	OWN_CARVE="$(CURDIR)/.build/release/exhume carve --all-space --types jpg,png,gif,pdf,mp4,mov --out {out} {img}" \
	bash ../shared/bench/run-peers.sh $(EVIDENCE) .build/bench-carve-results

# exhume scan against ewfverify and the chain ewfexport + tsk_recover -e + hashdeep + PhotoRec
# (exhume-bench --only scan; RUNS=N for more than one run; about 1 GB of scratch per chain in .build).
bench-scan: deps
	@missing=$$(for p in testdisk hyperfine; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(RELEASE) --product exhume && $(RELEASE) --product exhume-bench
	.build/release/exhume-bench --only scan --evidence $(EVIDENCE) --runs $${RUNS:-1}

fixtures: deps
	bash Fixtures/make-fixtures.sh

clean:
	rm -rf .build
