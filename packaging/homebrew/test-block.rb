# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# Runs a formula's `test do` block outside Homebrew, against an installed
# prefix, so the commands it runs are checked on any machine:
#   ruby test-block.rb Formula/rmmhunt.rb PREFIX
# The Formula DSL is taken as no-ops; the helpers test blocks use here
# (testpath, bin, pkgshare, cp, shell_output, assert_*) behave as
# Homebrew's do. Exits non-zero, naming the failed assertion.
require "fileutils"
require "pathname"
require "tmpdir"

class Formula
  DSL = %i[desc homepage url sha256 license livecheck depends_on uses_from_macos
           bottle head version revision conflicts_with].freeze
  DSL.each { |m| define_singleton_method(m) { |*_args, **_opts, &_blk| nil } }

  class << self
    attr_reader :test_block

    def test(&blk)
      @test_block = blk
    end

    def std_configure_args
      []
    end
  end

  def initialize(prefix, testpath)
    @prefix = Pathname(prefix)
    @testpath = Pathname(testpath)
  end

  attr_reader :prefix, :testpath

  def bin = prefix/"bin"
  def pkgshare = prefix/"share"/name
  def name = self.class.name.downcase
  def cp(*args) = FileUtils.cp(*args)

  def shell_output(cmd, status = 0)
    out = IO.popen(cmd, &:read)
    got = $?.exitstatus
    raise "#{cmd}: exit status #{got}, expected #{status}\n#{out}" unless got == status

    out
  end

  def assert_match(pattern, text)
    ok = pattern.is_a?(Regexp) ? pattern.match?(text) : text.include?(pattern)
    raise "expected #{pattern.inspect} in:\n#{text}" unless ok
  end

  def assert_equal(want, got)
    raise "expected #{want.inspect}, got #{got.inspect}" unless want == got
  end
end

formula_file, prefix = ARGV
abort "usage: ruby test-block.rb FORMULA.rb PREFIX" unless formula_file && prefix
load formula_file
klass = Formula.subclasses.first
Dir.mktmpdir do |dir|
  Dir.chdir(dir) { klass.new(prefix, dir).instance_eval(&klass.test_block) }
end
puts "#{File.basename(formula_file)}: test block passed against #{prefix}"
