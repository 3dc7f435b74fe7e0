// Enough of a user agent to recognise a device in a list; not a fingerprint.
const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/HeadlessChrome\/(\d+)/, "Headless Chrome"],
  [/Chrome\/(\d+)/, "Chrome"],
  [/Version\/(\d+).*Safari/, "Safari"],
  [/curl\/([\d.]+)/, "curl"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X/, "macOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function describeUserAgent(userAgent: string | null): { browser: string; system: string } {
  if (!userAgent) return { browser: "Unknown browser", system: "unknown system" };
  const browser = BROWSERS.find(([re]) => re.test(userAgent));
  const version = browser ? browser[0].exec(userAgent)?.[1] : undefined;
  const system = SYSTEMS.find(([re]) => re.test(userAgent));
  return { browser: browser ? `${browser[1]}${version ? ` ${version}` : ""}` : "Unknown browser", system: system?.[1] ?? "unknown system" };
}
