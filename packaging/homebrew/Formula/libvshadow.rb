# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libvshadow < Formula
  desc "Library and tools to access the Volume Shadow Snapshot (VSS) format"
  homepage "https://github.com/libyal/libvshadow"
  url "https://github.com/libyal/libvshadow/releases/download/20190323/libvshadow-alpha-20190323.tar.gz"
  sha256 "ce95cb6fe03b386ee9d634dbffcb3dd740b03de1e059d8b667357299cb91da38"
  license "LGPL-3.0-or-later"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build
  depends_on "libbfio"

  def install
    system "./configure", "--disable-silent-rules", "--with-libfuse=no", *std_configure_args
    system "make", "install"
  end

  test do
    (testpath/"test.c").write <<~C
      #include <stdio.h>
      #include <libvshadow.h>
      int main(void) { puts(libvshadow_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-lvshadow", "-o", "test"
    assert_equal "20190323", shell_output("./test").strip
  end
end
