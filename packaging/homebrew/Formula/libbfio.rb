# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libbfio < Formula
  desc "Library for a basic file input/output abstraction layer"
  homepage "https://github.com/libyal/libbfio"
  url "https://github.com/libyal/libbfio/releases/download/20170123/libbfio-alpha-20170123.tar.gz"
  sha256 "d45eaa2c7bc5d75905bbd1d04f9730e17bb4b638417343db1af410f3b17a15dd"
  license "LGPL-3.0-or-later"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build

  def install
    system "./configure", "--disable-silent-rules", *std_configure_args
    system "make", "install"
  end

  test do
    (testpath/"test.c").write <<~C
      #include <stdio.h>
      #include <libbfio.h>
      int main(void) { puts(libbfio_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-lbfio", "-o", "test"
    assert_equal "20170123", shell_output("./test").strip
  end
end
