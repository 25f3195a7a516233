# SPDX-License-Identifier: Apache-2.0
# A dependency of rmmhunt that homebrew-core lacks. The version is the one
# rmmhunt is tested with (Debian 12's); the SHA-256 is that of Debian's
# .orig.tar.gz, which is the upstream release tarball renamed (check it
# with `brew fetch --build-from-source` before the tap is published).
class Libvmdk < Formula
  desc "Library and tools to access the VMware Virtual Disk (VMDK) format"
  homepage "https://github.com/libyal/libvmdk"
  url "https://github.com/libyal/libvmdk/releases/download/20200926/libvmdk-alpha-20200926.tar.gz"
  sha256 "6102901eb299c1579790c822696b74553fb80f88116a3c0bd3952c532c624fc5"
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
      #include <libvmdk.h>
      int main(void) { puts(libvmdk_get_version()); return 0; }
    C
    system ENV.cc, "test.c", "-I#{include}", "-L#{lib}", "-lvmdk", "-o", "test"
    assert_equal "20200926", shell_output("./test").strip
  end
end
