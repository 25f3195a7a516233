# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# rmmhunt's formula, for a tap (rmmhunt/tap) until it reaches homebrew-core.
# url, version and sha256 are written by scripts/release and checked by
# packaging/homebrew/check against the release tarball rebuilt from its
# commit (packaging/RELEASES).
class Rmmhunt < Formula
  desc "Hunt NetSupport Manager RAT DLL loads in Sysmon logs on disk images and triage"
  homepage "https://github.com/rmmhunt/rmmhunt"
  url "https://github.com/rmmhunt/rmmhunt/releases/download/v0.7.0/rmmhunt-0.7.0.tar.gz"
  sha256 "632c684f2d36d5a4155f0d6952ebf2e8d83a4c175deaceb3a3b749ad0febd5de"
  license "Apache-2.0"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build
  depends_on "jansson"
  depends_on "libarchive"
  depends_on "libbfio"
  depends_on "libevtx"
  depends_on "libewf"
  depends_on "libqcow"
  depends_on "libvhdi"
  depends_on "libvmdk"
  depends_on "libvshadow"
  depends_on "openssl@3"
  depends_on "sleuthkit"

  uses_from_macos "zlib"

  def install
    # libarchive is keg-only: configure finds it through its pkg-config file
    ENV.prepend_path "PKG_CONFIG_PATH", Formula["libarchive"].opt_lib/"pkgconfig"
    # No libscca or libregf formula yet (homebrew-core lacks them): Prefetch
    # files and Amcache hives are then named as not read, "this rmmhunt was
    # built without libscca" (libregf).
    system "./configure", "--disable-silent-rules", "--without-libscca", "--without-libregf",
           *std_configure_args
    system "make", "install"
  end

  test do
    # A triage folder made from the sample evidence the formula installs:
    # two hosts' logs, a file that is not a log, and a log cut short, which
    # must be reported as partly read: exit status 5, findings and a part
    # not read, never a clean scan.
    logs = testpath/"collection/C/Windows/System32/winevt/Logs"
    logs.mkpath
    cp pkgshare/"sample/ws01-sysmon.evtx", logs
    cp pkgshare/"sample/helpdesk01-sysmon.evtx", logs
    (logs/"notes.txt").write "not a log\n"
    (logs/"cut.evtx").binwrite (pkgshare/"sample/ws03-sysmon.evtx").binread[0, 40000]

    output = shell_output("#{bin}/rmmhunt --csv #{testpath}/out.csv #{testpath}/collection 2>&1", 5)
    assert_match "cut.evtx: partly read", output
    assert_match "3 inputs read (2 ok, 1 partly, 0 failed)", output
    rows = (testpath/"out.csv").read.lines
    assert_match(/\AImage,ImageLoaded,dest,/, rows.first)
    assert_equal 5, rows.count { |row| row.include?(",WS01.corp.example,") }
    assert_equal 2, rows.count { |row| row.include?(",HELPDESK01.corp.example,") }
    assert_equal 8, rows.length

    assert_match "libevtx", shell_output("#{bin}/rmmhunt --version")
  end
end
