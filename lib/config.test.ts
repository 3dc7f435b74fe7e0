import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const production = {
  NODE_ENV: "production",
  AUTH_SECRET: "a".repeat(32),
  WARDEN_MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
  APP_DATABASE_URL: "postgresql://warden_app@localhost/warden",
};

describe("configuration", () => {
  it("starts in production with every secret set", () => {
    expect(parseConfig(production).NODE_ENV).toBe("production");
  });

  it.each(["AUTH_SECRET", "WARDEN_MASTER_KEY", "APP_DATABASE_URL"])("refuses production without %s, naming it", (name) => {
    expect(() => parseConfig({ ...production, [name]: undefined })).toThrow(new RegExp(name));
  });

  it("refuses a secret shorter than 32 bytes and a master key that is not 32 bytes", () => {
    expect(() => parseConfig({ ...production, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32 bytes/);
    expect(() => parseConfig({ ...production, WARDEN_MASTER_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/WARDEN_MASTER_KEY/);
  });

  it("email is off without SMTP_URL, needs MAIL_FROM with it, and a bad SMTP_URL is refused without echoing its password", () => {
    expect(parseConfig({ SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(() => parseConfig({ SMTP_URL: "smtp://mailer:hunter2@mail.example:587" })).toThrow(/MAIL_FROM is required/);
    expect(parseConfig({ SMTP_URL: "smtps://mail.example:465", MAIL_FROM: "Warden <w@example.com>" }).SMTP_URL).toBe("smtps://mail.example:465");
    expect(() => parseConfig({ SMTP_URL: "https://mailer:hunter2@mail.example", MAIL_FROM: "w@example.com" })).toThrow(/^(?!.*hunter2).*SMTP_URL/);
  });

  it("uses secure __Host- cookies only when served over HTTPS", () => {
    expect(parseConfig({ ...production, WARDEN_URL: "https://warden.example" }).secureCookies).toBe(true);
    expect(parseConfig({}).secureCookies).toBe(false);
  });

  it("takes WARDEN_ALLOWED_ORIGINS as exact origins, none when unset or empty", () => {
    expect(parseConfig({}).WARDEN_ALLOWED_ORIGINS).toEqual([]);
    expect(parseConfig({ WARDEN_ALLOWED_ORIGINS: " " }).WARDEN_ALLOWED_ORIGINS).toEqual([]);
    const origins = "https://app.example, http://localhost:5173,https://app.example,,https://[::1]:8443";
    expect(parseConfig({ ...production, WARDEN_ALLOWED_ORIGINS: origins }).WARDEN_ALLOWED_ORIGINS).toEqual(["https://app.example", "http://localhost:5173", "https://[::1]:8443"]);
  });

  it.each([
    ["https://app.example/", "https://app.example"],
    ["https://app.example/console", "https://app.example"],
    ["https://App.Example", "https://app.example"],
    ["https://app.example:443", "https://app.example"],
    ["https://user@app.example", "https://app.example"],
    ["https://app.example?x=1", "https://app.example"],
    ["app.example", null],
    ["ftp://app.example", null],
    ["null", null],
    ["https://*.example", null],
  ])("refuses the WARDEN_ALLOWED_ORIGINS entry %s at start, naming it", (entry, suggestion) => {
    const start = () => parseConfig({ WARDEN_ALLOWED_ORIGINS: `https://ok.example,${entry}` });
    expect(start).toThrow(/^Invalid configuration: WARDEN_ALLOWED_ORIGINS: /);
    expect(start).toThrow(`"${entry}" is not an exact origin`);
    if (suggestion) expect(start).toThrow(`did you mean ${suggestion}?`);
  });

  it('refuses "*" in WARDEN_ALLOWED_ORIGINS in production, asking for exact origins; allows it in development', () => {
    for (const value of ["*", "https://app.example,*"]) {
      expect(() => parseConfig({ ...production, WARDEN_ALLOWED_ORIGINS: value })).toThrow(/WARDEN_ALLOWED_ORIGINS: "\*" is refused in production; list the exact origins/);
    }
    expect(parseConfig({ NODE_ENV: "development", WARDEN_ALLOWED_ORIGINS: "*" }).WARDEN_ALLOWED_ORIGINS).toEqual(["*"]);
  });

  it("WARDEN_METRICS_WORKSPACE_LABELS is off unless set true", () => {
    expect(parseConfig({}).WARDEN_METRICS_WORKSPACE_LABELS).toBe(false);
    expect(parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "true" }).WARDEN_METRICS_WORKSPACE_LABELS).toBe(true);
    expect(parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "false" }).WARDEN_METRICS_WORKSPACE_LABELS).toBe(false);
    expect(() => parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "yes" })).toThrow(/WARDEN_METRICS_WORKSPACE_LABELS/);
  });
});
