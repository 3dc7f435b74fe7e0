import { isIP } from "node:net";

/**
 * The key a per-address limit counts a client under. An IPv4 address is its own
 * key; an IPv6 client is keyed on its /64, because one subscriber is routinely
 * handed a whole /64 and could otherwise start a fresh bucket with every address
 * in it. IPv4-mapped IPv6 (::ffff:192.0.2.1) is the IPv4 address it carries.
 * Every per-address limit and the sign-in failure count use this one function.
 */
export function addressKey(ip: string | null | undefined): string {
  const raw = (ip ?? "")
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "")
    .toLowerCase();
  if (!raw) return "unknown";
  const family = isIP(raw);
  if (family === 4) return raw;
  if (family !== 6) return raw.slice(0, 64);
  const groups = expandIpv6(raw);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Eight 16-bit groups of a valid IPv6 address (any "::" filled in, a dotted IPv4 tail converted). */
function expandIpv6(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}
