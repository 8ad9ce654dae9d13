/** Which host names and addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True for `localhost` (any case), an IPv4 address in 127.0.0.0/8 and `::1` (also written in
 * full, IPv4-mapped or in brackets). Anything else, a host name included, counts as reachable
 * from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
