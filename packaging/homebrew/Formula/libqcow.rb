# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libqcow < Formula
  desc "Library and tools to access the QEMU Copy-On-Write (QCOW) image format"
  homepage "https://github.com/libyal/libqcow"
  url "https://github.com/libyal/libqcow/releases/download/20201213/libqcow-alpha-20201213.tar.gz"
  sha256 "a2c70ca62cd559a342461ab51b60efd1e33605f0d8aad3163d67932c7b7258ae"
  license "LGPL-3.0-or-later"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build
  depends_on "openssl@3"

  def install
    system "./configure", "--disable-silent-rules", "--with-libfuse=no", *std_configure_args
    system "make", "install"
  end

  test do
    (testpath/"test.c").write <<~C
      #include <stdio.h>
      #include <libqcow.h>
      int main(void) { puts(libqcow_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-lqcow", "-o", "test"
    assert_equal "20201213", shell_output("./test").strip
  end
end
