# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libevtx < Formula
  desc "Library and tools to access the Windows XML Event Log (EVTX) format"
  homepage "https://github.com/libyal/libevtx"
  url "https://github.com/libyal/libevtx/releases/download/20181227/libevtx-alpha-20181227.tar.gz"
  sha256 "1d0661138389a0ffc01428143c7a905d6dc60837912dc7fd04624b356dea4ead"
  license "LGPL-3.0-or-later"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build
  depends_on "libbfio"

  def install
    system "./configure", "--disable-silent-rules", *std_configure_args
    system "make", "install"
  end

  test do
    (testpath/"test.c").write <<~C
      #include <stdio.h>
      #include <libevtx.h>
      int main(void) { puts(libevtx_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-levtx", "-o", "test"
    assert_equal "20181227", shell_output("./test").strip
  end
end
