#!/usr/bin/env python3
"""Make a prebuilt shared library load on a system whose libstdc++ lacks one GLIBCXX version.

Why: libLibTorchSharp.so (TorchSharp 0.107) is linked with GCC 13 and records a need for GLIBCXX_3.4.32,
which Debian 12's libstdc++ (GCC 12, up to GLIBCXX_3.4.30) does not define, so dlopen fails. The only
symbol bound to that version is _ZSt21ios_base_library_initv, a marker GCC 13 emits for iostream
initialisation that no relocation ever resolves. So it is safe to
  1. mark the version need weak (VER_FLG_WEAK in its Vernaux entry): the loader then tolerates its absence;
  2. give the marker symbol the global version index 1 in .gnu.version, so nothing asks for the version.

The script refuses (exit 1) if any other symbol uses the version or if a relocation references one of its
symbols, is a no-op when the file is already patched or does not need the version, and is a no-op when the
system libstdc++ already defines the version. Usage: elf_weaken_glibcxx.py LIB [--version GLIBCXX_3.4.32]
[--force] (--force patches even when the system libstdc++ has the version; tests use it).
"""
import argparse
import struct
import subprocess
import sys

SHT_DYNSYM = 11
SHT_RELA = 4
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
VER_NDX_GLOBAL = 1
VERSYM_HIDDEN = 0x8000

LIBSTDCXX_CANDIDATES = [
    "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
    "/usr/lib64/libstdc++.so.6",
    "/lib/x86_64-linux-gnu/libstdc++.so.6",
    "/usr/lib/libstdc++.so.6",
]


class ElfError(Exception):
    pass


def read_sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ElfError("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = []
    for i in range(shnum):
        name, stype, _flags, _addr, offset, size, link, _info, _align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", data, shoff + i * shentsize)
        sections.append({"name": name, "type": stype, "offset": offset, "size": size, "link": link,
                         "entsize": entsize})
    return sections


def c_string(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", "replace")


def find_vernaux(data, sections, version):
    """Returns (file offset of the Vernaux entry, its version index) or None when the need is absent."""
    for sec in sections:
        if sec["type"] != SHT_GNU_VERNEED:
            continue
        strtab = sections[sec["link"]]["offset"]
        pos = sec["offset"]
        while True:
            _vn_version, vn_cnt, _vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, pos)
            aux = pos + vn_aux
            for _ in range(vn_cnt):
                _hash, _flags, other, name, next_aux = struct.unpack_from("<IHHII", data, aux)
                if c_string(data, strtab + name) == version:
                    return aux, other
                aux += next_aux
            if vn_next == 0:
                break
            pos += vn_next
    return None


def symbols_using(data, sections, version_index):
    """Dynamic symbol indices (and names) whose .gnu.version entry is version_index."""
    dynsym = next(s for s in sections if s["type"] == SHT_DYNSYM)
    versym = next(s for s in sections if s["type"] == SHT_GNU_VERSYM)
    strtab = sections[dynsym["link"]]["offset"]
    count = dynsym["size"] // 24
    users = []
    for i in range(count):
        entry, = struct.unpack_from("<H", data, versym["offset"] + 2 * i)
        if entry & ~VERSYM_HIDDEN == version_index:
            st_name, = struct.unpack_from("<I", data, dynsym["offset"] + 24 * i)
            users.append((i, c_string(data, strtab + st_name), versym["offset"] + 2 * i))
    return users


def relocated_symbols(data, sections):
    dynsym_index = next(i for i, s in enumerate(sections) if s["type"] == SHT_DYNSYM)
    referenced = set()
    for sec in sections:
        if sec["type"] == SHT_RELA and sec["link"] == dynsym_index:
            for pos in range(sec["offset"], sec["offset"] + sec["size"], 24):
                _r_offset, r_info, _addend = struct.unpack_from("<QQq", data, pos)
                referenced.add(r_info >> 32)
    return referenced


def ldconfig_libstdcxx():
    """Paths of libstdc++.so.6 the dynamic loader knows about (empty when ldconfig is unavailable)."""
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return []
    return [line.split("=>")[-1].strip() for line in listing.splitlines() if "libstdc++.so.6" in line]


def system_defines(version):
    for path in LIBSTDCXX_CANDIDATES + ldconfig_libstdcxx():
        try:
            with open(path, "rb") as f:
                if version.encode("ascii") + b"\0" in f.read():
                    return path
        except OSError:
            continue
    return None


def patch(path, version, allowed_symbol):
    """Returns a one-line description of what was done; raises ElfError when patching would be unsafe."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    sections = read_sections(data)
    found = find_vernaux(data, sections, version)
    if found is None:
        return f"{path}: needs no {version}; unchanged"
    aux_offset, version_index = found
    users = symbols_using(data, sections, version_index)
    unexpected = [name for _, name, _ in users if name != allowed_symbol]
    if unexpected:
        raise ElfError(f"{path}: symbols other than {allowed_symbol} need {version}: {', '.join(unexpected)}")
    relocated = relocated_symbols(data, sections)
    if any(index in relocated for index, _, _ in users):
        raise ElfError(f"{path}: {allowed_symbol} is referenced by a relocation; weakening would break it")

    flags, = struct.unpack_from("<H", data, aux_offset + 4)
    if flags & VER_FLG_WEAK and not users:
        return f"{path}: {version} already weak; unchanged"
    struct.pack_into("<H", data, aux_offset + 4, flags | VER_FLG_WEAK)
    for _, _, versym_offset in users:
        struct.pack_into("<H", data, versym_offset, VER_NDX_GLOBAL)
    with open(path, "r+b") as f:
        f.write(data)
    return f"{path}: {version} made weak, {len(users)} symbol version(s) cleared"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("--version", default="GLIBCXX_3.4.32")
    parser.add_argument("--symbol", default="_ZSt21ios_base_library_initv")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    if not args.force:
        provider = system_defines(args.version)
        if provider:
            print(f"{provider} defines {args.version}; {args.library} left unchanged")
            return 0
    try:
        print(patch(args.library, args.version, args.symbol))
    except (ElfError, OSError, ValueError, StopIteration) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
