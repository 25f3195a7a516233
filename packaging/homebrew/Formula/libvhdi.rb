# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libvhdi < Formula
  desc "Library and tools to access the Virtual Hard Disk (VHD and VHDX) formats"
  homepage "https://github.com/libyal/libvhdi"
  url "https://github.com/libyal/libvhdi/releases/download/20210425/libvhdi-alpha-20210425.tar.gz"
  sha256 "4adea823f3650a9e4214c0cf57915010b9051e9344b6097ab8761ed4a4d80d79"
  license "LGPL-3.0-or-later"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "pkgconf" => :build

  def install
    system "./configure", "--disable-silent-rules", "--with-libfuse=no", *std_configure_args
    system "make", "install"
  end

  test do
    (testpath/"test.c").write <<~C
      #include <stdio.h>
      #include <libvhdi.h>
      int main(void) { puts(libvhdi_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-lvhdi", "-o", "test"
    assert_equal "20210425", shell_output("./test").strip
  end
end
