import { describe, expect, it } from "vitest";
import { addressKey } from "./address-key";

describe("addressKey", () => {
  it("keys IPv6 clients on their /64, whatever the spelling of the address", () => {
    const key = addressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).toBe(key);
    expect(addressKey("[2001:db8:1:2:abcd::9]")).toBe(key);
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(key);
  });

  it("keeps IPv4 as is, unwraps IPv4-mapped IPv6, and names a missing address", () => {
    expect(addressKey("192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("::ffff:c000:0207")).toBe("192.0.2.7");
    expect(addressKey(null)).toBe("unknown");
    expect(addressKey("  ")).toBe("unknown");
  });
});
