# Exhume — the two set-up commands live in README.md; `make test` is the one test command.
SHELL := /bin/bash
DEB_PACKAGES := libtsk-dev libewf-dev libmagic-dev libsqlite3-dev sleuthkit ewf-tools hashdeep pkg-config \
                dosfstools mtools e2fsprogs ntfs-3g gdisk fdisk
FIXTURE := Fixtures/mbr.E01
export TZ := UTC

.PHONY: deps build demo test bench fixtures clean

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

test: deps
	swift build
	swift test

bench: deps
	swift build -c release --static-swift-stdlib
	.build/release/exhume-bench

fixtures: deps
	bash Fixtures/make-fixtures.sh

clean:
	rm -rf .build
