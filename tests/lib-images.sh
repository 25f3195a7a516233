# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# Builds disk images from directory trees for the image tests, with
# Debian's tools and no root, mount or FUSE (see
# ../shared/docs/evidence-formats.md): mkntfs and wimlib-imagex make an
# NTFS volume holding a tree, sfdisk a partition table, ewfacquire and
# qemu-img the container formats.

# need_tools TOOL...: skips the whole test when one is missing.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			skip_all "$t is not installed (apt-get install fdisk ntfs-3g wimtools ewf-tools qemu-utils)"
	done
}

# ntfs_volume TREE OUT [MIB]: an NTFS volume image holding TREE.
ntfs_volume() {
	local tree=$1 out=$2 mib=${3:-16}
	rm -f "$out" "$out.wim"
	truncate -s "${mib}M" "$out"
	mkntfs -q -F -f -s 512 -c 4096 -p 2048 -H 255 -S 63 -L EVIDENCE "$out" >/dev/null 2>&1 ||
		return 1
	wimlib-imagex capture "$tree" "$out.wim" T --compress=none --no-acls >/dev/null &&
		wimlib-imagex apply "$out.wim" 1 "$out" --no-acls >/dev/null
	local rc=$?
	rm -f "$out.wim"
	return $rc
}

# disk_with VOLUME OUT gpt|mbr: a disk with VOLUME as its one partition at
# 1 MiB, and 1 MiB after it (room for GPT's backup table).
disk_with() {
	local vol=$1 out=$2 label=$3 sectors type
	sectors=$(( $(stat -c %s "$vol") / 512 ))
	rm -f "$out"
	truncate -s $(( (sectors + 4096) * 512 )) "$out"
	if [ "$label" = gpt ]; then
		type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
	else
		type=7
	fi
	printf 'label: %s\nstart=2048, size=%d, type=%s\n' "$label" "$sectors" "$type" |
		sfdisk -q "$out" || return 1
	dd if="$vol" of="$out" bs=1M seek=1 conv=notrunc status=none
}

# disk_extended VOLUME OUT: an MBR disk whose NTFS volume is a logical
# partition inside an extended one, behind a small empty primary.
disk_extended() {
	local vol=$1 out=$2 sectors
	sectors=$(( $(stat -c %s "$vol") / 512 ))
	rm -f "$out"
	truncate -s $(( (sectors + 8192) * 512 )) "$out"
	printf 'label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=%d, type=5\nstart=6144, size=%d, type=7\n' \
		$(( sectors + 4096 )) "$sectors" | sfdisk -q "$out" || return 1
	dd if="$vol" of="$out" bs=512 seek=6144 conv=notrunc status=none
}

# wrap FORMAT RAW OUTBASE: RAW (a disk) as FORMAT; prints the path to
# give rmmhunt. FORMAT: raw, split (.001), split0 (.000), split-aa (.aa),
# e01, e01-split, vhdx, vhd, vhd-fixed, vmdk, vmdk-extents (a descriptor
# and its extent files), qcow2.
wrap() {
	local fmt=$1 raw=$2 base=$3
	case $fmt in
	raw) cp "$raw" "$base.dd" && echo "$base.dd" ;;
	split)
		split -b 4M --numeric-suffixes=1 -a 3 "$raw" "$base.raw." && echo "$base.raw.001" ;;
	split0)
		split -b 4M --numeric-suffixes=0 -a 3 "$raw" "$base.raw." && echo "$base.raw.000" ;;
	split-aa)
		split -b 4M -a 2 "$raw" "$base.raw." && echo "$base.raw.aa" ;;
	e01)
		ewfacquire -u -q -c deflate:fast -t "$base" "$raw" >/dev/null 2>&1 && echo "$base.E01" ;;
	e01-split)
		ewfacquire -u -q -c none -S 2MiB -t "$base" "$raw" >/dev/null 2>&1 && echo "$base.E01" ;;
	vhdx) qemu-img convert -f raw -O vhdx "$raw" "$base.vhdx" && echo "$base.vhdx" ;;
	vhd) qemu-img convert -f raw -O vpc -o subformat=dynamic,force_size=on "$raw" "$base.vhd" &&
		echo "$base.vhd" ;;
	vhd-fixed) qemu-img convert -f raw -O vpc -o subformat=fixed,force_size=on "$raw" "$base.vhd" &&
		echo "$base.vhd" ;;
	vmdk) qemu-img convert -f raw -O vmdk "$raw" "$base.vmdk" && echo "$base.vmdk" ;;
	vmdk-extents)
		qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse "$raw" "$base.vmdk" &&
			echo "$base.vmdk" ;;
	qcow2) qemu-img convert -f raw -O qcow2 "$raw" "$base.qcow2" && echo "$base.qcow2" ;;
	*) return 1 ;;
	esac
}

# same_findings EXPECTED GOT: the CSVs hold the same rows, the evidence
# column (the last: where each log was read) aside.
same_findings() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import csv, sys
def rows(p):
    # all but evidence_files, which names where the rows were read
    with open(p, newline="") as f:
        rs = list(csv.reader(f))
    k = rs[0].index("evidence_files") if rs else 0
    return [r[:k] + r[k + 1:] for r in rs]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
if a != b:
    print(f"  {len(a)} rows expected, {len(b)} got")
    for x, y in zip(a, b):
        if x != y:
            print("  expected:", x[:3], "\n  got:     ", y[:3])
            break
    sys.exit(1)
PY
}
