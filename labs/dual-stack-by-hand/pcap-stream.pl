#!/usr/bin/perl
# pcap-stream.pl IFACE
#   Every frame seen on IFACE, in both directions, written to stdout as a pcap stream until
#   SIGTERM; prints "ready" on stderr once the socket is bound.
#
# Why this exists: tcpdump switches to its own unprivileged user after opening a capture (or a
# file), and a rootless user namespace refuses that switch (setgroups is denied), so tcpdump
# cannot run in the sandbox as it is. This script only opens the packet socket and copies frames;
# capture.sh hands them to tcpdump, run as a non-root user in a nested user namespace, to decode.
use strict;
use warnings;
use Socket qw(SOCK_RAW);
use Time::HiRes qw(time);

my $if = shift // die "usage: $0 IFACE\n";
my ($index, $arphrd) = map { read_sys("/sys/class/net/$if/$_") } qw(ifindex type);
# ARPHRD_ETHER frames start with an Ethernet header; a tun device (ARPHRD_NONE) carries bare IP.
my $linktype = $arphrd == 1 ? 1 : 101;    # LINKTYPE_ETHERNET or LINKTYPE_RAW

use constant { AF_PACKET => 17, ETH_P_ALL => 0x0003 };
socket(my $sock, AF_PACKET, SOCK_RAW, unpack('n', pack('S', ETH_P_ALL)) ) or die "packet socket: $!\n";
# struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]
bind($sock, pack('S n i S C C a8', AF_PACKET, ETH_P_ALL, $index, 0, 0, 0, '')) or die "bind to $if: $!\n";

my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
binmode STDOUT;
$| = 1;
print pack('L S S l L L L', 0xa1b2c3d4, 2, 4, 0, 0, 65535, $linktype);    # pcap file header
print STDERR "ready\n";
my $want = '';
vec($want, fileno $sock, 1) = 1;
# Wake up every 50 ms to notice SIGTERM; select returns -1 when the signal interrupts it.
until ($stop) { copy_frame() if select(my $got = $want, undef, undef, 0.05) > 0 }
# Then copy what is already queued on the socket, so the caller need not wait before stopping us.
copy_frame() while select(my $got = $want, undef, undef, 0) > 0;

sub copy_frame {
  defined recv($sock, my $frame, 65535, 0) or return;
  my $t = time;
  print pack('L L L L', int $t, ($t - int $t) * 1e6, length $frame, length $frame), $frame;
}

sub read_sys {
  my ($path) = @_;
  open my $fh, '<', $path or die "no interface $if in this network namespace\n";
  chomp(my $value = <$fh>);
  return $value;
}
